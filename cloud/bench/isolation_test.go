package bench_test

import (
	"context"
	"testing"
	"time"

	"github.com/vsys/vsys/cloud/bench"
	"github.com/vsys/vsys/internal/testkit"
)

// TestRunIsolation: a short run of the isolation bench on real processes
// measures B in both windows of both rounds (its height advanced, queries
// answered), floods A (it accepted txs, and every one committed, or the
// run fails), and in the limited round A's rate limit pushes back and
// caps what A accepts. No timing thresholds: the figures are the bench's.
func TestRunIsolation(t *testing.T) {
	base, err := testkit.ReservePortRange(3 + 3*2 + 50)
	if err != nil {
		t.Fatal(err)
	}
	const rate = 50
	window := 2 * time.Second
	r, err := bench.RunIsolation(context.Background(), bench.IsolationOptions{Binary: vsysdBin,
		BlockInterval: 200 * time.Millisecond, Window: window, Accounts: 8, Workers: 2, LimitedRate: rate, PortBase: base})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Rounds) != 2 || r.LimitsMode == "" || r.ATxs <= 0 {
		t.Fatalf("result: %+v", r)
	}
	for _, rd := range r.Rounds {
		for _, f := range []bench.Figures{rd.Unloaded, rd.Flooded} {
			if f.Blocks <= 0 || f.Height1 <= f.Height0 || f.IntervalMean <= 0 || f.IntervalP99 < f.IntervalMean/2 ||
				f.Queries <= 0 || f.QueryP50 <= 0 || f.QueryP99 < f.QueryP50 {
				t.Errorf("%s: B's figures: %+v", rd.Label, f)
			}
		}
		if rd.Unloaded.AAccepted != 0 || rd.Flooded.AAccepted <= 0 || rd.Flooded.ACommitted <= 0 || rd.IntervalMean <= 0 || rd.QueryP99 <= 0 {
			t.Errorf("%s: A's figures or the ratios: %+v", rd.Label, rd)
		}
		t.Logf("%s: B interval %v → %v, query p99 %v → %v; A accepted %.0f tx/s, refused %.0f/s",
			rd.Label, rd.Unloaded.IntervalMean, rd.Flooded.IntervalMean, rd.Unloaded.QueryP99, rd.Flooded.QueryP99,
			rd.Flooded.AAccepted, rd.Flooded.APushback)
	}
	// The token bucket admits at most its burst (one second's worth) plus
	// rate per second over the warm-up and the window together.
	lim := r.Rounds[1].Flooded
	if lim.APushback <= 0 || lim.AAccepted*window.Seconds() > rate*(1+1+window.Seconds()) {
		t.Errorf("limited round: A accepted %.1f tx/s and refused %.1f/s under a limit of %d tx/s", lim.AAccepted, lim.APushback, rate)
	}
	if msg := r.Rounds[1].APushbackMsg; msg == "" {
		t.Error("limited round: no pushback message")
	}
}
