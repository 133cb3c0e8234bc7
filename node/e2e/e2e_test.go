package e2e

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/internal/testkit"
)

var vsysdBin string

func TestMain(m *testing.M) { os.Exit(testkit.RunWithBinary(m, testkit.VsysdPackage, &vsysdBin)) }

func startNetwork(t *testing.T, n int) (*Network, *Load) {
	t.Helper()
	nw, err := NewNetwork(vsysdBin, t.TempDir(), n, "300ms")
	require.NoError(t, err)
	for i := range nw.Nodes {
		require.NoError(t, nw.Start(i))
	}
	t.Cleanup(nw.StopAll)
	for i := range nw.Nodes {
		require.NoError(t, nw.WaitHeight(context.Background(), i, 2, 60*time.Second))
	}
	load, err := nw.StartLoad()
	require.NoError(t, err)
	t.Cleanup(load.Stop)
	return nw, load
}

// TestNetworkKillRestart is the short network test `make test` runs: four
// validator processes under load, one killed with -9 and restarted; the
// chain keeps committing on three, the node catches up, all four agree on
// the app hash, and no committed transfer is lost.
func TestNetworkKillRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("starts four nodes")
	}
	nw, load := startNetwork(t, 4)
	time.Sleep(2 * time.Second)
	rows, err := Run(context.Background(), nw, load, []Perturbation{KillRestart(3, 8*time.Second)}, testWriter{t})
	require.NoError(t, err)
	load.Stop()
	r := rows[0]
	require.Positive(t, r.Blocks, "three of four validators keep committing")
	require.True(t, r.SameHash)
	require.Zero(t, r.Lost)
	require.NotZero(t, load.Total, "the load committed transfers")
	PrintTable(testWriter{t}, rows)
}

// TestNetworkPerturbations is `make e2e`: every perturbation, one after the
// other, on a loaded four-validator network, and the table of what
// happened.
func TestNetworkPerturbations(t *testing.T) {
	if os.Getenv("VSYS_E2E") == "" {
		t.Skip("set VSYS_E2E=1 (make e2e)")
	}
	nw, load := startNetwork(t, 4)
	time.Sleep(2 * time.Second)
	rows, err := Run(context.Background(), nw, load, []Perturbation{
		KillRestart(1, 5*time.Second),
		StopRestart(2, 30*time.Second),
		Partition(3, 15*time.Second),
		RollingRestart(2 * time.Second),
		KillRestart(0, 3*time.Second),
	}, os.Stdout)
	load.Stop()
	PrintTable(os.Stdout, rows)
	require.NoError(t, err)
	for _, r := range rows {
		require.True(t, r.SameHash, r.Perturbation)
		require.Zero(t, r.Lost, r.Perturbation)
	}
	fmt.Printf("load: %d transfers committed\n", load.Total)
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(string(p))
	return len(p), nil
}

// TestCrashSoak is `make e2e`'s crash-safety loop: one validator under
// load killed with -9 at a random moment (during execution, between
// FinalizeBlock and Commit, inside IAVL's SaveVersion — wherever it falls)
// again and again; after every restart it must come back to a consistent
// state (CometBFT's handshake replays what the app had not committed) and
// keep every transfer the load saw committed.
func TestCrashSoak(t *testing.T) {
	if os.Getenv("VSYS_E2E") == "" {
		t.Skip("set VSYS_E2E=1 (make e2e)")
	}
	rounds := 25
	nw, load := startNetwork(t, 1)
	rng := newRand(11)
	for r := 0; r < rounds; r++ {
		time.Sleep(time.Duration(300+rng.Intn(1500)) * time.Millisecond)
		require.NoError(t, nw.Signal(0, syscall.SIGKILL))
		total := load.CommittedCount()
		require.NoError(t, nw.Start(0))
		h := nw.Height(context.Background(), 0)
		deadline := time.Now().Add(60 * time.Second)
		for h < 1 && time.Now().Before(deadline) {
			time.Sleep(100 * time.Millisecond)
			h = nw.Height(context.Background(), 0)
		}
		require.NoError(t, nw.WaitHeight(context.Background(), 0, h+1, 60*time.Second), "round %d: the node must come back and go on", r)
		lost, err := load.Lost(context.Background(), 0, total)
		require.NoError(t, err)
		require.Zero(t, lost, "round %d", r)
	}
	load.Stop()
	fmt.Printf("crash soak: %d kill -9 rounds, %d transfers committed, none lost\n", rounds, load.Total)
}

func newRand(seed int64) *rand.Rand { return rand.New(rand.NewSource(seed)) }
