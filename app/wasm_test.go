package app

import (
	"crypto/ed25519"
	"os"
	"path/filepath"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/app/address"
	"github.com/vsys/vsys/app/codec"
	"github.com/vsys/vsys/app/tx"
	"github.com/vsys/vsys/modules/code"
)

// artifact reads a contract built from contracts/ by `make contracts`
// (which `make test` runs first).
func artifact(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "contracts", "artifacts", name+".wasm"))
	require.NoError(t, err, "build the contracts first: make contracts")
	return b
}

func wasmTx(method string, args any) tx.Call {
	b, err := codec.Marshal(args)
	if err != nil {
		panic(err)
	}
	return tx.Call{Contract: code.Address, Method: method, Args: b}
}

func contractCall(contract address.Address, method string, args any) tx.Call {
	b, err := codec.Marshal(args)
	if err != nil {
		panic(err)
	}
	return tx.Call{Contract: contract, Method: method, Args: b}
}

// ok runs one tx in a block, requires it to succeed, and returns the
// result with Data replaced by the call's result.
func (h *harness) ok(k ed25519.PrivateKey, gasLimit uint64, c tx.Call) *abci.ExecTxResult {
	h.t.Helper()
	res := h.block(h.sign(k, gasLimit, c))[0]
	require.Zero(h.t, res.Code, res.Log)
	var results [][]byte
	require.NoError(h.t, codec.Unmarshal(res.Data, &results))
	res.Data = results[0]
	return res
}

func (h *harness) upload(k ed25519.PrivateKey, wasm []byte) []byte {
	h.t.Helper()
	res := h.ok(k, 5_000_000, wasmTx("upload", code.UploadArgs{Code: wasm}))
	var hash []byte
	require.NoError(h.t, codec.Unmarshal(res.Data, &hash))
	return hash
}

func (h *harness) instantiate(k ed25519.PrivateKey, hash []byte, label string, admin *address.Address, initArgs any) address.Address {
	h.t.Helper()
	var args []byte
	if initArgs != nil {
		args = mustMarshal(initArgs)
	}
	res := h.ok(k, 2_000_000, wasmTx("instantiate", code.InstantiateArgs{CodeHash: hash, Label: label, Admin: admin, Args: args}))
	var a address.Address
	require.NoError(h.t, codec.Unmarshal(res.Data, &a))
	return a
}

type counterInit struct{ Start uint64 }
type counterBy struct{ By uint64 }
type counterOther struct {
	Other address.Address
	By    uint64
}

func (h *harness) query(contract address.Address, method string, args, out any) {
	h.t.Helper()
	b, _, err := h.app.Call(0, contract, method, mustMarshal(args), 10_000_000)
	require.NoError(h.t, err)
	require.NoError(h.t, codec.Unmarshal(b, out))
}

func TestCounterLifecycle(t *testing.T) {
	h := newHarness(t)
	hash := h.upload(alice, artifact(t, "counter"))
	admin := addr(alice)
	c1 := h.instantiate(alice, hash, "one", &admin, counterInit{Start: 5})
	c2 := h.instantiate(alice, hash, "two", nil, counterInit{Start: 100})

	res := h.ok(bob, 300_000, contractCall(c1, "increment", counterBy{By: 3}))
	var v uint64
	require.NoError(t, codec.Unmarshal(res.Data, &v))
	require.Equal(t, uint64(8), v)
	require.Equal(t, "incremented", res.Events[1].Type)

	// WASM → WASM.
	res = h.ok(bob, 300_000, contractCall(c1, "call_other", counterOther{Other: c2, By: 7}))
	require.NoError(t, codec.Unmarshal(res.Data, &v))
	require.Equal(t, uint64(107), v)
	h.query(c2, "get", struct{}{}, &v)
	require.Equal(t, uint64(107), v)

	// Migrate keeps state; only the admin may; no admin means never.
	bad := h.block(h.sign(bob, 300_000, wasmTx("migrate", code.MigrateArgs{Contract: c1, CodeHash: hash, Args: mustMarshal(struct{}{})})))[0]
	require.NotZero(t, bad.Code)
	require.Contains(t, bad.Log, "only the admin")
	h.ok(alice, 2_000_000, wasmTx("migrate", code.MigrateArgs{Contract: c1, CodeHash: hash, Args: mustMarshal(struct{}{})}))
	var version uint32
	h.query(c1, "version", struct{}{}, &version)
	require.Equal(t, uint32(2), version)
	h.query(c1, "get", struct{}{}, &v)
	require.Equal(t, uint64(8), v)
	bad = h.block(h.sign(alice, 2_000_000, wasmTx("migrate", code.MigrateArgs{Contract: c2, CodeHash: hash, Args: mustMarshal(struct{}{})})))[0]
	require.Contains(t, bad.Log, "only the admin")

	// A contract cannot re-enter itself through another.
	res = h.block(h.sign(bob, 300_000, contractCall(c1, "call_other", counterOther{Other: c1, By: 1})))[0]
	require.NotZero(t, res.Code)
	require.Contains(t, res.Log, "reentrant")
}
