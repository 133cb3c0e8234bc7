package node_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"os"
	"path/filepath"
	"testing"
	"time"

	cmtcfg "github.com/cometbft/cometbft/config"
	"github.com/cometbft/cometbft/p2p"
	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/tx"
	"github.com/vsys/vsys/internal/testkit/nodekit"
	"github.com/vsys/vsys/modules/token"
	"github.com/vsys/vsys/node"
	"github.com/vsys/vsys/node/config"
	"github.com/vsys/vsys/rpc/client"
)

// initHome makes a home with the test kit's node settings (loopback
// ports, no Prometheus, fast blocks, no PEX).
func initHome(t *testing.T, chainID string) (string, node.InitResult) {
	return initHomeWith(t, chainID, nil)
}

// initHomeWith is initHome with edit applied to the init options (extra
// accounts, genesis params, app.toml settings) before the home is written.
func initHomeWith(t *testing.T, chainID string, edit func(*node.InitOptions)) (string, node.InitResult) {
	t.Helper()
	h := nodekit.InitHome(t, chainID, edit)
	return h.Dir, h.Result
}

// start starts the node of home; it is stopped when the test ends (a
// test may stop it earlier: Stop is idempotent).
func start(t *testing.T, home string) *node.Node {
	t.Helper()
	return nodekit.Start(t, nodekit.Home{Dir: home})
}

func waitHeight(t *testing.T, c *client.Client, h int64) {
	t.Helper()
	require.Eventually(t, func() bool {
		got, err := c.BlockNumber(context.Background())
		return err == nil && got >= h
	}, 30*time.Second, 50*time.Millisecond, "height %d", h)
}

func devKey(t *testing.T, home string) ed25519.PrivateKey {
	t.Helper()
	return nodekit.DevKey(t, nodekit.Home{Dir: home})
}

func sendCall(to address.Address, amount uint64) tx.Call {
	args, err := codec.Marshal(token.SendArgs{Token: "VSYS", To: to, Amount: codec.NewU128(amount)})
	if err != nil {
		panic(err)
	}
	return tx.Call{Contract: token.Address, Method: "send", Args: args}
}

// TestRestartResumes: a node stopped and started again resumes at the
// same height and app hash, and keeps every committed tx.
func TestRestartResumes(t *testing.T) {
	home, _ := initHome(t, "restart-chain")
	n := start(t, home)
	c := client.New(n.RPCAddr)
	ctx := context.Background()
	to := address.Derive("test", []byte("restart"))
	sent, err := c.Send(ctx, devKey(t, home), []tx.Call{sendCall(to, 777)}, client.SendOptions{})
	require.NoError(t, err)
	require.Equal(t, "ok", sent.Tx.Status, sent.Tx.Log)
	waitHeight(t, c, sent.Tx.Height+1)
	require.NoError(t, n.Stop())
	stoppedAt, stoppedHash := n.App.Store().Version(), n.App.Store().Hash()

	n2 := start(t, home)
	defer n2.Stop()
	require.GreaterOrEqual(t, n2.App.Store().Version(), stoppedAt)
	h, err := n2.App.Store().HashAt(stoppedAt)
	require.NoError(t, err)
	require.Equal(t, stoppedHash, h, "app hash at the height the node stopped")
	c2 := client.New(n2.RPCAddr)
	waitHeight(t, c2, stoppedAt+2)
	acc, err := c2.GetAccount(ctx, to, 0)
	require.NoError(t, err)
	require.Equal(t, "777", acc.Balances[0].Amount.String())
	got, err := c2.GetTransaction(ctx, sent.Hash)
	require.NoError(t, err)
	require.Equal(t, sent.Tx.Height, got.Height)
	// The nonce carried over: the next tx from dev is accepted.
	again, err := c2.Send(ctx, devKey(t, home), []tx.Call{sendCall(to, 1)}, client.SendOptions{})
	require.NoError(t, err)
	require.Equal(t, "ok", again.Tx.Status, again.Tx.Log)
	require.Equal(t, uint64(1), got.Nonce+1)
}

// TestFullNodeSameAppHash: a second, independent node fed the same blocks
// over p2p (block sync) computes the same app hash at every height, though
// its node-local settings differ: it is sized like a cloud's chain node
// (config.Small: small goleveldb buffers and caches, a small mempool
// cache).
func TestFullNodeSameAppHash(t *testing.T) {
	homeA, _ := initHome(t, "two-nodes")
	a := start(t, homeA)
	defer a.Stop()
	ca := client.New(a.RPCAddr)
	ctx := context.Background()
	for i := 0; i < 5; i++ {
		_, err := ca.Send(ctx, devKey(t, homeA), []tx.Call{sendCall(address.Derive("peer", []byte{byte(i)}), uint64(i+1))}, client.SendOptions{})
		require.NoError(t, err)
	}

	homeB, _ := initHome(t, "two-nodes")
	appB, err := config.Load(homeB)
	require.NoError(t, err)
	require.NoError(t, config.Save(homeB, config.Small(appB)))
	require.NoError(t, copyFile(filepath.Join(homeA, "config", "genesis.json"), filepath.Join(homeB, "config", "genesis.json")))
	cfgA, err := node.LoadCometConfig(homeA)
	require.NoError(t, err)
	keyA, err := p2p.LoadNodeKey(cfgA.NodeKeyFile())
	require.NoError(t, err)
	cfgB, err := node.LoadCometConfig(homeB)
	require.NoError(t, err)
	cfgB.P2P.PersistentPeers = p2p.IDAddressString(keyA.ID(), cfgA.P2P.ListenAddress[len("tcp://"):])
	cmtcfg.WriteConfigFile(filepath.Join(homeB, "config", "config.toml"), cfgB)

	b := start(t, homeB)
	defer b.Stop()
	target := a.App.Store().Version() + 2
	waitHeight(t, client.New(b.RPCAddr), target)
	for h := int64(1); h <= target; h++ {
		ha, err := a.App.Store().HashAt(h)
		require.NoError(t, err)
		hb, err := b.App.Store().HashAt(h)
		require.NoError(t, err)
		require.True(t, bytes.Equal(ha, hb), "height %d: %x vs %x", h, ha, hb)
	}
}

func copyFile(from, to string) error {
	b, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, b, 0o644)
}
