package usage

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/internal/dirsize"
)

const helperEnv = "VSYS_USAGE_HELPER"

func TestMain(m *testing.M) {
	if os.Getenv(helperEnv) != "" {
		os.Exit(helper())
	}
	os.Exit(m.Run())
}

// helper burns 0.3 s of CPU (by its own account, not the clock's), holds
// 64 MiB resident and frees it, says "ready" and waits for stdin to close.
func helper() int {
	for cpuSeconds() < 0.3 {
		for i := 0; i < 1_000_000; i++ {
			_ = i * i
		}
	}
	b := make([]byte, 64<<20)
	for i := 0; i < len(b); i += 4096 {
		b[i] = 1
	}
	b = nil
	_ = b
	debug.FreeOSMemory()
	fmt.Println("ready")
	_, _ = bufio.NewReader(os.Stdin).ReadString('\n')
	return 0
}

func cpuSeconds() float64 {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

// TestReadProc reads a real child's usage: the CPU it burned and the
// peak of the memory it held and freed.
func TestReadProc(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), helperEnv+"=1")
	stdin, err := cmd.StdinPipe()
	require.NoError(t, err)
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	require.NoError(t, err)
	require.Equal(t, "ready\n", line)

	p, err := ReadProc(cmd.Process.Pid)
	require.NoError(t, err)
	// /proc counts in clock ticks (10 ms): allow one.
	require.GreaterOrEqual(t, p.CPUSeconds, 0.29, "%+v", p)
	require.GreaterOrEqual(t, p.RSSPeakBytes, int64(64<<20), "%+v", p)
	require.Positive(t, p.RSSBytes)
	require.LessOrEqual(t, p.RSSBytes, p.RSSPeakBytes)
	// The child maps the test binary, as this process does: those pages
	// are split between the two in the PSS, counted whole in the RSS.
	require.Positive(t, p.PSSBytes, "%+v", p)
	require.Less(t, p.PSSBytes, p.RSSBytes, "%+v", p)
	require.GreaterOrEqual(t, p.PSSBytes, p.PrivateBytes, "%+v", p)

	require.NoError(t, stdin.Close())
	require.NoError(t, cmd.Wait())
	_, err = ReadProc(cmd.Process.Pid)
	require.ErrorIs(t, err, ErrNoProcess)
}

// TestReadProcSleep: an idle process (sleep) costs almost no CPU.
func TestReadProcSleep(t *testing.T) {
	cmd := exec.Command("sleep", "30")
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	p, err := ReadProc(cmd.Process.Pid)
	require.NoError(t, err)
	require.Less(t, p.CPUSeconds, 0.2)
	require.Positive(t, p.RSSPeakBytes)
}

func TestDiskBytes(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "data", "vsys"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "data", "vsys", "000001.ldb"), make([]byte, 5000), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "genesis.json"), make([]byte, 123), 0o644))
	n, err := DiskBytes(dir, 0)
	require.NoError(t, err)
	require.Equal(t, int64(5123), n)
	_, err = DiskBytes(dir, 2)
	require.ErrorIs(t, err, dirsize.ErrTooManyEntries)
}

// TestCollector scrapes the collector from a registry, as Prometheus
// would, with the values the control plane's function gives.
func TestCollector(t *testing.T) {
	rows := []ChainUsage{
		{Chain: "a", Proc: Proc{CPUSeconds: 1.5, RSSBytes: 30 << 20, RSSPeakBytes: 40 << 20, PSSBytes: 10 << 20}, DiskBytes: 1000, Txs: 7, Blocks: 100},
		{Chain: "b", Proc: Proc{CPUSeconds: 0.25, RSSBytes: 20 << 20, RSSPeakBytes: 25 << 20, PSSBytes: 5 << 20}, DiskBytes: 2000, Txs: 0, Blocks: 3},
		{Chain: "a", DiskBytes: 9}, // a duplicate row is dropped
	}
	reg := prometheus.NewPedanticRegistry()
	require.NoError(t, reg.Register(NewCollector(func() []ChainUsage { return rows })))
	want := `
# HELP vsys_cloud_chain_blocks_total Blocks the chain has committed.
# TYPE vsys_cloud_chain_blocks_total counter
vsys_cloud_chain_blocks_total{chain="a"} 100
vsys_cloud_chain_blocks_total{chain="b"} 3
# HELP vsys_cloud_chain_cpu_seconds_total CPU time (user+system) of the chain's node process, in seconds.
# TYPE vsys_cloud_chain_cpu_seconds_total counter
vsys_cloud_chain_cpu_seconds_total{chain="a"} 1.5
vsys_cloud_chain_cpu_seconds_total{chain="b"} 0.25
# HELP vsys_cloud_chain_disk_bytes Bytes of the chain's home directory.
# TYPE vsys_cloud_chain_disk_bytes gauge
vsys_cloud_chain_disk_bytes{chain="a"} 1000
vsys_cloud_chain_disk_bytes{chain="b"} 2000
# HELP vsys_cloud_chain_pss_bytes Proportional memory of the chain's node process: private pages plus its share of pages shared with other nodes (the executable); the nodes' PSS adds up to the memory they use.
# TYPE vsys_cloud_chain_pss_bytes gauge
vsys_cloud_chain_pss_bytes{chain="a"} 1.048576e+07
vsys_cloud_chain_pss_bytes{chain="b"} 5.24288e+06
# HELP vsys_cloud_chain_rss_bytes Resident memory of the chain's node process.
# TYPE vsys_cloud_chain_rss_bytes gauge
vsys_cloud_chain_rss_bytes{chain="a"} 3.145728e+07
vsys_cloud_chain_rss_bytes{chain="b"} 2.097152e+07
# HELP vsys_cloud_chain_rss_peak_bytes Peak resident memory (VmHWM) of the chain's node process.
# TYPE vsys_cloud_chain_rss_peak_bytes gauge
vsys_cloud_chain_rss_peak_bytes{chain="a"} 4.194304e+07
vsys_cloud_chain_rss_peak_bytes{chain="b"} 2.62144e+07
# HELP vsys_cloud_chain_txs_total Transactions the chain has committed.
# TYPE vsys_cloud_chain_txs_total counter
vsys_cloud_chain_txs_total{chain="a"} 7
vsys_cloud_chain_txs_total{chain="b"} 0
`
	require.NoError(t, testutil.GatherAndCompare(reg, strings.NewReader(want)))
	rows = nil // no chains: no series, and no error
	n, err := testutil.GatherAndCount(reg)
	require.NoError(t, err)
	require.Zero(t, n)
}
