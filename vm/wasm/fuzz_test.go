package wasm

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/tetratelabs/wazero"
)

// FuzzInstrument: no input panics; whatever Instrument accepts re-parses
// after instrumentation, instruments to the same bytes twice, agrees with
// Validate, and compiles on wazero's compiler engine whenever the original
// does.
func FuzzInstrument(f *testing.F) {
	files, err := filepath.Glob("testdata/*.wasm")
	require.NoError(f, err)
	for _, file := range files {
		b, err := os.ReadFile(file)
		require.NoError(f, err)
		f.Add(b)
		f.Add(withABI(b, testABI))
	}
	f.Add(build([]byte{0, 0x0B}))
	f.Add(build([]byte{1, 2, 0x7E, 0x02, 0x40, 0x41, 0, 0x0D, 0, 0x0B, 0x03, 0x40, 0x0C, 0, 0x0B, 0x0B}))

	ctx := context.Background()
	rt := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfigCompiler())
	f.Cleanup(func() { _ = rt.Close(ctx) })

	f.Fuzz(func(t *testing.T, code []byte) {
		s := DefaultSchedule()
		s.MaxStackDepth = 64
		in := append([]byte{}, code...)
		out, m, err := Instrument(code, &s)
		require.Equal(t, in, code, "input modified")
		vm, verr := Validate(code, &s)
		if err != nil {
			require.ErrorIs(t, err, ErrInvalid)
			require.Error(t, verr)
			require.Equal(t, err.Error(), verr.Error())
			return
		}
		require.NoError(t, verr)
		require.Equal(t, m, vm)

		re, err := parse(out, &s, parseOptions{instrumented: true})
		require.NoError(t, err, "instrumented output does not parse")
		require.Len(t, re.globalMut, len(mustParse(t, code, &s).globalMut)+3)
		rm := re.result()
		rm.BlockWork = m.BlockWork // metering adds instructions, never blocks
		require.Equal(t, m, rm)

		out2, _, err := Instrument(code, &s)
		require.NoError(t, err)
		require.True(t, bytes.Equal(out, out2), "not deterministic")

		if cm, err := rt.CompileModule(ctx, code); err == nil {
			_ = cm.Close(ctx)
			cm2, err := rt.CompileModule(ctx, out)
			require.NoError(t, err, "original compiles, instrumented does not")
			_ = cm2.Close(ctx)
		}
	})
}
