package wasm

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
)

// bulkGas runs export fn of the bulk fixture with the length global set to
// n and a gas limit, and returns the gas used and the trap global.
func bulkGas(t *testing.T, s *Schedule, fn string, n uint32, limit uint64) (used uint64, trap uint64, first byte) {
	t.Helper()
	_, m := (&host{}).instantiate(t, instrumented(t, "bulk", s))
	global(t, m, "len").Set(uint64(n))
	g := global(t, m, ExportGas)
	g.Set(limit)
	_, _ = m.ExportedFunction(fn).Call(context.Background())
	b, ok := m.Memory().ReadByte(0)
	require.True(t, ok)
	return limit - g.Get(), global(t, m, ExportTrap).Get(), b
}

// TestBulkGasScalesWithLength: memory.copy and memory.fill pay for every
// byte they move, not a flat price (issue 9: a 16 MiB copy cost as much as
// an empty one).
func TestBulkGasScalesWithLength(t *testing.T) {
	s := DefaultSchedule()
	for _, fn := range []string{"copy", "fill"} {
		zero, trap, _ := bulkGas(t, &s, fn, 0, 1<<40)
		require.Zero(t, trap)
		for _, n := range []uint32{1, 1024, 1 << 20, 16 << 20} {
			used, trap, _ := bulkGas(t, &s, fn, n, 1<<40)
			require.Zero(t, trap, "%s %d", fn, n)
			require.Equal(t, uint64(n)*s.BulkKiB/1024, used-zero, "%s of %d bytes", fn, n)
		}
	}
	// The golden figure of a 16 MiB copy under the default schedule.
	used, _, _ := bulkGas(t, &s, "copy", 16<<20, 1<<40)
	require.Equal(t, uint64(105+16384*s.BulkKiB), used)
}

// TestBulkOutOfGasBeforeWork: the length charge traps before the bulk op
// touches memory, and a loop of copies stops after a bounded number of
// bytes.
func TestBulkOutOfGasBeforeWork(t *testing.T) {
	s := DefaultSchedule()
	used, trap, first := bulkGas(t, &s, "fill", 16<<20, 1_000_000)
	require.EqualValues(t, TrapOutOfGas, trap)
	require.Zero(t, first, "the fill must not run")
	require.LessOrEqual(t, used, uint64(1_000_000))

	// A 1M-gas loop of 1 MiB copies: at most limit/cost copies run.
	const limit = 1_000_000
	_, trap, _ = bulkGas(t, &s, "copy_loop", 1<<20, limit)
	require.EqualValues(t, TrapOutOfGas, trap)
	perCopy := 1024 * s.BulkKiB
	require.Less(t, uint64(limit)/perCopy, uint64(200), "1M gas buys fewer than 200 MiB of copies")
}
