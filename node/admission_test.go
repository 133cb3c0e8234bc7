package node_test

import (
	"context"
	"crypto/ed25519"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/app"
	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/gas"
	"github.com/vsys/vsys/core/tx"
	"github.com/vsys/vsys/node"
	"github.com/vsys/vsys/rpc/client"
	"github.com/vsys/vsys/rpc/jsonrpc"
)

// signedSend is a transfer of 1 from key at nonce on chainID.
func signedSend(t *testing.T, chainID string, key ed25519.PrivateKey, nonce uint64) []byte {
	t.Helper()
	costs := gas.DefaultCosts()
	s, err := tx.Sign(tx.Body{ChainID: chainID, Nonce: nonce, GasLimit: app.IntrinsicGas(&costs, 1024) + 100_000,
		GasPrice: codec.NewU128(1), Calls: []tx.Call{sendCall(address.Derive("test", []byte("admission")), 1)}}, key)
	require.NoError(t, err)
	return s.Bytes()
}

func requireRPCError(t *testing.T, err error, code int, contains string) {
	t.Helper()
	var je *jsonrpc.Error
	require.True(t, errors.As(err, &je), "want a JSON-RPC error, got %v", err)
	require.Equal(t, code, je.Code, je.Message)
	require.Contains(t, je.Message, contains)
}

// TestDiskQuotaOnANode: a node whose data directory grows over its quota
// refuses new txs at vsys_sendRawTransaction and at CheckTx with
// ErrDiskQuota, while queries answer and blocks keep coming; once the
// directory is below the quota again, txs are admitted again.
func TestDiskQuotaOnANode(t *testing.T) {
	const chainID = "quota-chain"
	const quota = 256 << 20
	home, _ := initHomeWith(t, chainID, func(o *node.InitOptions) {
		o.App.Admission.DiskQuotaBytes = quota
		o.App.Admission.DiskCheckInterval = "50ms"
	})
	n := start(t, home)
	c := client.New(n.RPCAddr)
	ctx := context.Background()
	key := devKey(t, home)

	_, err := c.SendRawTransaction(ctx, signedSend(t, chainID, key, 0))
	require.NoError(t, err, "under the quota")

	// A sparse file of the quota's size: its apparent size puts the data
	// directory over, without writing 256 MiB.
	filler := filepath.Join(home, "data", "filler")
	f, err := os.Create(filler)
	require.NoError(t, err)
	require.NoError(t, f.Truncate(quota))
	require.NoError(t, f.Close())

	refused := func() error { _, err := c.SendRawTransaction(ctx, signedSend(t, chainID, key, 1)); return err }
	// Until the next measurement a send may still be admitted, and a
	// repeat of it then fails as already in the mempool's cache: wait for
	// the quota's own refusal.
	overQuota := func() bool {
		var je *jsonrpc.Error
		return errors.As(refused(), &je) && je.Code == -32000-int(app.CodeDiskQuota)
	}
	require.Eventually(t, overQuota, 30*time.Second, 20*time.Millisecond,
		"the next measurement finds the directory over the quota")
	requireRPCError(t, refused(), -32000-int(app.CodeDiskQuota), "over the quota of 268435456")

	// CheckTx refuses a new tx with the code, and keeps one being rechecked.
	raw := signedSend(t, chainID, key, 1)
	res, err := n.App.CheckTx(ctx, &abci.RequestCheckTx{Tx: raw, Type: abci.CheckTxType_New})
	require.NoError(t, err)
	require.Equal(t, app.CodeDiskQuota, res.Code, res.Log)
	require.Equal(t, app.Codespace, res.Codespace)
	res, err = n.App.CheckTx(ctx, &abci.RequestCheckTx{Tx: raw, Type: abci.CheckTxType_Recheck})
	require.NoError(t, err)
	require.NotEqual(t, app.CodeDiskQuota, res.Code, "a recheck is not refused for the quota: %s", res.Log)

	// Reads still work, and the chain still makes blocks.
	acc, err := c.GetAccount(ctx, address.FromPubKey(key.Public().(ed25519.PublicKey)), 0)
	require.NoError(t, err)
	h, err := c.BlockNumber(ctx)
	require.NoError(t, err)
	waitHeight(t, c, h+2)
	require.LessOrEqual(t, acc.Nonce, uint64(1))

	require.NoError(t, os.Remove(filler))
	// The recheck above may have applied nonce 1 to the check state, so
	// the tx admitted now is nonce 1 or, after it, nonce 2.
	// EventuallyWithT reports the last attempt's error itself: a message
	// argument would be formatted once, before any attempt.
	require.EventuallyWithT(t, func(c2 *assert.CollectT) {
		var last error
		for _, nonce := range []uint64{1, 2} {
			if _, last = c.SendRawTransaction(ctx, signedSend(t, chainID, key, nonce)); last == nil {
				return
			}
		}
		assert.NoError(c2, last, "below the quota again, txs are admitted")
	}, 30*time.Second, 20*time.Millisecond)
}

// TestTxRateLimitOnANode: with a rate of one tx per 1000 s and a burst of
// two, the third tx is refused with the rate error, whatever the app
// thinks of it, and queries are not limited.
func TestTxRateLimitOnANode(t *testing.T) {
	const chainID = "rate-chain"
	home, _ := initHomeWith(t, chainID, func(o *node.InitOptions) {
		o.App.Admission.TxsPerSecond = 0.001
		o.App.Admission.TxBurst = 2
	})
	n := start(t, home)
	c := client.New(n.RPCAddr)
	ctx := context.Background()
	key := devKey(t, home)
	for nonce := uint64(0); nonce < 2; nonce++ {
		_, err := c.SendRawTransaction(ctx, signedSend(t, chainID, key, nonce))
		require.NoError(t, err, "tx %d is within the burst", nonce)
	}
	_, err := c.SendRawTransaction(ctx, signedSend(t, chainID, key, 2))
	requireRPCError(t, err, jsonrpc.CodeServerBusy, "tx rate limit: this node accepts 0.001 txs per second (burst 2)")
	for range 5 {
		_, err := c.BlockNumber(ctx)
		require.NoError(t, err)
	}
}
