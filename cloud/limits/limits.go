package limits

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// Limits are one chain node's resource limits. A zero field is no limit.
type Limits struct {
	// Name names the cgroup, vsys-<Name> (the chain's name).
	Name string
	// CPUs is the cores the node may use, fractions allowed (0.5: half a
	// core): cpu.max in a cgroup, GOMAXPROCS rounded up in the fallback.
	CPUs float64
	// MemoryBytes is the memory ceiling: memory.max in a cgroup,
	// RLIMIT_DATA in the fallback; GOMEMLIMIT is set a tenth below it in
	// both.
	MemoryBytes int64
	// Nice is the node's nice value, 0..19 (an unprivileged process may
	// only raise it).
	Nice int
	// MaxOpenFiles is RLIMIT_NOFILE: sockets and files, which bounds the
	// node's connections and database handles.
	MaxOpenFiles uint64
	// TimerSlack is how late the kernel may wake the node's timed waits
	// (Start), in either mode.
	TimerSlack time.Duration
}

// Mode is how limits are enforced.
type Mode int

// The modes.
const (
	// ModeFallback: GOMAXPROCS, GOMEMLIMIT, nice and rlimits.
	ModeFallback Mode = iota
	// ModeCgroup: a cgroup v2 per chain.
	ModeCgroup
)

// String names the mode as `cloud status` prints it.
func (m Mode) String() string {
	if m == ModeCgroup {
		return "cgroup-v2"
	}
	return "fallback (GOMAXPROCS, GOMEMLIMIT, nice, rlimits)"
}

// DefaultCgroupRoot is where the cgroup v2 hierarchy is mounted.
const DefaultCgroupRoot = "/sys/fs/cgroup"

// Detection is what Detect found.
type Detection struct {
	Mode Mode
	// Why says why the mode is the fallback ("" for ModeCgroup).
	Why string
}

// Detect says whether cgroups v2 can be used at DefaultCgroupRoot.
func Detect() Detection { return detect(DefaultCgroupRoot) }

// detect: cgroups v2 are usable when root is a v2 hierarchy (it has
// cgroup.controllers) offering the cpu and memory controllers, and this
// process may create cgroups in it.
func detect(root string) Detection {
	raw, err := os.ReadFile(filepath.Join(root, "cgroup.controllers"))
	if err != nil {
		return Detection{ModeFallback, "no cgroup v2 hierarchy at " + root}
	}
	ctrls := strings.Fields(string(raw))
	for _, want := range []string{"cpu", "memory"} {
		if !contains(ctrls, want) {
			return Detection{ModeFallback, "the cgroup v2 hierarchy at " + root + " has no " + want + " controller"}
		}
	}
	if err := unix.Access(root, unix.W_OK); err != nil {
		return Detection{ModeFallback, "cannot create cgroups in " + root + ": " + err.Error()}
	}
	return Detection{Mode: ModeCgroup}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// GoMemLimit is the GOMEMLIMIT for a memory ceiling: 90 % of it, so the
// Go garbage collector runs harder before the ceiling is reached.
func GoMemLimit(ceiling int64) int64 { return ceiling / 10 * 9 }

// Env is what to add to the child's environment (exec.Cmd.Env) before it
// starts: GOMAXPROCS and GOMEMLIMIT, in either mode, since a Go program
// sizes itself from them and not from its cgroup's limits.
func Env(l Limits) []string {
	var env []string
	if l.CPUs > 0 {
		env = append(env, "GOMAXPROCS="+strconv.Itoa(int(math.Max(1, math.Ceil(l.CPUs)))))
	}
	if l.MemoryBytes > 0 {
		env = append(env, "GOMEMLIMIT="+strconv.FormatInt(GoMemLimit(l.MemoryBytes), 10))
	}
	return env
}

// ErrBadLimits is the error of limits out of range.
var ErrBadLimits = errors.New("bad limits")

// Validate checks l's ranges.
func (l Limits) Validate() error {
	switch {
	case l.CPUs < 0 || math.IsNaN(l.CPUs) || math.IsInf(l.CPUs, 0):
		return fmt.Errorf("%w: cpus %v", ErrBadLimits, l.CPUs)
	case l.MemoryBytes < 0:
		return fmt.Errorf("%w: memory %d bytes", ErrBadLimits, l.MemoryBytes)
	case l.Nice < 0 || l.Nice > 19:
		return fmt.Errorf("%w: nice %d is outside 0..19", ErrBadLimits, l.Nice)
	case l.TimerSlack < 0:
		return fmt.Errorf("%w: timer slack %v", ErrBadLimits, l.TimerSlack)
	}
	return nil
}

// Apply enforces l on the running process pid, in the mode Detect finds,
// and returns that mode. Call it right after the process starts (with
// Env in its environment).
func Apply(pid int, l Limits) (Mode, error) {
	d := Detect()
	return d.Mode, apply(pid, l, d.Mode, DefaultCgroupRoot)
}

func apply(pid int, l Limits, mode Mode, root string) error {
	if err := l.Validate(); err != nil {
		return err
	}
	if mode == ModeCgroup {
		if err := applyCgroup(root, pid, l); err != nil {
			return err
		}
	} else if l.MemoryBytes > 0 {
		if err := setRlimit(pid, unix.RLIMIT_DATA, uint64(l.MemoryBytes)); err != nil {
			return fmt.Errorf("memory limit: %w", err)
		}
	}
	if l.MaxOpenFiles > 0 {
		if err := setRlimit(pid, unix.RLIMIT_NOFILE, l.MaxOpenFiles); err != nil {
			return fmt.Errorf("open files limit: %w", err)
		}
	}
	if l.Nice > 0 {
		if err := renice(pid, l.Nice); err != nil {
			return err
		}
	}
	return nil
}

func setRlimit(pid, resource int, v uint64) error {
	lim := unix.Rlimit{Cur: v, Max: v}
	if err := unix.Prlimit(pid, resource, &lim, nil); err != nil {
		return fmt.Errorf("prlimit pid %d: %w", pid, err)
	}
	return nil
}

// renice sets every thread of pid to nice, passing over the thread list
// until a pass finds none it has not set: a thread created meanwhile by
// a thread not yet reniced would keep the old value.
func renice(pid, nice int) error {
	done := map[int]bool{}
	for {
		tasks, err := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
		if err != nil {
			return fmt.Errorf("renice pid %d: %w", pid, err)
		}
		fresh := 0
		for _, t := range tasks {
			tid, err := strconv.Atoi(t.Name())
			if err != nil || done[tid] {
				continue
			}
			if err := unix.Setpriority(unix.PRIO_PROCESS, tid, nice); err != nil && !errors.Is(err, unix.ESRCH) {
				return fmt.Errorf("renice thread %d of pid %d: %w", tid, pid, err)
			}
			done[tid] = true
			fresh++
		}
		if fresh == 0 {
			return nil
		}
	}
}
