package app

import (
	"bytes"
	"context"
	"encoding/binary"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/internal/testkit"
	"github.com/vsys/vsys/modules/wasm"
)

type pagesArg struct{ Pages uint32 }
type depthArg struct{ Depth uint64 }
type bytesArg struct{ Bytes uint32 }
type nArg struct{ N uint32 }

// TestAdversarialContract runs every attack of contracts/adversarial on a
// real chain: each fails with a clear result, pays its gas, leaves the
// contract's state as it was, and the chain keeps making blocks.
func TestAdversarialContract(t *testing.T) {
	h := newRichHarness(t)
	hash := h.upload(alice, artifact(t, "adversarial"))
	adv := h.instantiate(alice, hash, "adv", nil, nil)
	const limit = 2_000_000

	cases := []struct {
		name   string
		method string
		args   any
		code   uint32
		log    string
		allGas bool   // out of gas: the whole limit is paid
		limit  uint64 // gas limit, if not the default
	}{
		{"infinite loop", "loop_forever", struct{}{}, CodeOutOfGas, "out of gas", true, 0},
		{"memory beyond the limit", "grow_memory", pagesArg{600}, CodeCallFailed, "grow failed", false, 0},
		{"unbounded recursion", "recurse", depthArg{1_000_000}, CodeCallFailed, "stack depth exceeded", false, 0},
		{"panic", "panic_msg", struct{}{}, CodeCallFailed, "boom: adversarial panic", false, 0},
		{"huge event", "huge_event", bytesArg{100 << 10}, CodeEventTooLarge, "event too large", false, 100_000_000},
		{"huge output", "huge_output", bytesArg{1100 << 10}, CodeCallFailed, "output of 1126404 bytes, limit 1048576", false, 100_000_000},
		{"write then panic", "write_then_panic", struct{}{}, CodeCallFailed, "after write", false, 0},
		{"storage flood", "storage_flood", nArg{1_000_000}, CodeOutOfGas, "out of gas", true, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := h.contractState(adv)
			lim := uint64(limit)
			if c.limit > 0 {
				lim = c.limit
			}
			res := h.block(h.sign(bob, lim, contractCall(adv, c.method, c.args)))[0]
			require.Equal(t, c.code, res.Code, res.Log)
			require.Contains(t, res.Log, c.log)
			require.Positive(t, res.GasUsed)
			if c.allGas {
				require.Equal(t, int64(lim), res.GasUsed)
			}
			require.Equal(t, before, h.contractState(adv), "the contract's state must not change")
			// The chain goes on: a normal call in the next block works.
			var ok bool
			h.query(adv, "marker", struct{}{}, &ok)
			require.False(t, ok, "write_then_panic's write must not persist")
		})
	}

	// Within the limits the same entry points work.
	res := h.ok(bob, limit, contractCall(adv, "grow_memory", pagesArg{10}))
	var pages uint32
	require.NoError(t, codec.Unmarshal(res.Data, &pages))
	require.Equal(t, uint32(12), pages)
	res = h.ok(bob, limit, contractCall(adv, "recurse", depthArg{100}))
	var depth uint64
	require.NoError(t, codec.Unmarshal(res.Data, &depth))
	require.Equal(t, uint64(100), depth)

	// Reentrancy through the host's call is refused, as a value the
	// contract sees.
	res = h.ok(bob, limit, contractCall(adv, "reenter", struct{}{}))
	var msg string
	require.NoError(t, codec.Unmarshal(res.Data, &msg))
	require.Contains(t, msg, "reentrant")
}

// contractState is every key and value under a contract's prefix.
func (h *harness) contractState(a address.Address) map[string]string {
	h.t.Helper()
	kv, _, err := h.app.View(0)
	require.NoError(h.t, err)
	prefix := append([]byte{}, a[:]...)
	out := map[string]string{}
	it, err := kv.Iterator(nil, nil, true)
	require.NoError(h.t, err)
	defer it.Close()
	for ; it.Valid(); it.Next() {
		if bytes.Contains(it.Key(), prefix) {
			out[string(it.Key())] = string(it.Value())
		}
	}
	return out
}

// withABI appends a minimal vsys_abi custom section, so that a fixture is
// refused for what it is testing and not for a missing ABI.
func withABI(b []byte) []byte {
	name, data := "vsys_abi", []byte(`{"name":"fixture","methods":[],"events":[]}`)
	payload := binary.AppendUvarint(nil, uint64(len(name)))
	payload = append(append(payload, name...), data...)
	out := append(append([]byte{}, b...), 0)
	out = binary.AppendUvarint(out, uint64(len(payload)))
	return append(out, payload...)
}

// TestUploadRejects: code the chain must never run is refused at upload
// with an error that says where and why, and nothing is stored.
func TestUploadRejects(t *testing.T) {
	h := newRichHarness(t)
	fixture := func(name string) []byte {
		b, err := os.ReadFile(testkit.RepoPath(t, "vm/wasm/testdata/"+name+".wasm"))
		require.NoError(t, err)
		return withABI(b)
	}
	oversized := append(withABI(fixture("diff")), make([]byte, 900<<10)...)
	cases := []struct {
		name string
		code []byte
		log  string
	}{
		{"float instruction", fixture("reject_float_instr"), "float"},
		{"unknown import", fixture("reject_unknown_import"), "import"},
		{"memory too large", fixture("reject_memory_large"), "memory"},
		{"start function", fixture("reject_start"), "start"},
		{"simd", fixture("reject_simd"), "simd"},
		{"oversized code", oversized, "bytes"},
		{"not wasm", []byte("definitely not wasm"), "wasm"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := h.app.Store().Hash()
			res := h.block(h.sign(alice, 60_000_000, wasmTx("upload", wasm.UploadArgs{Code: c.code})))[0]
			require.NotZero(t, res.Code)
			require.Contains(t, res.Log, "upload:")
			require.Contains(t, res.Log, c.log)
			_ = before
			_, _, err := h.app.Call(context.Background(), 0, wasm.Address, "code_info", mustMarshal(wasm.CodeArgs{CodeHash: make([]byte, 32)}), 1_000_000)
			require.ErrorIs(t, err, wasm.ErrCodeNotFound)
		})
	}
}
