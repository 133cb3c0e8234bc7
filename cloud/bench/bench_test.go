package bench_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/vsys/vsys/cloud/bench"
	"github.com/vsys/vsys/internal/testkit"
)

var vsysdBin string

func TestMain(m *testing.M) { os.Exit(testkit.RunWithBinary(m, testkit.VsysdPackage, &vsysdBin)) }

// TestRun: a small run of the cloud bench on real processes measures
// what it says (a first block, every node's RSS and CPU) and leaves no
// home behind.
func TestRun(t *testing.T) {
	base, err := testkit.ReservePortRange(3 + 3*2 + 50)
	if err != nil {
		t.Fatal(err)
	}
	r, err := bench.Run(context.Background(), bench.Options{Binary: vsysdBin, Timed: 1, Chains: 2,
		BlockInterval: 200 * time.Millisecond, Idle: time.Second, PortBase: base})
	if err != nil {
		t.Fatal(err)
	}
	if r.Timed != 1 || r.Chains != 2 || r.FirstBlockP50 <= 0 || r.FirstBlockMax < r.FirstBlockP50 {
		t.Fatalf("first block: %+v", r)
	}
	if r.IdleRSSP50 <= 0 || r.TotalRSS < 2*r.IdleRSSP50/2 || r.IdleCPUMax < r.IdleCPUP50 || r.LimitsMode == "" ||
		r.PSSP50 <= 0 || r.PSSMax > r.IdleRSSMax || r.TotalPSS > r.TotalRSS {
		t.Fatalf("idle figures: %+v", r)
	}
	t.Logf("create → first block %v; idle RSS %d MiB, CPU %.1f%%", r.FirstBlockP50, r.IdleRSSP50>>20, 100*r.IdleCPUP50)
}

// TestRunFaults: one round of each fault on real processes; chain A comes
// back every time and each figure is there.
func TestRunFaults(t *testing.T) {
	base, err := testkit.ReservePortRange(3 + 3*2 + 50)
	if err != nil {
		t.Fatal(err)
	}
	r, err := bench.RunFaults(context.Background(), bench.FaultOptions{Binary: vsysdBin, Rounds: 1,
		BlockInterval: 200 * time.Millisecond, PortBase: base})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Faults) != len(bench.Faults) || r.BaselineGapB <= 0 || r.LimitsMode == "" {
		t.Fatalf("result: %+v", r)
	}
	for _, f := range r.Faults {
		if f.Rounds != 1 || f.ExitP50 < 0 || f.BackP50 <= 0 || f.BackMax < f.BackP50 || f.BGapMax <= 0 || f.LastExit == "" {
			t.Errorf("%s: %+v", f.Fault, f)
		}
		t.Logf("%s: exit %v after the injection, back %v after it, B's largest gap %v (%s)", f.Fault, f.ExitP50, f.BackP50, f.BGapMax, f.LastExit)
	}
}
