package chainspec_test

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cometbft/cometbft/types"
	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/app/genesis"
	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/keys"
	"github.com/vsys/vsys/core/moduleid"
	"github.com/vsys/vsys/core/tx"
	"github.com/vsys/vsys/internal/testkit"
	"github.com/vsys/vsys/modules/token"
	"github.com/vsys/vsys/node"
	"github.com/vsys/vsys/node/chainspec"
	"github.com/vsys/vsys/node/config"
	"github.com/vsys/vsys/rpc/client"
)

var someone = address.Derive("chainspec-test", []byte("someone"))

// TestCreate writes a three-validator chain and checks what is on disk:
// one genesis with the spec's modules, params and accounts; each node
// peered with the others; idle settings in app.toml; chain.json; and no
// trace of the temporary directory.
func TestCreate(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "shop")
	res, err := chainspec.Create(dir, chainspec.Spec{
		Name: "shop", Modules: []string{"db", "token"}, Validators: 3,
		Accounts: []chainspec.Account{{Address: someone.String(), Amount: "12345"}},
		Params:   map[string]string{"billing.storage_price_per_byte": "2", "max_call_depth": "9"},
	})
	require.NoError(t, err)
	require.Equal(t, "shop", res.ChainID)
	require.Equal(t, []string{"token", "db"}, res.Modules)
	require.Len(t, res.Nodes, 3)
	entries, err := os.ReadDir(parent)
	require.NoError(t, err)
	require.Len(t, entries, 1, "only the chain's directory")

	var first []byte
	for i, n := range res.Nodes {
		require.Equal(t, filepath.Join(dir, n.Moniker), n.Home)
		doc, err := types.GenesisDocFromFile(filepath.Join(n.Home, "config", "genesis.json"))
		require.NoError(t, err)
		require.Equal(t, "shop", doc.ChainID)
		require.Len(t, doc.Validators, 3)
		if i == 0 {
			first = doc.AppState
		}
		require.JSONEq(t, string(first), string(doc.AppState), "one genesis")
		cfg, err := node.LoadCometConfig(n.Home)
		require.NoError(t, err)
		require.Equal(t, 2, len(strings.Split(cfg.P2P.PersistentPeers, ",")), cfg.P2P.PersistentPeers)
		require.False(t, cfg.Consensus.CreateEmptyBlocks)
		require.Equal(t, 30*time.Second, cfg.Consensus.CreateEmptyBlocksInterval)
		ac, err := config.Load(n.Home)
		require.NoError(t, err)
		require.Equal(t, n.RPCAddr, ac.RPC.Address)
	}
	gs, err := genesis.Parse(first)
	require.NoError(t, err)
	require.Equal(t, []string{"db", "token"}, gs.Modules)
	require.Equal(t, "2", gs.Params.Billing.StoragePricePerByte.String())
	require.Equal(t, uint32(9), gs.Params.MaxCallDepth)
	require.Len(t, gs.Accounts, 4, "three dev keys and the spec's account")

	b, err := os.ReadFile(filepath.Join(dir, chainspec.FileName))
	require.NoError(t, err)
	var rec chainspec.Record
	require.NoError(t, json.Unmarshal(b, &rec))
	require.Equal(t, res, rec.Result)
	require.Equal(t, "30s", rec.Spec.Heartbeat, "defaults recorded")
	// No file names the temporary directory: homes work where they are.
	require.NoError(t, filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		require.NotContains(t, string(b), ".creating-", p)
		return err
	}))

	_, err = chainspec.Create(dir, chainspec.Spec{Name: "shop"})
	require.ErrorIs(t, err, chainspec.ErrExists)
}

// TestCreateRefusesLeavesNothing: each bad spec is refused with its

// TestEmptyBlocksWithoutHeartbeat: empty blocks mean a block every
// interval, so the heartbeat (CometBFT's create_empty_blocks_interval,
// which makes it wait for txs whenever set) is off.
func TestEmptyBlocksWithoutHeartbeat(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "busy")
	res, err := chainspec.Create(dir, chainspec.Spec{Name: "busy", EmptyBlocks: true, Heartbeat: "30s"})
	require.NoError(t, err)
	cfg, err := node.LoadCometConfig(res.Nodes[0].Home)
	require.NoError(t, err)
	require.True(t, cfg.Consensus.CreateEmptyBlocks)
	require.Zero(t, cfg.Consensus.CreateEmptyBlocksInterval)
	require.False(t, cfg.Consensus.WaitForTxs())
}

// sentinel and a clear message, and the parent directory stays empty.
func TestCreateRefusesLeavesNothing(t *testing.T) {
	parent := t.TempDir()
	for name, c := range map[string]struct {
		spec chainspec.Spec
		err  error
		want string
	}{
		"bad name":       {chainspec.Spec{Name: "../x"}, chainspec.ErrName, "no dots or slashes"},
		"empty name":     {chainspec.Spec{}, chainspec.ErrName, "empty"},
		"long name":      {chainspec.Spec{Name: strings.Repeat("x", 200)}, chainspec.ErrName, "200 characters"},
		"unknown module": {chainspec.Spec{Name: "a", Modules: []string{"token", "dex"}}, genesis.ErrInvalid, `unknown module "dex"`},
		"no token":       {chainspec.Spec{Name: "a", Modules: []string{"db"}}, chainspec.ErrSpec, `"token" is required`},
		"unknown param":  {chainspec.Spec{Name: "a", Params: map[string]string{"billing.price": "1"}}, chainspec.ErrSpec, `unknown parameter "price"`},
		"bad value":      {chainspec.Spec{Name: "a", Params: map[string]string{"max_call_depth": "deep"}}, chainspec.ErrSpec, "want a number"},
		"invalid params": {chainspec.Spec{Name: "a", Params: map[string]string{"max_call_depth": "0"}}, genesis.ErrInvalid, "limits must be positive"},
		"consensus":      {chainspec.Spec{Name: "a", Consensus: "pow"}, chainspec.ErrSpec, `consensus "pow"`},
		"spos no staking": {chainspec.Spec{Name: "a", Consensus: "spos", Modules: []string{"token"}},
			chainspec.ErrSpec, `needs the "staking" module`},
		"bad account":  {chainspec.Spec{Name: "a", Accounts: []chainspec.Account{{Address: "nope", Amount: "1"}}}, chainspec.ErrSpec, `account "nope"`},
		"bad amount":   {chainspec.Spec{Name: "a", Accounts: []chainspec.Account{{Address: someone.String(), Amount: "-1"}}}, chainspec.ErrSpec, "smallest unit"},
		"twice funded": {chainspec.Spec{Name: "a", Accounts: []chainspec.Account{{someone.String(), "1"}, {someone.String(), "2"}}}, chainspec.ErrSpec, "listed twice"},
		"addresses":    {chainspec.Spec{Name: "a", Validators: 2, Nodes: []node.NodeAddrs{{}}}, chainspec.ErrSpec, "1 node address sets for 2 validators"},
		"heartbeat":    {chainspec.Spec{Name: "a", Heartbeat: "often"}, chainspec.ErrSpec, `heartbeat "often"`},
	} {
		_, err := chainspec.Create(filepath.Join(parent, "a"), c.spec)
		require.ErrorIs(t, err, c.err, name)
		require.ErrorContains(t, err, c.want, name)
		entries, err := os.ReadDir(parent)
		require.NoError(t, err)
		require.Empty(t, entries, "%s: nothing left behind", name)
	}
}

// TestCreateToFirstBlock creates one-validator chains without the db
// module on ports the caller assigns, starts each, and logs the time from
// Create to its first committed block (a figure, not an assertion), at the
// default block interval and at 200 ms: CometBFT waits one timeout_commit
// before height 1. A db call over JSON-RPC then gets "unknown contract".
func TestCreateToFirstBlock(t *testing.T) {
	db, _ := moduleid.Lookup(moduleid.NameDatabase)
	for _, interval := range []string{"", "200ms"} {
		dir := filepath.Join(t.TempDir(), "fast")
		addrs := node.NodeAddrs{RPC: testkit.FreeAddr(t), P2P: testkit.FreeAddr(t), CometRPC: testkit.FreeAddr(t)}
		begin := time.Now()
		res, err := chainspec.Create(dir, chainspec.Spec{Name: "fast", Modules: []string{"token", "wasm"},
			BlockInterval: interval, Nodes: []node.NodeAddrs{addrs}})
		require.NoError(t, err)
		created := time.Since(begin)
		n, err := node.Start(res.Nodes[0].Home, node.Options{LogOutput: io.Discard})
		require.NoError(t, err)
		c := client.New(n.RPCAddr)
		// A guard, not a timed assertion: a node that never commits fails
		// the test instead of hanging it.
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		require.NoError(t, c.WaitHeight(ctx, 1))
		total := time.Since(begin)
		t.Logf("block interval %q: chain create → first committed block %v (create %v, start to block 1 %v)",
			interval, total.Round(time.Millisecond), created.Round(time.Millisecond), (total - created).Round(time.Millisecond))

		_, err = c.Call(ctx, db.String(), "tables", map[string]any{"owner": someone.String()}, 0)
		require.ErrorContains(t, err, "unknown contract")
		cancel()
		require.NoError(t, n.Stop())
	}
}

// TestCreateTwoValidatorsAgree starts both validators of a created chain
// that runs a non-default module set, commits a transfer, and checks both
// nodes computed the same app hash at every height up to it.
func TestCreateTwoValidatorsAgree(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "pair")
	var addrs []node.NodeAddrs
	for range 2 {
		addrs = append(addrs, node.NodeAddrs{RPC: testkit.FreeAddr(t), P2P: testkit.FreeAddr(t), CometRPC: testkit.FreeAddr(t)})
	}
	res, err := chainspec.Create(dir, chainspec.Spec{Name: "pair", Modules: []string{"token", "db"}, Validators: 2,
		BlockInterval: "200ms", Heartbeat: "0s", Nodes: addrs})
	require.NoError(t, err)
	var nodes []*node.Node
	for _, n := range res.Nodes {
		nd, err := node.Start(n.Home, node.Options{LogOutput: io.Discard})
		require.NoError(t, err)
		t.Cleanup(func() { _ = nd.Stop() })
		nodes = append(nodes, nd)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // a guard, not a timed assertion
	defer cancel()
	for _, nd := range nodes {
		require.NoError(t, client.New(nd.RPCAddr).WaitHeight(ctx, 1))
	}
	kr, err := keys.Open(res.Nodes[0].Home, keys.BackendTest, nil)
	require.NoError(t, err)
	dev, err := kr.Signer(node.DevKeyName)
	require.NoError(t, err)
	args, err := codec.Marshal(token.SendArgs{Token: "VSYS", To: someone, Amount: codec.NewU128(9)})
	require.NoError(t, err)
	sent, err := client.New(nodes[0].RPCAddr).Send(ctx, dev, []tx.Call{{Contract: token.Address, Method: "send", Args: args}}, client.SendOptions{})
	require.NoError(t, err)
	require.Equal(t, "ok", sent.Tx.Status, sent.Tx.Log)
	require.NoError(t, client.New(nodes[1].RPCAddr).WaitHeight(ctx, sent.Tx.Height))
	for h := int64(1); h <= sent.Tx.Height; h++ {
		h0, err := nodes[0].App.Store().HashAt(h)
		require.NoError(t, err)
		h1, err := nodes[1].App.Store().HashAt(h)
		require.NoError(t, err)
		require.Equal(t, h0, h1, "height %d", h)
	}
	require.Equal(t, []string{"token", "db"}, nodes[1].App.Modules())
}
