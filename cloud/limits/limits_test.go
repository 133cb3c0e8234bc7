package limits

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// helperEnv makes the test binary a child process: it prints its runtime
// settings, waits for a line on stdin, then does what the variable says.
const helperEnv = "VSYS_LIMITS_HELPER"

func TestMain(m *testing.M) {
	if what := os.Getenv(helperEnv); what != "" {
		os.Exit(helper(what))
	}
	os.Exit(m.Run())
}

func helper(what string) int {
	fmt.Printf("gomaxprocs=%d gomemlimit=%d\n", runtime.GOMAXPROCS(0), debug.SetMemoryLimit(-1))
	if _, err := bufio.NewReader(os.Stdin).ReadString('\n'); err != nil {
		return 3
	}
	switch what {
	case "alloc":
		// Far past the ceiling, touched so that it is really mapped; the
		// Go runtime cannot get it and exits.
		var keep [][]byte
		for range 128 {
			b := make([]byte, 8<<20)
			for i := 0; i < len(b); i += 4096 {
				b[i] = 1
			}
			keep = append(keep, b)
		}
		fmt.Println("survived", len(keep))
		return 0
	case "files":
		var fs []*os.File
		for range 200 {
			f, err := os.Open(os.DevNull)
			if err != nil {
				fmt.Println("open failed after", len(fs))
				return 0
			}
			fs = append(fs, f)
		}
		fmt.Println("opened", len(fs))
	case "slack":
		fmt.Println(threadSlacks())
	}
	return 0
}

type child struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stdout *bufio.Reader
	stderr *strings.Builder
}

func startChild(t *testing.T, what string, l Limits) *child {
	t.Helper()
	return startChildWith(t, what, l, (*exec.Cmd).Start)
}

// startChildWith is startChild with start in place of cmd.Start.
func startChildWith(t *testing.T, what string, l Limits, start func(*exec.Cmd) error) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(append(os.Environ(), helperEnv+"="+what), Env(l)...)
	stdin, err := cmd.StdinPipe()
	require.NoError(t, err)
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	c := &child{cmd: cmd, stdin: stdin, stdout: bufio.NewReader(out), stderr: &strings.Builder{}}
	cmd.Stderr = c.stderr
	require.NoError(t, start(cmd))
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	return c
}

func (c *child) line(t *testing.T) string {
	t.Helper()
	s, err := c.stdout.ReadString('\n')
	if err != nil {
		_ = c.cmd.Wait() // the stderr copy is done once Wait returns
		t.Fatalf("read the child's stdout: %v; stderr: %s", err, c.stderr)
	}
	return strings.TrimSpace(s)
}

// procLimit reads one row of /proc/PID/limits: its soft and hard values.
func procLimit(t *testing.T, pid int, name string) (soft, hard string) {
	t.Helper()
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/limits", pid))
	require.NoError(t, err)
	for _, ln := range strings.Split(string(raw), "\n") {
		if rest, ok := strings.CutPrefix(ln, name); ok {
			f := strings.Fields(rest)
			return f[0], f[1]
		}
	}
	t.Fatalf("no %q in /proc/%d/limits", name, pid)
	return "", ""
}

// threadNices is the nice value of each thread of pid (field 19 of
// /proc/PID/task/TID/stat).
func threadNices(t *testing.T, pid int) []int {
	t.Helper()
	tasks, err := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
	require.NoError(t, err)
	var out []int
	for _, task := range tasks {
		raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%s/stat", pid, task.Name()))
		require.NoError(t, err)
		s := string(raw)
		f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:]) // after the command name; f[0] is field 3
		n, err := strconv.Atoi(f[19-3])
		require.NoError(t, err)
		out = append(out, n)
	}
	return out
}

// TestFallbackLimits applies the fallback to a real child: its runtime
// sees GOMAXPROCS and GOMEMLIMIT, /proc shows its rlimits and every
// thread's nice value, and allocating past the ceiling kills it.
func TestFallbackLimits(t *testing.T) {
	if raceEnabled {
		t.Skip("a race-enabled child cannot start under a small memory ceiling (its shadow memory)")
	}
	const ceiling = 256 << 20
	l := Limits{Name: "a", CPUs: 1.5, MemoryBytes: ceiling, Nice: 7, MaxOpenFiles: 64}
	c := startChild(t, "alloc", l)
	require.NoError(t, apply(c.cmd.Process.Pid, l, ModeFallback, ""))
	require.Equal(t, fmt.Sprintf("gomaxprocs=2 gomemlimit=%d", GoMemLimit(ceiling)), c.line(t))

	pid := c.cmd.Process.Pid
	soft, hard := procLimit(t, pid, "Max data size")
	require.Equal(t, []string{strconv.Itoa(ceiling), strconv.Itoa(ceiling)}, []string{soft, hard})
	soft, hard = procLimit(t, pid, "Max open files")
	require.Equal(t, []string{"64", "64"}, []string{soft, hard})
	nices := threadNices(t, pid)
	require.NotEmpty(t, nices)
	for _, n := range nices {
		require.Equal(t, 7, n, "every thread: %v", nices)
	}

	_, err := io.WriteString(c.stdin, "go\n")
	require.NoError(t, err)
	rest, _ := io.ReadAll(c.stdout)
	err = c.cmd.Wait()
	require.Error(t, err, "the child allocated 1 GiB under a 256 MiB ceiling: %s", rest)
	require.NotContains(t, string(rest), "survived")
	require.Contains(t, c.stderr.String(), "out of memory")
}

// TestFallbackOpenFiles: RLIMIT_NOFILE bounds what the child can open.
func TestFallbackOpenFiles(t *testing.T) {
	l := Limits{MaxOpenFiles: 32}
	c := startChild(t, "files", l)
	require.NoError(t, apply(c.cmd.Process.Pid, l, ModeFallback, ""))
	c.line(t)
	_, err := io.WriteString(c.stdin, "go\n")
	require.NoError(t, err)
	got := c.line(t)
	require.True(t, strings.HasPrefix(got, "open failed after"), got)
}

func TestEnv(t *testing.T) {
	require.Empty(t, Env(Limits{}))
	require.Equal(t, []string{"GOMAXPROCS=1", "GOMEMLIMIT=" + strconv.FormatInt(GoMemLimit(64<<20), 10)},
		Env(Limits{CPUs: 0.25, MemoryBytes: 64 << 20}))
}

func TestValidate(t *testing.T) {
	for _, bad := range []Limits{{CPUs: -1}, {MemoryBytes: -1}, {Nice: -1}, {Nice: 20}} {
		require.ErrorIs(t, bad.Validate(), ErrBadLimits, "%+v", bad)
		require.ErrorIs(t, apply(os.Getpid(), bad, ModeFallback, ""), ErrBadLimits)
	}
}

// TestDetect: on this host Detect gives its reason when it falls back;
// a directory shaped like a writable v2 hierarchy is detected as one, and
// one without the memory controller is not.
func TestDetect(t *testing.T) {
	d := Detect()
	if d.Mode == ModeFallback {
		require.NotEmpty(t, d.Why)
	}
	t.Logf("this host: %s %s", d.Mode, d.Why)

	root := t.TempDir()
	require.Equal(t, ModeFallback, detect(root).Mode)
	require.NoError(t, os.WriteFile(filepath.Join(root, "cgroup.controllers"), []byte("cpuset cpu io pids\n"), 0o644))
	require.Contains(t, detect(root).Why, "no memory controller")
	require.NoError(t, os.WriteFile(filepath.Join(root, "cgroup.controllers"), []byte("cpuset cpu io memory pids\n"), 0o644))
	require.Equal(t, Detection{Mode: ModeCgroup}, detect(root))
}

// TestCgroupFiles: what applyCgroup writes, in the kernel's formats. This
// host has no cgroup v2, so the hierarchy is a directory laid out like
// one; the kernel's enforcement is not exercised here.
func TestCgroupFiles(t *testing.T) {
	root := t.TempDir()
	l := Limits{Name: "alpha", CPUs: 0.5, MemoryBytes: 256 << 20}
	require.NoError(t, os.Mkdir(CgroupDir(root, "alpha"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(CgroupDir(root, "alpha"), "memory.swap.max"), nil, 0o644))
	require.NoError(t, apply(os.Getpid(), Limits{Name: l.Name, CPUs: l.CPUs, MemoryBytes: l.MemoryBytes}, ModeCgroup, root))
	read := func(f string) string {
		raw, err := os.ReadFile(filepath.Join(CgroupDir(root, "alpha"), f))
		require.NoError(t, err)
		return string(raw)
	}
	require.Equal(t, "50000 100000", read("cpu.max"))
	require.Equal(t, strconv.Itoa(256<<20), read("memory.max"))
	require.Equal(t, "0", read("memory.swap.max"))
	require.Equal(t, strconv.Itoa(os.Getpid()), read("cgroup.procs"))
	raw, err := os.ReadFile(filepath.Join(root, "cgroup.subtree_control"))
	require.NoError(t, err)
	require.Equal(t, "+cpu +memory", string(raw))

	require.ErrorIs(t, apply(os.Getpid(), Limits{CPUs: 1}, ModeCgroup, root), ErrBadLimits, "no name")
}
