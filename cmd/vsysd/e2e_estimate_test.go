package main

import (
	"context"
	"crypto/ed25519"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/keys"
	"github.com/vsys/vsys/core/tx"
	"github.com/vsys/vsys/rpc/client"
)

// TestEstimateOnNode: issue 9 §3.1 and §3.2 on a real node. An account
// holding 5,000,000 attaches 4,000,000 to the escrow contract with the
// CLI's exact estimate (it failed when the probe reserved the whole
// balance for gas); the tx uses exactly its gas limit; through the Go
// client, the estimate minus one runs out of gas and the estimate
// succeeds; cancel returns all that was escrowed, the contract having
// paid no storage deposit.
func TestEstimateOnNode(t *testing.T) {
	wasmFile := artifactPath(t, "escrow")
	c := newChain(t)
	c.start()
	defer c.stop(syscall.SIGTERM)
	kt := []string{"--from", "dev", "--keyring-backend", "test"}
	hash := outputField(t, c.run(append([]string{"tx", "wasm", "upload", wasmFile}, kt...)...), "code_hash")
	esc := outputField(t, c.run(append([]string{"tx", "wasm", "instantiate", hash, "escrow", `{"token_module":"vsys1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqp8hmvun"}`}, kt...)...), "contract")
	c.run("keys", "add", "small", "--keyring-backend", "test")
	small := strings.TrimSpace(c.run("keys", "show", "small", "--address", "--keyring-backend", "test"))
	c.run(append([]string{"tx", "token", "send", small, "5000000", "--base-units"}, kt...)...)

	out := c.run("tx", "wasm", "execute", esc, "deposit", `{"beneficiary":"`+small+`"}`, "--funds", "4000000VSYS", "--base-units", "--from", "small", "--keyring-backend", "test")
	var used, limit uint64
	for _, line := range strings.Split(out, "\n") {
		if f := strings.Fields(line); len(f) == 5 && f[0] == "gas" && f[2] == "used" {
			used, limit = mustUint(t, f[1]), mustUint(t, f[4])
		}
	}
	require.NotZero(t, limit, out)
	require.Equal(t, limit, used, "gas limit = the estimate, used exactly:\n%s", out)

	cl := client.New(c.rpc)
	kr, err := keys.Open(c.home, keys.BackendTest, nil)
	require.NoError(t, err)
	key, err := kr.Signer("small")
	require.NoError(t, err)
	escAddr, err := address.Parse(esc)
	require.NoError(t, err)
	bal := func(a address.Address) codec.U128 {
		acc, err := cl.GetAccount(context.Background(), a, 0)
		require.NoError(t, err)
		for _, b := range acc.Balances {
			if b.Token == "VSYS" {
				return b.Amount
			}
		}
		return codec.U128{}
	}
	require.Equal(t, codec.NewU128(4_000_000), bal(escAddr), "the contract holds the escrow, all of it")

	args, err := codec.Marshal(struct{ Seq uint64 }{0})
	require.NoError(t, err)
	cancel := []tx.Call{{Contract: escAddr, Method: "cancel", Args: args}}
	st, err := cl.Status(context.Background())
	require.NoError(t, err)
	acc, err := cl.GetAccount(context.Background(), address.FromPubKey(key.Public().(ed25519.PublicKey)), 0)
	require.NoError(t, err)
	p, err := tx.WithSignature(tx.Body{ChainID: st.ChainID, PubKey: key.Public().(ed25519.PublicKey), Nonce: acc.Nonce, GasPrice: st.MinGasPrice, Calls: cancel}, make([]byte, tx.SignatureLen))
	require.NoError(t, err)
	est, err := cl.EstimateGas(context.Background(), p.Bytes())
	require.NoError(t, err)
	require.True(t, est.OK, est.Error)
	require.Equal(t, codec.NewU128(30+44), est.DepositReturned, "the record's deposit comes back to its payer")

	short, err := cl.Send(context.Background(), key, cancel, client.SendOptions{GasLimit: est.GasUsed - 1})
	require.NoError(t, err)
	require.Equal(t, uint32(9), short.Tx.Code, "estimate - 1: out of gas: %s", short.Tx.Log)
	sent, err := cl.Send(context.Background(), key, cancel, client.SendOptions{})
	require.NoError(t, err)
	require.Equal(t, "ok", sent.Tx.Status, sent.Tx.Log)
	require.Equal(t, sent.Tx.GasWanted, sent.Tx.GasUsed, "the estimate, exactly")
	require.True(t, bal(escAddr).IsZero(), "cancel returned all of it")
}

func mustUint(t *testing.T, s string) uint64 {
	t.Helper()
	n, err := strconv.ParseUint(s, 10, 64)
	require.NoError(t, err)
	return n
}
