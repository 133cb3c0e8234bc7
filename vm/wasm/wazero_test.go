package wasm

import (
	"context"
	"encoding/binary"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// host is a stub of the vsys host module: input and output only; every
// other function does nothing and returns zeros.
type host struct {
	input  []byte
	output []byte
}

func valueTypes(ts []ValType) []api.ValueType {
	out := make([]api.ValueType, len(ts))
	for i, t := range ts {
		switch t {
		case I32:
			out[i] = api.ValueTypeI32
		case I64:
			out[i] = api.ValueTypeI64
		}
	}
	return out
}

// runtime starts a compiler-engine runtime with the host stub and
// instantiates code.
func (h *host) instantiate(t testing.TB, code []byte) (wazero.Runtime, api.Module) {
	t.Helper()
	ctx := context.Background()
	rt := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfigCompiler())
	t.Cleanup(func() { _ = rt.Close(ctx) })
	b := rt.NewHostModuleBuilder(HostModule)
	for _, hf := range HostAPI() {
		name, ft := hf.Name, hf.Sig()
		fn := func(ctx context.Context, m api.Module, stack []uint64) {
			for i := range stack {
				stack[i] = 0
			}
		}
		switch name {
		case "input_len":
			fn = func(ctx context.Context, m api.Module, stack []uint64) { stack[0] = uint64(len(h.input)) }
		case "input_read":
			fn = func(ctx context.Context, m api.Module, stack []uint64) {
				if !m.Memory().Write(uint32(stack[0]), h.input) {
					panic("out of bounds")
				}
			}
		case "output":
			fn = func(ctx context.Context, m api.Module, stack []uint64) {
				b, ok := m.Memory().Read(uint32(stack[0]), uint32(stack[1]))
				if !ok {
					panic("out of bounds")
				}
				h.output = append([]byte{}, b...)
			}
		}
		b = b.NewFunctionBuilder().WithGoModuleFunction(api.GoModuleFunc(fn), valueTypes(ft.Params), valueTypes(ft.Results)).Export(name)
	}
	_, err := b.Instantiate(ctx)
	require.NoError(t, err)
	mod, err := rt.Instantiate(ctx, code)
	require.NoError(t, err)
	return rt, mod
}

func global(t testing.TB, m api.Module, name string) api.MutableGlobal {
	t.Helper()
	g, ok := m.ExportedGlobal(name).(api.MutableGlobal)
	require.True(t, ok, name)
	return g
}

func instrumented(t testing.TB, name string, s *Schedule) []byte {
	t.Helper()
	out, _, err := Instrument(fixture(t, name), s)
	require.NoError(t, err)
	return out
}

func TestWazeroOutOfGas(t *testing.T) {
	s := DefaultSchedule()
	_, m := (&host{}).instantiate(t, instrumented(t, "meter", &s))
	gas := global(t, m, ExportGas)
	for _, limit := range []uint64{0, 1, 17, 18, 19, 1000, 123457} {
		gas.Set(limit)
		global(t, m, ExportTrap).Set(0)
		_, err := m.ExportedFunction("spin").Call(context.Background())
		require.Error(t, err)
		require.Contains(t, err.Error(), "out of bounds memory access", "the branchless trap of appendCharge")
		require.EqualValues(t, TrapOutOfGas, global(t, m, ExportTrap).Get())
		left := gas.Get()
		require.Less(t, left, uint64(18), "gas left must be below the loop block's cost")
		if limit >= 1 {
			// 1 for the entry block, then 18 an iteration (5 + 13 for the loop).
			require.Equal(t, (limit-1)%18, left)
		} else {
			require.Zero(t, left)
		}
	}
}

func TestWazeroStackDepth(t *testing.T) {
	s := DefaultSchedule()
	s.MaxStackDepth = 50
	_, m := (&host{}).instantiate(t, instrumented(t, "meter", &s))
	global(t, m, ExportGas).Set(1 << 40)
	_, err := m.ExportedFunction("rec").Call(context.Background())
	require.Error(t, err)
	require.EqualValues(t, TrapStackDepth, global(t, m, ExportTrap).Get())
	require.EqualValues(t, s.MaxStackDepth+1, global(t, m, ExportDepth).Get())
	// 51 frames charged 22 each (call + end + call extra) before the trap.
	require.Equal(t, uint64(1<<40-51*22), global(t, m, ExportGas).Get())

	// With too little gas, gas runs out first.
	global(t, m, ExportDepth).Set(0)
	global(t, m, ExportTrap).Set(0)
	global(t, m, ExportGas).Set(22 * 10)
	_, err = m.ExportedFunction("rec").Call(context.Background())
	require.Error(t, err)
	require.EqualValues(t, TrapOutOfGas, global(t, m, ExportTrap).Get())
	require.EqualValues(t, 10, global(t, m, ExportDepth).Get())
}

func TestWazeroExactGas(t *testing.T) {
	s := DefaultSchedule()
	code := instrumented(t, "meter", &s)
	for _, tc := range []struct {
		fn   string
		cost uint64
	}{
		{"count", 185}, // 10 iterations of 13 a loop iteration on top
		{"grow_call", 60029},
	} {
		for range 2 {
			_, m := (&host{}).instantiate(t, code)
			const start = 1_000_000
			global(t, m, ExportGas).Set(start)
			_, err := m.ExportedFunction(tc.fn).Call(context.Background())
			require.NoError(t, err, tc.fn)
			require.Equal(t, uint64(start-tc.cost), global(t, m, ExportGas).Get(), tc.fn)
			require.Zero(t, global(t, m, ExportTrap).Get())
			require.Zero(t, global(t, m, ExportDepth).Get())
		}
	}

	// Exactly enough gas succeeds; one less traps.
	_, m := (&host{}).instantiate(t, code)
	global(t, m, ExportGas).Set(185)
	_, err := m.ExportedFunction("count").Call(context.Background())
	require.NoError(t, err)
	require.Zero(t, global(t, m, ExportGas).Get())
	global(t, m, ExportGas).Set(184)
	_, err = m.ExportedFunction("count").Call(context.Background())
	require.Error(t, err)
	require.EqualValues(t, TrapOutOfGas, global(t, m, ExportTrap).Get())

	// A different schedule scales the figure.
	s2 := DefaultSchedule()
	s2.Instr, s2.Grow, s2.Call = 3, 7, 11
	_, m = (&host{}).instantiate(t, instrumented(t, "meter", &s2))
	global(t, m, ExportGas).Set(1000)
	_, err = m.ExportedFunction("grow_call").Call(context.Background())
	require.NoError(t, err)
	require.Equal(t, uint64(1000-(9*3+7+11)), global(t, m, ExportGas).Get())
}

func fact(n uint64) uint64 {
	if n <= 1 {
		return 1
	}
	return n * fact(n-1)
}

func fib(n uint64) uint64 {
	a, b := uint64(0), uint64(1)
	for ; n > 0; n-- {
		a, b = b, a+b
	}
	return a
}

func mem(n uint64) uint64 {
	switch n % 5 {
	case 0:
		return uint64(n&0xFF) * 0x0101010101010101
	case 1:
		return uint64(int64(int8(n)))
	case 2:
		return 8
	}
	return uint64(binary.LittleEndian.Uint32([]byte("vsys"))) + 1
}

func TestWazeroDifferential(t *testing.T) {
	s := DefaultSchedule()
	plain := fixture(t, "diff")
	inst := instrumented(t, "diff", &s)
	hp, hi := &host{}, &host{}
	_, mp := hp.instantiate(t, plain)
	_, mi := hi.instantiate(t, inst)
	want := map[string]func(uint64) uint64{"fact": fact, "fib": fib, "mem": mem}
	var prevGas uint64
	for _, fn := range []string{"fact", "fib", "mem"} {
		for _, n := range []uint64{0, 1, 2, 3, 4, 5, 6, 7, 10, 20, 25, 90, 0xAB, 1<<32 + 3} {
			if fn != "mem" && n > 1000 {
				continue
			}
			in := binary.LittleEndian.AppendUint64(nil, n)
			hp.input, hi.input = in, in
			hp.output, hi.output = nil, nil
			_, err := mp.ExportedFunction(fn).Call(context.Background())
			require.NoError(t, err)
			const start = 10_000_000
			global(t, mi, ExportGas).Set(start)
			_, err = mi.ExportedFunction(fn).Call(context.Background())
			require.NoError(t, err, "%s(%d)", fn, n)
			require.Equal(t, hp.output, hi.output, "%s(%d)", fn, n)
			require.Equal(t, want[fn](n), binary.LittleEndian.Uint64(hi.output), "%s(%d)", fn, n)
			used := start - global(t, mi, ExportGas).Get()
			require.Positive(t, used)
			if fn == "fib" && n > 0 {
				require.Greater(t, used, prevGas, "fib gas grows with n")
			}
			prevGas = used
			require.Zero(t, global(t, mi, ExportDepth).Get())
			require.Zero(t, global(t, mi, ExportTrap).Get())
		}
	}
	// The module's own exported global is untouched by instrumentation.
	require.Equal(t, mp.ExportedGlobal("calls").Get(), mi.ExportedGlobal("calls").Get())
}
