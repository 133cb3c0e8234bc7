package nodekit

import (
	"context"
	"crypto/ed25519"
	"io"
	"path/filepath"
	"testing"
	"time"

	cmtcfg "github.com/cometbft/cometbft/config"
	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/keys"
	"github.com/vsys/vsys/internal/testkit"
	"github.com/vsys/vsys/node"
	"github.com/vsys/vsys/node/config"
	"github.com/vsys/vsys/rpc/client"
)

// DevBalance is what genesis gives the dev account: enough for uploads.
const DevBalance = 1_000_000_000_000

// Home is a node home written by InitHome.
type Home struct {
	Dir    string
	Result node.InitResult
	// CometRPC is CometBFT's RPC, "http://host:port", where light
	// clients read headers.
	CometRPC string
}

// InitHome writes a one-validator home: JSON-RPC, CometBFT RPC and P2P on
// ports from testkit.FreePort, 100 ms blocks, no metrics (one Prometheus
// registry per process), error logs only, and no PEX (its address book
// saver writes into config/ after Stop, racing the temp dir's removal).
// edit, when not nil, changes the init options before the home is
// written.
func InitHome(t testing.TB, chainID string, edit func(*node.InitOptions)) Home {
	t.Helper()
	dir := t.TempDir()
	ac := config.Default()
	ac.RPC.Address = testkit.FreeAddr(t)
	ac.Consensus.BlockInterval = "100ms"
	ac.Metrics.Enabled = false
	ac.Log.Level = "error"
	comet := testkit.FreeAddr(t)
	opts := node.InitOptions{
		ChainID: chainID, DevBalance: codec.NewU128(DevBalance), App: ac,
		CometRPCAddr: "tcp://" + comet, P2PAddr: testkit.FreeTCPAddr(t),
	}
	if edit != nil {
		edit(&opts)
	}
	res, err := node.Init(dir, opts)
	require.NoError(t, err)
	cfg, err := node.LoadCometConfig(dir)
	require.NoError(t, err)
	cfg.Consensus.TimeoutPropose = 300 * time.Millisecond
	cfg.P2P.PexReactor = false
	cfg.P2P.AddrBookStrict = false
	cfg.P2P.AllowDuplicateIP = true
	cmtcfg.WriteConfigFile(filepath.Join(dir, "config", "config.toml"), cfg)
	return Home{Dir: dir, Result: res, CometRPC: "http://" + comet}
}

// Start starts the node of home in-process, stops it when the test ends,
// and returns once block 1 (which commits genesis) is readable.
func Start(t testing.TB, home Home) *node.Node {
	t.Helper()
	n, err := node.Start(home.Dir, node.Options{LogOutput: io.Discard})
	require.NoError(t, err)
	t.Cleanup(func() { _ = n.Stop() })
	// A guard, not a timed assertion: a node that never makes block 1
	// fails the test instead of hanging it.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	require.NoError(t, Client(n).WaitHeight(ctx, 1))
	return n
}

// Client is a Go client of n's JSON-RPC.
func Client(n *node.Node) *client.Client { return client.New(n.RPCAddr) }

// DevKey is the key of the account genesis funds (node.DevKeyName in the
// home's test keyring).
func DevKey(t testing.TB, home Home) ed25519.PrivateKey {
	t.Helper()
	kr, err := keys.Open(home.Dir, keys.BackendTest, nil)
	require.NoError(t, err)
	k, err := kr.Signer(node.DevKeyName)
	require.NoError(t, err)
	return k
}
