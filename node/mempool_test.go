package node_test

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/app"
	"github.com/vsys/vsys/app/genesis"
	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/gas"
	"github.com/vsys/vsys/core/tx"
	"github.com/vsys/vsys/modules/token"
	"github.com/vsys/vsys/node"
	"github.com/vsys/vsys/rpc/client"
)

// TestParkedTxsDoNotBlockOthersOnANode: on a real node, six accounts park
// 24 txs of ~1 MB ahead of their nonces, more than a block's 21 MB; a
// second sender's transfer and the tx that fills one parker's gap, sent
// behind them, are committed within a few blocks, and that parker's txs
// follow. Before the fix CometBFT handed PrepareProposal only the first
// 21 MB of its mempool, all parked, and nothing behind them ever got in.
func TestParkedTxsDoNotBlockOthersOnANode(t *testing.T) {
	const chainID = "parked-chain"
	var parkers []ed25519.PrivateKey
	var accounts []genesis.Account
	for i := 0; i < 6; i++ {
		seed := sha256.Sum256([]byte{'p', byte(i)})
		k := ed25519.NewKeyFromSeed(seed[:])
		parkers = append(parkers, k)
		accounts = append(accounts, genesis.Account{Address: address.FromPubKey(k.Public().(ed25519.PublicKey)), Balance: codec.NewU128(1_000_000_000_000)})
	}
	home, _ := initHomeWith(t, chainID, func(o *node.InitOptions) { o.Accounts = accounts })
	n, err := node.Start(home, node.Options{LogOutput: io.Discard})
	require.NoError(t, err)
	defer n.Stop()
	c := client.New(n.RPCAddr)
	waitHeight(t, c, 1)
	ctx := context.Background()

	costs := gas.DefaultCosts()
	sign := func(k ed25519.PrivateKey, nonce uint64, pad int) []byte {
		calls := []tx.Call{sendCall(address.Derive("test", []byte("parked")), 1)}
		if pad > 0 { // fails when it runs; only its size matters here
			calls = append(calls, tx.Call{Contract: token.Address, Method: "pad", Args: make([]byte, pad)})
		}
		s, err := tx.Sign(tx.Body{ChainID: chainID, Nonce: nonce, GasLimit: app.IntrinsicGas(&costs, pad+1024) + 100_000,
			GasPrice: codec.NewU128(1), Calls: calls}, k)
		require.NoError(t, err)
		return s.Bytes()
	}
	for _, k := range parkers {
		for nonce := uint64(1); nonce <= 4; nonce++ {
			_, err := c.SendRawTransaction(ctx, sign(k, nonce, 1_000_000))
			require.NoError(t, err, "parked tx %d", nonce)
		}
	}
	sentAt, err := c.BlockNumber(ctx)
	require.NoError(t, err)
	other, err := c.SendRawTransaction(ctx, sign(devKey(t, home), 0, 0))
	require.NoError(t, err)
	gap, err := c.SendRawTransaction(ctx, sign(parkers[0], 0, 0))
	require.NoError(t, err)

	wait, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for name, h := range map[string][]byte{"the other sender's tx": other, "the gap-filling tx": gap} {
		got, err := c.WaitTx(wait, h)
		require.NoError(t, err, "%s never committed", name)
		require.Equal(t, "ok", got.Status, got.Log)
		t.Logf("%s: sent after height %d, committed at %d", name, sentAt, got.Height)
		require.LessOrEqual(t, got.Height, sentAt+4, "%s committed at %d, sent at %d", name, got.Height, sentAt)
	}
	// The parker's four txs, ready now, follow (and fail: their padding
	// call is not a method).
	require.Eventually(t, func() bool {
		acc, err := c.GetAccount(ctx, address.FromPubKey(parkers[0].Public().(ed25519.PublicKey)), 0)
		return err == nil && acc.Nonce == 5
	}, 30*time.Second, 100*time.Millisecond)
}
