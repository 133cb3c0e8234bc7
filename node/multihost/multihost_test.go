package multihost_test

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cometbft/cometbft/types"
	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/internal/testkit"
	"github.com/vsys/vsys/node"
	"github.com/vsys/vsys/node/config"
	"github.com/vsys/vsys/node/multihost"
	"github.com/vsys/vsys/rpc/client"
)

func TestParseHosts(t *testing.T) {
	hs, err := multihost.ParseHosts([]string{"10.0.0.1:26656", "node-b.example:3000/3001/3002/3003", "[::1]:26656"}, multihost.DefaultPorts)
	require.NoError(t, err)
	require.Equal(t, multihost.Host{Addr: "10.0.0.1", P2P: 26656, Ports: multihost.DefaultPorts}, hs[0])
	require.Equal(t, multihost.Host{Addr: "node-b.example", P2P: 3000, Ports: multihost.Ports{CometRPC: 3001, RPC: 3002, Metrics: 3003}}, hs[1])
	require.Equal(t, "[::1]:26656", hs[2].P2PAddr())
	back, err := multihost.ParseHost(hs[1].String(), multihost.Ports{})
	require.NoError(t, err)
	require.Equal(t, hs[1], back)

	for _, bad := range []string{"", "host", ":26656", "h:0", "h:70000", "h:x", "h:1/2/3", "h:1/2/3/x"} {
		_, err := multihost.ParseHosts([]string{bad}, multihost.DefaultPorts)
		require.ErrorIs(t, err, multihost.ErrBadHost, bad)
	}
	_, err = multihost.ParseHosts(nil, multihost.DefaultPorts)
	require.ErrorIs(t, err, multihost.ErrNoHosts)
	// Two validators on one host with the default ports clash on the RPC ports.
	_, err = multihost.ParseHosts([]string{"h:1000", "h:2000"}, multihost.DefaultPorts)
	require.ErrorIs(t, err, multihost.ErrPortClash)
	require.ErrorContains(t, err, "h:26657")
	_, err = multihost.ParseHosts([]string{"h:26657"}, multihost.DefaultPorts)
	require.ErrorIs(t, err, multihost.ErrPortClash, "one validator's own ports")
}

// TestThreeHostsCommitTogether: three validators written for three hosts,
// the loopback addresses 127.0.0.2, .3 and .4 on the same ports (as three
// machines would be), started as real nodes, commit blocks together:
// every one reaches height 3 and the commit of height 3 carries all three
// signatures.
func TestThreeHostsCommitTogether(t *testing.T) {
	base, err := testkit.ReservePortRange(4)
	require.NoError(t, err)
	var entries []string
	for i := range 3 {
		entries = append(entries, fmt.Sprintf("127.0.0.%d:%d/%d/%d/%d", i+2, base, base+1, base+2, base+3))
	}
	hosts, err := multihost.ParseHosts(entries, multihost.DefaultPorts)
	require.NoError(t, err)
	dir := t.TempDir()
	var progress []int
	nodes, err := multihost.Write(dir, multihost.Options{ChainID: "hosts-test", Hosts: hosts, BlockInterval: "100ms",
		DevBalance: codec.NewU128(1_000_000), BindHost: true, Progress: func(done, _ int) { progress = append(progress, done) }})
	require.NoError(t, err)
	require.Equal(t, []int{1, 2, 3}, progress)

	homes, err := multihost.Load(dir)
	require.NoError(t, err)
	require.Len(t, homes, 3)
	gen, err := types.GenesisDocFromJSON(homes[0].Genesis)
	require.NoError(t, err)
	require.Len(t, gen.Validators, 3)
	for i, h := range homes {
		require.Equal(t, nodes[i].NodeID, h.NodeID)
		require.Equal(t, "tcp://"+hosts[i].P2PAddr(), h.Comet.P2P.ExternalAddress)
		require.False(t, h.Comet.P2P.AllowDuplicateIP, "distinct hosts")
		peers := strings.Split(h.Comet.P2P.PersistentPeers, ",")
		require.Len(t, peers, 2)
		for j := range homes {
			if j != i {
				require.Contains(t, peers, homes[j].NodeID+"@"+hosts[j].P2PAddr())
			}
		}
		require.Equal(t, int64(10), gen.Validators[i].Power)
		// Three nodes in one process: one Prometheus registry, so no metrics.
		h.App.Metrics.Enabled = false
		h.App.Log.Level = "error"
		require.NoError(t, config.Save(h.Dir, h.App))
	}

	var running []*node.Node
	for _, n := range nodes {
		nd, err := node.Start(n.Home, node.Options{LogOutput: io.Discard})
		require.NoError(t, err)
		t.Cleanup(func() { _ = nd.Stop() })
		running = append(running, nd)
	}
	// A guard, not a timed assertion: a chain that never commits fails
	// the test instead of hanging it.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	for i, nd := range running {
		require.Equal(t, hosts[i].Addr+fmt.Sprintf(":%d", base+2), nd.RPCAddr)
		require.NoError(t, client.New(nd.RPCAddr).WaitHeight(ctx, 3), "node %d", i)
	}
	// Height 3's commit is stored with block 4, as its last commit.
	require.NoError(t, client.New(running[0].RPCAddr).WaitHeight(ctx, 4))
	commit := running[0].Comet.BlockStore().LoadBlockCommit(3)
	require.NotNil(t, commit)
	signed := map[string]bool{}
	for _, s := range commit.Signatures {
		if s.BlockIDFlag == types.BlockIDFlagCommit {
			signed[s.ValidatorAddress.String()] = true
		}
	}
	for _, n := range nodes {
		require.True(t, signed[n.Validator], "validator %s signed height 3", n.Validator)
	}
	require.Equal(t, filepath.Join(dir, "node2"), nodes[2].Home)
}
