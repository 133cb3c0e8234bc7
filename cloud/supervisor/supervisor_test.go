package supervisor

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// script writes an executable shell script: the supervisor runs it as
// `script start --home HOME`, as it would run vsysd.
func script(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "node.sh")
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

// events collects a supervisor's events.
type events struct {
	mu  sync.Mutex
	got []Event
	ch  chan Event
}

func newEvents() *events { return &events{ch: make(chan Event, 100)} }

func (e *events) on(ev Event) {
	e.mu.Lock()
	e.got = append(e.got, ev)
	e.mu.Unlock()
	e.ch <- ev
}

// next waits for the next event of kind.
func (e *events) next(t *testing.T, kind string) Event {
	t.Helper()
	guard := time.After(20 * time.Second)
	for {
		select {
		case ev := <-e.ch:
			if ev.Kind == kind {
				return ev
			}
		case <-guard:
			t.Fatalf("no %s event", kind)
		}
	}
}

func spec(t *testing.T) Spec {
	dir := t.TempDir()
	return Spec{Name: "c", Home: filepath.Join(dir, "home"), LogPath: filepath.Join(dir, "node.log")}
}

// TestRestartBackoff: a node that keeps exiting is restarted with a delay
// that doubles up to the cap; one that ran for StableAfter restarts after
// the initial delay again.
func TestRestartBackoff(t *testing.T) {
	ev := newEvents()
	s := New(Options{Binary: script(t, "exit 3"), OnEvent: ev.on, StopGrace: time.Second,
		Backoff: Backoff{Initial: 10 * time.Millisecond, Max: 40 * time.Millisecond, StableAfter: time.Hour}})
	if _, err := s.Start(spec(t), 0); err != nil {
		t.Fatal(err)
	}
	want := []time.Duration{10, 20, 40, 40, 40}
	for i, w := range want {
		e := ev.next(t, Exited)
		if e.Exit != "exit status 3" || e.Restarts != i+1 || e.Delay != w*time.Millisecond {
			t.Errorf("exit %d: %+v, want delay %v", i+1, e, w*time.Millisecond)
		}
	}
	if err := s.Stop("c"); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.State("c"); ok {
		t.Fatal("stopped chain still has a state")
	}

	ev = newEvents()
	s = New(Options{Binary: script(t, "sleep 0.2; exit 1"), OnEvent: ev.on, StopGrace: time.Second,
		Backoff: Backoff{Initial: 10 * time.Millisecond, Max: time.Second, StableAfter: 50 * time.Millisecond}})
	if _, err := s.Start(spec(t), 0); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if e := ev.next(t, Exited); e.Delay != 10*time.Millisecond {
			t.Errorf("exit %d after a stable run: delay %v, want the initial 10ms", i+1, e.Delay)
		}
	}
	if err := s.Stop("c"); err != nil {
		t.Fatal(err)
	}
}

// hooks records what the supervisor hands it.
type hooks struct {
	mu   sync.Mutex
	pids []int
}

func (h *hooks) BeforeStart(_ string, cmd *exec.Cmd) error {
	cmd.Env = append(os.Environ(), "VSYS_TEST_LIMIT=1")
	return nil
}

func (h *hooks) AfterStart(_ string, pid int) error {
	h.mu.Lock()
	h.pids = append(h.pids, pid)
	h.mu.Unlock()
	return nil
}

// TestAdoptAndStop: a second supervisor adopts the node the first left
// running (and only for the right home), notices its exit without being
// its parent, and Stop escalates to SIGKILL when SIGTERM is ignored.
func TestAdoptAndStop(t *testing.T) {
	sp := spec(t)
	h := &hooks{}
	ev := newEvents()
	// The node ignores SIGTERM and records the hook's environment.
	bin := script(t, `trap '' TERM; echo "limit=$VSYS_TEST_LIMIT"; sleep 30`)
	first := New(Options{Binary: bin, Hooks: h, OnEvent: ev.on, StopGrace: time.Second,
		Backoff: Backoff{Initial: 10 * time.Millisecond, Max: time.Second, StableAfter: time.Second}})
	if _, err := first.Start(sp, 0); err != nil {
		t.Fatal(err)
	}
	started := ev.next(t, Started)
	if h.pids[0] != started.PID {
		t.Fatalf("AfterStart got pid %d, the node is %d", h.pids[0], started.PID)
	}
	// Until the child has exec'd, its cmdline is still the test binary's.
	for guard := time.Now().Add(20 * time.Second); !Matches(started.PID, sp.Home) && time.Now().Before(guard); {
		time.Sleep(10 * time.Millisecond)
	}
	if !Matches(started.PID, sp.Home) || Matches(started.PID, sp.Home+"x") || Matches(os.Getpid(), sp.Home) {
		t.Fatal("Matches: wrong answer for the node, another home or another process")
	}
	// And until the script has run its first line, a stop may kill it
	// before it wrote the hook's environment (seen under load).
	for guard := time.Now().Add(20 * time.Second); time.Now().Before(guard); time.Sleep(10 * time.Millisecond) {
		if b, _ := os.ReadFile(sp.LogPath); len(b) > 0 {
			break
		}
	}
	first.Detach()

	ev2 := newEvents()
	second := New(Options{Binary: bin, OnEvent: ev2.on, StopGrace: 200 * time.Millisecond,
		Backoff: Backoff{Initial: 10 * time.Millisecond, Max: time.Second, StableAfter: time.Second}})
	other := sp
	other.Home += "-other"
	other.LogPath += ".other"
	adopted, err := second.Start(other, started.PID)
	if err != nil || adopted {
		t.Fatalf("adopt a node of another home: adopted %v %v", adopted, err)
	}
	if err := second.Stop(other.Name); err != nil {
		t.Fatal(err)
	}
	adopted, err = second.Start(sp, started.PID)
	if err != nil || !adopted {
		t.Fatalf("adopt: adopted %v %v", adopted, err)
	}
	if st, _ := second.State("c"); !st.Adopted || st.PID != started.PID {
		t.Fatalf("state %+v", st)
	}
	if err := second.Stop("c"); err != nil {
		t.Fatal(err)
	}
	if Matches(started.PID, sp.Home) {
		t.Fatal("node alive after Stop")
	}
	b, err := os.ReadFile(sp.LogPath)
	if err != nil || string(b) != "limit=1\n" {
		t.Fatalf("log %q %v: the BeforeStart environment did not reach the node", b, err)
	}
}

// panicHooks is a caller's hook with a bug.
type panicHooks struct{ before bool }

func (h panicHooks) BeforeStart(string, *exec.Cmd) error {
	if h.before {
		panic("limits bug")
	}
	return nil
}

func (h panicHooks) AfterStart(string, int) error {
	if !h.before {
		panic("limits bug")
	}
	return nil
}

// TestHookPanic: a hook that panics fails that chain's start (before the
// process starts) or is reported (after it), and the supervisor goes on.
func TestHookPanic(t *testing.T) {
	ev := newEvents()
	s := New(Options{Binary: script(t, "sleep 30"), Hooks: panicHooks{before: true}, OnEvent: ev.on,
		StopGrace: time.Second, Backoff: Backoff{Initial: 10 * time.Millisecond, Max: time.Second, StableAfter: time.Second}})
	_, err := s.Start(spec(t), 0)
	if err == nil || !strings.Contains(err.Error(), "BeforeStart hook panicked: limits bug") {
		t.Fatalf("start with a panicking BeforeStart: %v", err)
	}
	if _, ok := s.State("c"); ok {
		t.Error("a failed start left the chain supervised")
	}

	ev = newEvents()
	s = New(Options{Binary: script(t, "sleep 30"), Hooks: panicHooks{}, OnEvent: ev.on,
		StopGrace: time.Second, Backoff: Backoff{Initial: 10 * time.Millisecond, Max: time.Second, StableAfter: time.Second}})
	if _, err := s.Start(spec(t), 0); err != nil {
		t.Fatal(err)
	}
	if e := ev.next(t, Failed); !strings.Contains(e.Exit, "AfterStart hook panicked") {
		t.Errorf("failed event: %+v", e)
	}
	if st, ok := s.State("c"); !ok || !st.Running {
		t.Errorf("the node should run on: %+v %v", st, ok)
	}
	if err := s.Stop("c"); err != nil {
		t.Fatal(err)
	}
}

// TestArgsSpec: a process given by its own arguments (a relayer's
// `relay start --home …`), not a node's `start --home`, is started with
// them, adopted by a second supervisor only with the same arguments,
// and a node spec of the same home does not adopt it.
func TestArgsSpec(t *testing.T) {
	sp := spec(t)
	sp.Args = []string{"relay", "start", "--home", sp.Home, "--a-client", "07-tendermint-0"}
	ev := newEvents()
	bin := script(t, `echo "args $*"; sleep 30`)
	o := Options{Binary: bin, OnEvent: ev.on, StopGrace: time.Second,
		Backoff: Backoff{Initial: 10 * time.Millisecond, Max: time.Second, StableAfter: time.Second}}
	first := New(o)
	if _, err := first.Start(sp, 0); err != nil {
		t.Fatal(err)
	}
	pid := ev.next(t, Started).PID
	for guard := time.Now().Add(20 * time.Second); !MatchesArgs(pid, sp.Args) && time.Now().Before(guard); {
		time.Sleep(10 * time.Millisecond)
	}
	if !MatchesArgs(pid, sp.Args) || Matches(pid, sp.Home) || MatchesArgs(pid, append(slices.Clone(sp.Args), "x")) {
		t.Fatal("MatchesArgs: wrong answer for the process, a node of its home or longer args")
	}
	first.Detach()

	second := New(o)
	node := sp
	node.Args = nil
	if adopted, err := second.Start(node, pid); err != nil || adopted {
		t.Fatalf("a node spec adopted the relayer: %v %v", adopted, err)
	}
	if err := second.Stop(node.Name); err != nil {
		t.Fatal(err)
	}
	if adopted, err := second.Start(sp, pid); err != nil || !adopted {
		t.Fatalf("adopt: %v %v", adopted, err)
	}
	if err := second.Stop(sp.Name); err != nil {
		t.Fatal(err)
	}
	if MatchesArgs(pid, sp.Args) {
		t.Fatal("alive after Stop")
	}
	b, _ := os.ReadFile(sp.LogPath)
	if !strings.Contains(string(b), "args relay start --home "+sp.Home+" --a-client 07-tendermint-0") {
		t.Fatalf("log %q: not started with its args", b)
	}
}

// TestFinalExit: an exit the spec calls final is not restarted: the
// Halted event carries the cause from the log (main's "Error: " line),
// and Stop afterwards has nothing to signal.
func TestFinalExit(t *testing.T) {
	sp := spec(t)
	sp.Final = func(exit string) bool { return strings.Contains(exit, "client frozen") }
	ev := newEvents()
	bin := script(t, `echo "Error: client frozen: client 07-tendermint-0 on a is Frozen" >&2; exit 1`)
	s := New(Options{Binary: bin, OnEvent: ev.on, StopGrace: time.Second,
		Backoff: Backoff{Initial: 10 * time.Millisecond, Max: time.Second, StableAfter: time.Second}})
	if _, err := s.Start(sp, 0); err != nil {
		t.Fatal(err)
	}
	h := ev.next(t, Halted)
	if h.Exit != "exit status 1 (Error: client frozen: client 07-tendermint-0 on a is Frozen)" {
		t.Fatalf("halted with %q", h.Exit)
	}
	if st, _ := s.State(sp.Name); st.Running || st.PID != 0 || st.Restarts != 0 {
		t.Fatalf("state %+v: want down, not restarted", st)
	}
	if err := s.Stop(sp.Name); err != nil {
		t.Fatal(err)
	}
	ev.mu.Lock()
	defer ev.mu.Unlock()
	for _, e := range ev.got {
		if e.Kind == Exited {
			t.Fatalf("restart after a final exit: %+v", ev.got)
		}
	}
}
