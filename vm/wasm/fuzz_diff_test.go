package wasm

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// diffModule wraps body (the instructions of exported function "f", with
// two i64 and one i32 locals) in a module with a table, a helper function
// g: [i64] -> [i64], a mutable global and a memory of 1 page (max 2).
func diffModule(body []byte) []byte {
	secs := []rawSection{
		{secType, []byte{2, 0x60, 0, 0, 0x60, 1, 0x7E, 1, 0x7E}},
		{secFunction, []byte{2, 0, 1}},
		{secTable, []byte{1, 0x70, 0, 2}},
		{secMemory, []byte{1, 1, 1, 2}},
		{secGlobal, []byte{1, 0x7E, 1, 0x42, 0, 0x0B}},
		{secExport, []byte{3, 6, 'm', 'e', 'm', 'o', 'r', 'y', 2, 0, 1, 'f', 0, 0, 2, 'g', '0', 3, 0}},
		{secElement, []byte{1, 0, 0x41, 0, 0x0B, 2, 0, 1}},
	}
	f := append([]byte{2, 2, 0x7E, 1, 0x7F}, body...)
	f = append(f, 0x0B)
	g := []byte{0, 0x20, 0, 0x42, 1, 0x7C, 0x0B}
	secs = append(secs, codeSection(f, g), abiSec())
	return joinSections(secs)
}

// FuzzDifferential: for any function body the validator accepts and wazero
// compiles, the instrumented module behaves like the original: same
// memory, same global, same trap/no trap, unless it ran out of gas or
// call depth.
func FuzzDifferential(f *testing.F) {
	for _, body := range [][]byte{
		{0x41, 0, 0x42, 7, 0x37, 3, 0}, // i64.store 0 7
		{0x03, 0x40, 0x20, 0, 0x42, 1, 0x7C, 0x22, 0, 0x42, 10, 0x54, 0x0D, 0, 0x0B, 0x41, 8, 0x20, 0, 0x37, 3, 0}, // loop to 10
		{0x41, 0, 0x42, 5, 0x41, 1, 0x11, 1, 0, 0x37, 3, 0},                                                        // call_indirect g
		{0x41, 1, 0x40, 0, 0x1A, 0x41, 0, 0x41, 0x2A, 0x41, 16, 0xFC, 11, 0},                                       // grow, fill
		{0x02, 0x40, 0x41, 1, 0x0E, 1, 0, 0, 0x0B, 0x42, 3, 0x24, 0},                                               // br_table, global.set
		{0x41, 0, 0x04, 0x40, 0x00, 0x05, 0x42, 2, 0x10, 1, 0x24, 0, 0x0B},                                         // if/else, call g
		{0x10, 0}, // unbounded recursion
		{0x00},    // unreachable
	} {
		f.Add(body)
	}
	ctx := context.Background()
	rt := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfigCompiler())
	f.Cleanup(func() { _ = rt.Close(ctx) })
	s := DefaultSchedule()
	s.MaxStackDepth = 100

	run := func(t *testing.T, code []byte, gas uint64) (mem []byte, g0 uint64, inst api.Module, err error) {
		cm, cerr := rt.CompileModule(ctx, code)
		require.NoError(t, cerr)
		t.Cleanup(func() { _ = cm.Close(ctx) })
		m, ierr := rt.InstantiateModule(ctx, cm, wazero.NewModuleConfig().WithName(""))
		require.NoError(t, ierr)
		t.Cleanup(func() { _ = m.Close(ctx) })
		if g, ok := m.ExportedGlobal(ExportGas).(api.MutableGlobal); ok {
			g.Set(gas)
		}
		_, err = m.ExportedFunction("f").Call(ctx)
		b, _ := m.Memory().Read(0, m.Memory().Size())
		return append([]byte{}, b...), m.ExportedGlobal("g0").Get(), m, err
	}

	f.Fuzz(func(t *testing.T, body []byte) {
		code := diffModule(body)
		out, _, err := Instrument(code, &s)
		if err != nil {
			return
		}
		if cm, err := rt.CompileModule(ctx, code); err != nil {
			return // ill-typed: wazero's validator refuses it, as the VM would
		} else {
			_ = cm.Close(ctx)
		}
		imem, ig, inst, ierr := run(t, out, 1_000_000)
		trap := inst.ExportedGlobal(ExportTrap).Get()
		if trap != 0 {
			require.Error(t, ierr)
			require.Contains(t, []uint64{TrapOutOfGas, TrapStackDepth}, trap)
			return // the original may not terminate, or recurse deeper
		}
		require.Zero(t, inst.ExportedGlobal(ExportDepth).Get()*boolU(ierr == nil))
		omem, og, _, oerr := run(t, code, 0)
		require.Equal(t, oerr != nil, ierr != nil, "orig %v, instrumented %v", oerr, ierr)
		require.Equal(t, og, ig)
		require.True(t, bytes.Equal(omem, imem), "memory differs")
	})
}

func boolU(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}
