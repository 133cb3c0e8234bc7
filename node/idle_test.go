package node_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/tx"
	"github.com/vsys/vsys/node"
	"github.com/vsys/vsys/node/config"
	"github.com/vsys/vsys/rpc/client"
)

// idleHome is a home whose node makes blocks for txs only, with heartbeat
// as the longest idle gap (app.toml's consensus.create_empty_blocks*).
func idleHome(t *testing.T, chainID, heartbeat string) string {
	home, _ := initHomeWith(t, chainID, func(o *node.InitOptions) {
		o.App.Consensus.CreateEmptyBlocks = false
		o.App.Consensus.CreateEmptyBlocksInterval = heartbeat
	})
	c, err := config.Load(home)
	require.NoError(t, err)
	require.False(t, c.Consensus.CreateEmptyBlocks, "app.toml keeps the setting")
	cfg, err := node.LoadCometConfig(home)
	require.NoError(t, err)
	require.False(t, cfg.Consensus.CreateEmptyBlocks, "config.toml carries it to CometBFT")
	return home
}

// TestIdleChainMakesNoEmptyBlocks: with create_empty_blocks = false and an
// hour's heartbeat, an idle node (100 ms block interval) stays at its
// height, where it would otherwise make a block every 100 ms; a tx sent
// then is committed in the next block.
func TestIdleChainMakesNoEmptyBlocks(t *testing.T) {
	home := idleHome(t, "idle-chain", "1h")
	n := start(t, home)
	c := client.New(n.RPCAddr)
	ctx := context.Background()
	// Settle: genesis (block 1) changes the app hash, and CometBFT then
	// makes the block that proves it; after that nothing is due.
	time.Sleep(1500 * time.Millisecond)
	settled, err := c.BlockNumber(ctx)
	require.NoError(t, err)
	require.LessOrEqual(t, settled, int64(3), "a node making empty blocks would be near 15")
	time.Sleep(1500 * time.Millisecond)
	idle, err := c.BlockNumber(ctx)
	require.NoError(t, err)
	require.Equal(t, settled, idle, "no block in 1.5 s idle (15 block intervals)")

	sentAt := time.Now()
	sent, err := c.Send(ctx, devKey(t, home), []tx.Call{sendCall(address.Derive("test", []byte("idle")), 5)}, client.SendOptions{})
	require.NoError(t, err)
	require.Equal(t, "ok", sent.Tx.Status, sent.Tx.Log)
	require.Equal(t, idle+1, sent.Tx.Height, "the tx made the next block")
	t.Logf("idle at height %d; tx committed at %d, %v after it was sent", idle, sent.Tx.Height, time.Since(sentAt).Round(time.Millisecond))
}

// TestIdleChainHeartbeat: an idle node with a 1 s heartbeat still makes
// blocks, at about the heartbeat, not the 100 ms block interval.
func TestIdleChainHeartbeat(t *testing.T) {
	home := idleHome(t, "heartbeat-chain", "1s")
	n := start(t, home)
	c := client.New(n.RPCAddr)
	ctx := context.Background()
	from, err := c.BlockNumber(ctx)
	require.NoError(t, err)
	waitHeight(t, c, from+2) // two heartbeats
	time.Sleep(2 * time.Second)
	to, err := c.BlockNumber(ctx)
	require.NoError(t, err)
	require.Less(t, to-(from+2), int64(10), "2 s at a 100 ms interval would be 20 blocks; at a 1 s heartbeat, 2")
}
