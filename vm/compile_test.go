package vm_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/gas"
	wasmmodule "github.com/vsys/vsys/modules/wasm"
	"github.com/vsys/vsys/vm"
	"github.com/vsys/vsys/vm/wasm"
)

// nested is one function of depth nested empty blocks.
func nested(depth int) *wmod {
	var b []byte
	for range depth {
		b = append(b, 0x02, 0x40)
	}
	for range depth {
		b = append(b, 0x0B)
	}
	return &wmod{Pages: 1, Funcs: []wfunc{{Export: "f", Body: b}}}
}

// brTable is one function with a br_table of targets targets.
func brTable(targets int) *wmod {
	b := cat([]byte{0x02, 0x40}, i32c(0), []byte{0x0E})
	b = uleb(b, uint64(targets-1))
	for range targets {
		b = append(b, 0)
	}
	return &wmod{Pages: 1, Funcs: []wfunc{{Export: "f", Body: append(b, 0x0B)}}}
}

// seqFuncs is n functions of blocks sequential `block nop end` each.
func seqFuncs(n, blocks int) *wmod {
	var b []byte
	for range blocks {
		b = append(b, 0x02, 0x40, 0x01, 0x0B)
	}
	m := &wmod{Pages: 1}
	for i := range n {
		f := wfunc{Body: b}
		if i == 0 {
			f.Export = "f"
		}
		m.Funcs = append(m.Funcs, f)
	}
	return m
}

func upload(t *testing.T, c *chain, m *wmod, limit uint64) (uint64, error) {
	t.Helper()
	b, _ := codecMarshal(wasmmodule.UploadArgs{Code: m.Bytes()})
	env := testEnv(limit)
	_, err := c.r.Call(env, c.kv, alice, wasmmodule.Address, "upload", b, nil)
	return env.Gas.Used(), err
}

// TestUploadRefusesCompileBombs: modules whose compile time explodes in
// wazero are refused at upload, before compiling, with an error naming
// the function and offset (issue 9: a 10,000-deep nesting took a 50 s
// block; an 800,000-target br_table 102 s and 2 GB).
func TestUploadRefusesCompileBombs(t *testing.T) {
	c := newChain(t, vm.Config{}, false)
	s := wasm.DefaultSchedule()
	for _, tc := range []struct {
		name string
		m    *wmod
		want string
	}{
		{"10,000-deep nesting", nested(10_000), "block nested 257 deep, more than max_nesting 256"},
		{"800,000-target br_table", brTable(800_000), "br_table of 800000 targets, more than max_br_table_targets 1024"},
		{"a function of 3,000 blocks", seqFuncs(1, 1500), "more than max_function_blocks 2048 blocks"},
		{"a module of 20 functions of 2,000 blocks", seqFuncs(20, 1000), "more than max_block_work 5000000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := upload(t, c, tc.m, 1<<40)
			require.ErrorIs(t, err, wasm.ErrInvalid)
			require.Contains(t, err.Error(), tc.want)
			require.Regexp(t, `upload: wasm: function \d+( \(export "f"\))? at code offset 0x[0-9a-f]+: `, err.Error())
		})
	}
	// Just inside every limit, each compiles.
	for _, m := range []*wmod{nested(int(s.MaxNesting)), brTable(int(s.MaxBrTableTargets)), seqFuncs(1, 700)} {
		_, err := upload(t, c, m, 1<<40)
		require.NoError(t, err)
	}
}

// TestUploadPaysForCompiling: an upload is charged for compiling in
// proportion to the module (before, only its storage was charged), and a
// limit below the compile charge fails before compiling.
func TestUploadPaysForCompiling(t *testing.T) {
	c := newChain(t, vm.Config{}, false)
	s := c.vm.Schedule()
	var last uint64
	for _, n := range []int{1, 10, 100} {
		m := seqFuncs(n, 20)
		used, err := upload(t, c, m, 1<<40)
		require.NoError(t, err)
		inst, mod, err := wasm.Instrument(m.Bytes(), s)
		require.NoError(t, err)
		compile := s.CompileGas(inst, mod)
		require.Equal(t, uint64(len(inst))*s.CompileByte+mod.BlockWork*s.CompileBlockWork, compile, "no br_table")
		require.Greater(t, used, compile, "%d functions", n)
		require.Greater(t, used, last)
		last = used
		cost, err := c.vm.CompileGas(m.Bytes())
		require.NoError(t, err)
		require.Equal(t, compile, cost)
	}
	// Out of gas in the compile charge: nothing is compiled or stored.
	m := seqFuncs(200, 20)
	cost, err := c.vm.CompileGas(m.Bytes())
	require.NoError(t, err)
	_, err = upload(t, c, m, cost/2)
	require.ErrorIs(t, err, gas.ErrOutOfGas)
	require.Contains(t, err.Error(), "wasm compile")
}
