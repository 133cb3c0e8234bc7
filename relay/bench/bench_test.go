package bench

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestRunSmall runs the bench end to end at a small size: two real
// chains, a relayer, round trips and a burst that all come back.
func TestRunSmall(t *testing.T) {
	if testing.Short() {
		t.Skip("starts two nodes")
	}
	r, err := Run(t.Context(), Options{BlockInterval: 100 * time.Millisecond, RoundTrips: 3, Burst: 30, Senders: 3,
		Rate: 40, Window: 3 * time.Second, Dir: t.TempDir()})
	require.NoError(t, err)
	require.Len(t, r.RoundTrips, 3)
	require.LessOrEqual(t, r.RoundTripP50, r.RoundTripP99)
	require.Positive(t, r.RoundTripP50)
	require.Positive(t, r.BurstReceived)
	require.GreaterOrEqual(t, r.BurstAcked, r.BurstReceived, "acknowledged after received")
	require.InDelta(t, float64(r.Burst)/r.BurstAcked.Seconds(), r.PacketsPerSecond, 1e-9)
	s := r.Sustained
	require.NotNil(t, s)
	require.Positive(t, s.Sent, "the sustained run's transfers committed")
	require.LessOrEqual(t, s.Backlog, s.Sent)
	require.Positive(t, s.AckedPerSecond, "acknowledgements came back during the window")
}

func TestPercentile(t *testing.T) {
	d := func(n ...int) []time.Duration {
		out := make([]time.Duration, len(n))
		for i, v := range n {
			out[i] = time.Duration(v)
		}
		return out
	}
	require.Equal(t, time.Duration(3), percentile(d(1, 2, 3, 4, 5), 0.5))
	require.Equal(t, time.Duration(5), percentile(d(1, 2, 3, 4, 5), 0.99))
	require.Equal(t, time.Duration(1), percentile(d(1), 0.99))
	require.Zero(t, percentile(nil, 0.5))
}
