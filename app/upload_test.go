package app

import (
	"context"
	"crypto/ed25519"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/tx"
	"github.com/vsys/vsys/internal/testkit/wasmasm"
	wasmmodule "github.com/vsys/vsys/modules/wasm"
	"github.com/vsys/vsys/vm/wasm"
)

// nestedModule is a valid module but for its one function: depth nested
// empty blocks.
func nestedModule(depth int) []byte {
	var body []byte
	for range depth {
		body = append(body, 0x02, 0x40)
	}
	for range depth {
		body = append(body, 0x0B)
	}
	m := wasmasm.Module{Name: "n", Pages: 1, Funcs: []wasmasm.Func{{Export: "f", Body: body}}}
	return m.Bytes()
}

// TestUploadEstimatePaysCompiling: vsys_estimateGas's simulation of an
// upload pays the compile charge exactly as delivery does, and a module
// past the compile limits is refused by the simulation without compiling
// (issue 9: estimating a 10,000-deep nesting ran 53 s of free compile).
func TestUploadEstimatePaysCompiling(t *testing.T) {
	h := newRichHarness(t)
	s := wasm.DefaultSchedule()
	simulate := func(b tx.Body) Outcome {
		probe, err := tx.WithSignature(b, make([]byte, tx.SignatureLen))
		require.NoError(t, err)
		out, err := h.app.Simulate(context.Background(), probe.Bytes())
		require.NoError(t, err)
		return out
	}
	upload := func(wasmCode []byte) tx.Body {
		return tx.Body{ChainID: chainID, PubKey: alice.Public().(ed25519.PublicKey), Nonce: h.nonces[addr(alice)], GasLimit: 90_000_000,
			GasPrice: codec.NewU128(1), Calls: []tx.Call{wasmTx("upload", wasmmodule.UploadArgs{Code: wasmCode})}}
	}

	counter := artifact(t, "counter")
	inst, mod, err := wasm.Instrument(counter, &s)
	require.NoError(t, err)
	body := upload(counter)
	out := simulate(body)
	require.NoError(t, out.Err)
	require.Greater(t, out.GasUsed, s.CompileGas(inst, mod), "the estimate includes compiling")
	body.GasLimit = out.GasUsed
	signed, err := tx.Sign(body, alice)
	require.NoError(t, err)
	res := h.block(signed.Bytes())[0]
	require.Zero(t, res.Code, res.Log)
	require.Equal(t, int64(out.GasUsed), res.GasUsed, "delivery pays what the estimate said")
	h.nonces[addr(alice)]++

	bomb := simulate(upload(nestedModule(10_000)))
	require.Error(t, bomb.Err)
	require.Contains(t, bomb.Err.Error(), "more than max_nesting 256")
}
