package node

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/cometbft/cometbft/libs/log"
	"golang.org/x/sys/unix"
)

// Fault injection, for tests of what a supervisor does when a node dies
// (docs/testing.md, "Faults"). It is off unless the process is started
// with FaultEnv=1, and then a fault is armed by writing FaultFile in the
// node's home: both need the operator's access to the host, never a
// chain user's.
const (
	// FaultEnv enables fault injection when it is "1".
	FaultEnv = "VSYS_FAULT_INJECTION"
	// FaultFile, in the node's home, arms one fault: "panic" or "oom",
	// optionally "@H" to wait for height H ("panic@12").
	FaultFile = "fault"
)

// The fault kinds.
const (
	// FaultPanic panics in the ABCI Commit path, after the block is
	// committed: what an application bug does.
	FaultPanic = "panic"
	// FaultOOM allocates in the Commit path until the node's memory
	// limit ends the process.
	FaultOOM = "oom"
)

// ErrBadFault is the error of a fault file that does not parse.
var ErrBadFault = errors.New("bad fault")

// Fault is one armed fault.
type Fault struct {
	Kind   string // FaultPanic or FaultOOM
	Height int64  // fire at the first commit of a height >= Height; 0: the next commit
}

// ParseFault parses the contents of a fault file.
func ParseFault(s string) (Fault, error) {
	kind, at, hasAt := strings.Cut(strings.TrimSpace(s), "@")
	f := Fault{Kind: kind}
	if kind != FaultPanic && kind != FaultOOM {
		return f, fmt.Errorf("%w %q: want panic or oom, optionally @HEIGHT", ErrBadFault, s)
	}
	if hasAt {
		h, err := strconv.ParseInt(at, 10, 64)
		if err != nil || h < 1 {
			return f, fmt.Errorf("%w %q: height %q is not a positive integer", ErrBadFault, s, at)
		}
		f.Height = h
	}
	return f, nil
}

// InjectFault arms f in a node's home; a node started with FaultEnv=1
// fires it at its next commit at or above f.Height, once.
func InjectFault(home string, f Fault) error {
	s := f.Kind
	if f.Height > 0 {
		s += "@" + strconv.FormatInt(f.Height, 10)
	}
	if _, err := ParseFault(s); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(home, FaultFile), []byte(s+"\n"), 0o600); err != nil {
		return fmt.Errorf("inject fault: %w", err)
	}
	return nil
}

// faults checks a home's fault file at each commit. A nil *faults is
// off and costs nothing.
type faults struct {
	path   string
	logger log.Logger
}

// faultsFromEnv returns the fault checker of home when FaultEnv is set,
// else nil.
func faultsFromEnv(home string, logger log.Logger) *faults {
	if os.Getenv(FaultEnv) != "1" {
		return nil
	}
	logger.Info("fault injection is on", "file", filepath.Join(home, FaultFile))
	return &faults{path: filepath.Join(home, FaultFile), logger: logger}
}

// atCommit fires the armed fault when height has reached it. The file is
// removed before the fault fires, so a restarted node does not fire it
// again; a file that cannot be removed does not fire at all.
func (f *faults) atCommit(height int64) {
	if f == nil {
		return
	}
	raw, err := os.ReadFile(f.path)
	if errors.Is(err, fs.ErrNotExist) {
		return
	}
	if err != nil {
		f.logger.Error("fault file unreadable", "err", err)
		return
	}
	fault, err := ParseFault(string(raw))
	if err != nil {
		f.logger.Error("fault file ignored", "err", err)
		return
	}
	if height < fault.Height {
		return
	}
	if err := os.Remove(f.path); err != nil {
		f.logger.Error("fault not fired: cannot remove the fault file", "err", err)
		return
	}
	f.logger.Error("firing an injected fault", "fault", fault.Kind, "height", height)
	switch fault.Kind {
	case FaultPanic:
		panic(fmt.Sprintf("injected fault at height %d", height))
	case FaultOOM:
		if why := memoryBound(); why == "" {
			// Without a limit the allocation would take the host's
			// memory, not the node's: the other chains would pay.
			f.logger.Error("oom fault not fired: no memory limit is in force (RLIMIT_DATA, RLIMIT_AS or a cgroup memory.max)")
			return
		}
		exhaustMemory()
	}
}

// memoryBound names the memory limit that bounds this process, or ""
// when there is none.
func memoryBound() string {
	for _, r := range []struct {
		name string
		res  int
	}{{"RLIMIT_DATA", unix.RLIMIT_DATA}, {"RLIMIT_AS", unix.RLIMIT_AS}} {
		var lim unix.Rlimit
		if unix.Getrlimit(r.res, &lim) == nil && lim.Cur != unix.RLIM_INFINITY {
			return r.name
		}
	}
	// cgroup v2: /proc/self/cgroup is "0::/path".
	raw, err := os.ReadFile("/proc/self/cgroup")
	if err != nil {
		return ""
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if p, ok := strings.CutPrefix(line, "0::"); ok {
			m, err := os.ReadFile(filepath.Join("/sys/fs/cgroup", p, "memory.max"))
			if err == nil && strings.TrimSpace(string(m)) != "max" {
				return "cgroup memory.max"
			}
		}
	}
	return ""
}

// exhaustMemory allocates and touches memory until the process dies:
// the Go runtime's "fatal error: out of memory" under an rlimit, the
// kernel's OOM kill under a cgroup. Every page is written so that it
// counts as resident, not only reserved.
func exhaustMemory() {
	for {
		b := make([]byte, 32<<20)
		for i := 0; i < len(b); i += 4096 {
			b[i] = 1
		}
		hoard = append(hoard, b)
	}
}

// hoard keeps what exhaustMemory allocates reachable, so the collector
// cannot free it.
var hoard [][]byte
