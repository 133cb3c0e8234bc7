package supervisor

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCrashCause: the cause is the first runtime panic or fatal error
// line of this run's output (from the offset), not an earlier run's.
func TestCrashCause(t *testing.T) {
	path := filepath.Join(t.TempDir(), "node.log")
	earlier := "I[2026] started\npanic: an earlier run\n\ngoroutine 1 [running]:\n"
	run := "I[2026] node started\nE[2026] not a cause: panic: quoted\nruntime: out of memory: cannot allocate 33554432-byte block\n" +
		"fatal error: runtime: out of memory\n\ngoroutine 9 [running]:\npanic: later\n"
	if err := os.WriteFile(path, []byte(earlier+run), 0o600); err != nil {
		t.Fatal(err)
	}
	off := int64(len(earlier))
	if got := withCause("exit status 2", path, off); got != "exit status 2 (fatal error: runtime: out of memory)" {
		t.Errorf("cause: %q", got)
	}
	if got := withCause("exit status 2", path, 0); got != "exit status 2 (panic: an earlier run)" {
		t.Errorf("from 0: %q", got)
	}
	if got := withCause("killed by signal 9 (killed)", path, int64(len(earlier+run))); got != "killed by signal 9 (killed)" {
		t.Errorf("nothing after the offset: %q", got)
	}
	if got := withCause("exit status 1", filepath.Join(t.TempDir(), "none"), 0); got != "exit status 1" {
		t.Errorf("no log: %q", got)
	}
	if got := withCause("exit status 2", path, 1<<30); got != "exit status 2 (panic: an earlier run)" {
		t.Errorf("after a rotation truncated the log: %q", got)
	}
	long := "panic: " + strings.Repeat("x", 1000) + "\n"
	if err := os.WriteFile(path, []byte(long), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := crashCause(path, 0); len(got) != maxCause {
		t.Errorf("a long cause is cut to %d bytes: %d", maxCause, len(got))
	}
}
