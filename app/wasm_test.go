package app

import (
	"context"
	"crypto/ed25519"
	"os"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/tx"
	"github.com/vsys/vsys/internal/testkit"
	"github.com/vsys/vsys/modules/database"
	"github.com/vsys/vsys/modules/wasm"
)

// artifact reads a contract built from contracts/ by `make contracts`
// (which `make test` runs first).
func artifact(t testing.TB, name string) []byte { return testkit.Artifact(t, name) }

func wasmTx(method string, args any) tx.Call { return contractCall(wasm.Address, method, args) }

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

func (h *harness) upload(k ed25519.PrivateKey, code []byte) []byte {
	h.t.Helper()
	res := h.ok(k, 50_000_000, wasmTx("upload", wasm.UploadArgs{Code: code}))
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
	// The contract pays the deposit for its own storage: fund it.
	res := h.ok(k, 2_000_000, withFunds(wasmTx("instantiate", wasm.InstantiateArgs{CodeHash: hash, Label: label, Admin: admin, Args: args}), contractFunds))
	var a address.Address
	require.NoError(h.t, codec.Unmarshal(res.Data, &a))
	return a
}

// contractFunds is what tests give a contract at instantiate for its
// storage deposits.
const contractFunds = 1_000_000

type counterInit struct{ Start uint64 }
type counterBy struct{ By uint64 }
type counterOther struct {
	Other address.Address
	By    uint64
}

func (h *harness) query(contract address.Address, method string, args, out any) {
	h.t.Helper()
	b, _, err := h.app.Call(context.Background(), 0, contract, method, mustMarshal(args), 10_000_000)
	require.NoError(h.t, err)
	require.NoError(h.t, codec.Unmarshal(b, out))
}

func TestCounterLifecycle(t *testing.T) {
	h := newRichHarness(t) // an upload pays for compiling
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
	bad := h.block(h.sign(bob, 300_000, wasmTx("migrate", wasm.MigrateArgs{Contract: c1, CodeHash: hash, Args: mustMarshal(struct{}{})})))[0]
	require.Equal(t, [2]any{"wasm", uint32(1)}, [2]any{bad.Codespace, bad.Code}, "wasm Unauthorized: %s", bad.Log)
	require.Contains(t, bad.Log, "only the admin")
	h.ok(alice, 2_000_000, wasmTx("migrate", wasm.MigrateArgs{Contract: c1, CodeHash: hash, Args: mustMarshal(struct{}{})}))
	var version uint32
	h.query(c1, "version", struct{}{}, &version)
	require.Equal(t, uint32(2), version)
	h.query(c1, "get", struct{}{}, &v)
	require.Equal(t, uint64(8), v)
	bad = h.block(h.sign(alice, 2_000_000, wasmTx("migrate", wasm.MigrateArgs{Contract: c2, CodeHash: hash, Args: mustMarshal(struct{}{})})))[0]
	require.Contains(t, bad.Log, "only the admin")

	// A contract cannot re-enter itself through another.
	res = h.block(h.sign(bob, 300_000, contractCall(c1, "call_other", counterOther{Other: c1, By: 1})))[0]
	// The refusal is a value the calling contract sees (vm's host call);
	// the contract then aborts on its own, so the tx fails as CallFailed,
	// not as the router's Reentrancy.
	require.Equal(t, [2]any{Codespace, CodeCallFailed}, [2]any{res.Codespace, res.Code}, res.Log)
	require.Contains(t, res.Log, "reentrant")
}

type tokenInit struct {
	Name      string
	Symbol    string
	Decimals  uint8
	MaxSupply codec.U128
}
type tokenAmount struct{ Amount codec.U128 }
type tokenSend struct {
	To     address.Address
	Amount codec.U128
}
type tokenBalance struct{ Address address.Address }

// exampleCalls runs one call of each kind on the example contracts and
// returns the gas each used.
func exampleCalls(t *testing.T, h *harness) []int64 {
	t.Helper()
	var gas []int64
	run := func(k ed25519.PrivateKey, limit uint64, c tx.Call) []byte {
		res := h.ok(k, limit, c)
		gas = append(gas, res.GasUsed)
		return res.Data
	}
	var hash []byte
	require.NoError(t, codec.Unmarshal(run(alice, 50_000_000, wasmTx("upload", wasm.UploadArgs{Code: artifact(t, "counter")})), &hash))
	var c1, c2 address.Address
	require.NoError(t, codec.Unmarshal(run(alice, 2_000_000, withFunds(wasmTx("instantiate", wasm.InstantiateArgs{CodeHash: hash, Label: "a", Args: mustMarshal(counterInit{1})}), contractFunds)), &c1))
	require.NoError(t, codec.Unmarshal(run(alice, 2_000_000, withFunds(wasmTx("instantiate", wasm.InstantiateArgs{CodeHash: hash, Label: "b", Args: mustMarshal(counterInit{2})}), contractFunds)), &c2))
	run(bob, 300_000, contractCall(c1, "increment", counterBy{By: 3}))
	run(bob, 300_000, contractCall(c1, "call_other", counterOther{Other: c2, By: 4}))

	require.NoError(t, codec.Unmarshal(run(alice, 50_000_000, wasmTx("upload", wasm.UploadArgs{Code: artifact(t, "token")})), &hash))
	var tok address.Address
	require.NoError(t, codec.Unmarshal(run(alice, 2_000_000, withFunds(wasmTx("instantiate", wasm.InstantiateArgs{CodeHash: hash, Label: "tok",
		Args: mustMarshal(tokenInit{Name: "Gem", Symbol: "GEM", Decimals: 2, MaxSupply: codec.NewU128(1_000_000)})}), contractFunds)), &tok))
	run(alice, 300_000, contractCall(tok, "issue", tokenAmount{codec.NewU128(5000)}))
	run(alice, 300_000, contractCall(tok, "send", tokenSend{To: addr(bob), Amount: codec.NewU128(1500)}))
	run(bob, 300_000, contractCall(tok, "send", tokenSend{To: addr(carol), Amount: codec.NewU128(500)}))
	run(bob, 300_000, contractCall(tok, "destroy", tokenAmount{codec.NewU128(100)}))
	var bal codec.U128
	h.query(tok, "balance", tokenBalance{addr(bob)}, &bal)
	require.Equal(t, codec.NewU128(900), bal)
	return gas
}

// TestWasmGasGolden pins the gas of every example call: a change of costs,
// of instrumentation or of the contracts shows up here, on purpose. Two
// fresh VMs agree to the unit, and so does a VM that loads the compiled
// code from the disk cache instead of compiling it.
func TestWasmGasGolden(t *testing.T) {
	cacheDir := t.TempDir()
	const funds = 1_000_000_000_000 // uploads pay for compiling
	fresh := exampleCalls(t, newHarnessFunded(t, Options{VMCacheDir: cacheDir}, funds))
	require.Equal(t, goldenWasmGas, fresh, "golden gas of the example contracts")
	again := exampleCalls(t, newHarnessFunded(t, Options{}, funds))
	require.Equal(t, fresh, again, "a second fresh VM")
	cached := exampleCalls(t, newHarnessFunded(t, Options{VMCacheDir: cacheDir}, funds))
	require.Equal(t, fresh, cached, "compiled code from the disk cache")
	entries, err := os.ReadDir(cacheDir)
	require.NoError(t, err)
	require.NotEmpty(t, entries, "wazero wrote its compilation cache")
}

var goldenWasmGas = []int64{
	16434466, 59437, 59437, // upload counter (about 15M of it compiling), instantiate twice (with funds)
	45212, 75991, // increment, call_other (WASM to WASM: host_call 2,000 more)
	16060194, 68437, // upload token (about 14.7M compiling), instantiate (with funds)
	69460, 60489, 60489, 70230, // issue, send, send, destroy
	// Every instance pays its 2 initial memory pages (20,000 gas);
	// call_other runs two. Every loop iteration pays loop (13).
}

// TestLifecycleErrors: instantiate refuses unknown code and a reused
// label; update_admin hands over or drops the admin; code_info carries the
// ABI. A refused call still pays its fee.
func TestLifecycleErrors(t *testing.T) {
	h := newRichHarness(t)
	hash := h.upload(alice, artifact(t, "counter"))
	admin := addr(alice)
	c := h.instantiate(alice, hash, "x", &admin, counterInit{1})

	for name, call := range map[string]tx.Call{
		"unknown code": wasmTx("instantiate", wasm.InstantiateArgs{CodeHash: make([]byte, 32), Label: "y", Args: mustMarshal(counterInit{1})}),
		"label reused": wasmTx("instantiate", wasm.InstantiateArgs{CodeHash: hash, Label: "x", Args: mustMarshal(counterInit{1})}),
		"bad init":     wasmTx("instantiate", wasm.InstantiateArgs{CodeHash: hash, Label: "z", Args: []byte{1}}),
		"not admin":    wasmTx("update_admin", wasm.UpdateAdminArgs{Contract: c}),
	} {
		signer := alice
		if name == "not admin" {
			signer = bob
		}
		before := h.app.Store().Hash()
		res := h.block(h.sign(signer, 2_000_000, call))[0]
		require.NotZero(t, res.Code, name)
		after := h.app.Store().Hash()
		require.NotEqual(t, before, after, "%s: the fee is still paid", name)
	}

	bobAddr := addr(bob)
	h.ok(alice, 300_000, wasmTx("update_admin", wasm.UpdateAdminArgs{Contract: c, Admin: &bobAddr}))
	h.ok(bob, 300_000, wasmTx("migrate", wasm.MigrateArgs{Contract: c, CodeHash: hash, Args: mustMarshal(struct{}{})}))
	h.ok(bob, 300_000, wasmTx("update_admin", wasm.UpdateAdminArgs{Contract: c}))
	res := h.block(h.sign(bob, 300_000, wasmTx("migrate", wasm.MigrateArgs{Contract: c, CodeHash: hash, Args: mustMarshal(struct{}{})})))[0]
	require.Contains(t, res.Log, "only the admin", "no admin: immutable")

	var view wasm.CodeView
	h.query(wasm.Address, "code_info", wasm.CodeArgs{CodeHash: hash}, &view)
	require.Equal(t, uint32(len(artifact(t, "counter"))), view.Info.Size)
	require.Contains(t, view.ABI, `"name":"counter"`)
	var info wasm.ContractInfo
	h.query(wasm.Address, "contract_info", wasm.ContractArgs{Contract: c}, &info)
	require.Nil(t, info.Admin)
	require.Equal(t, "x", info.Label)
}

func dbTx(method string, args any) tx.Call { return contractCall(database.Address, method, args) }
