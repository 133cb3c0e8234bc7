package server

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestTxBucket drives the bucket with explicit times: the burst is
// taken at once, then tokens come back at the rate, never above the
// burst.
func TestTxBucket(t *testing.T) {
	require.Nil(t, newTxBucket(0, 5))
	require.True(t, (*txBucket)(nil).take(time.Time{}), "no limit")

	t0 := time.Unix(1000, 0)
	b := newTxBucket(2, 3) // 2 per second, burst 3
	for i := range 3 {
		require.True(t, b.take(t0), "burst %d", i)
	}
	require.False(t, b.take(t0))
	require.False(t, b.take(t0.Add(400*time.Millisecond)), "0.8 of a token")
	require.True(t, b.take(t0.Add(500*time.Millisecond)), "1 token after 0.5 s")
	require.False(t, b.take(t0.Add(500*time.Millisecond)))
	// An hour idle refills to the burst, not beyond.
	later := t0.Add(time.Hour)
	for i := range 3 {
		require.True(t, b.take(later), "refilled %d", i)
	}
	require.False(t, b.take(later))

	// Without a burst: one second's worth, at least one.
	require.Equal(t, 1.0, newTxBucket(0.1, 0).burst)
	require.Equal(t, 3.0, newTxBucket(2.5, 0).burst)
	require.Contains(t, b.rateError().Error(), "2 txs per second (burst 3)")
}
