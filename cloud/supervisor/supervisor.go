package supervisor

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"time"
)

// ErrUnknown means the supervisor does not run a chain of that name.
var ErrUnknown = errors.New("not supervised")

// Hooks let a caller apply per-chain resource limits around a start.
// Both run for every start, restarts included.
type Hooks interface {
	// BeforeStart may change cmd (Env, Path and Args for a wrapper)
	// before it starts; an error fails the start.
	BeforeStart(name string, cmd *exec.Cmd) error
	// AfterStart acts on the started process (cgroup, rlimits, nice); an
	// error is reported as an event and the node keeps running.
	AfterStart(name string, pid int) error
}

// Starter is implemented by Hooks that start the process themselves, in
// place of cmd.Start (the limits' timer slack is set on the forking
// thread).
type Starter interface {
	Start(name string, cmd *exec.Cmd) error
}

// Backoff is the restart delay policy.
type Backoff struct {
	Initial     time.Duration // first delay
	Max         time.Duration // cap of the doubling delay
	StableAfter time.Duration // a run this long resets the delay
}

// Options configure a Supervisor.
type Options struct {
	Binary    string        // the vsysd binary
	Backoff   Backoff       // restart delays
	StopGrace time.Duration // SIGTERM to SIGKILL
	Hooks     Hooks         // nil: none
	// OnEvent is called (from the chain's goroutine, never under a lock
	// of the supervisor) on every start and exit.
	OnEvent func(Event)
}

// Event kinds.
const (
	Started = "started" // a node process started (PID)
	Adopted = "adopted" // a running node was adopted (PID)
	Exited  = "exited"  // the node exited unasked (Exit); a restart follows
	Halted  = "halted"  // it exited with an exit its Spec.Final calls final: no restart
	Failed  = "failed"  // a start or a hook failed (Exit has the error)
)

// Event is something that happened to a chain's node.
type Event struct {
	Name     string
	Kind     string
	PID      int
	Exit     string        // how it exited, or the error
	Restarts int           // restarts so far
	Delay    time.Duration // Exited and Failed: wait before the next start
}

// Spec is one process to run: a chain node, or another vsysd command
// (a relayer) given by Args.
type Spec struct {
	Name    string
	Home    string // the node's home: vsysd start --home Home
	LogPath string // stdout and stderr are appended here
	// Args are the command's arguments after the binary; nil:
	// NodeArgs(Home). A process is adopted only if its command line ends
	// with them (MatchesArgs), so they must name something unique to it.
	Args []string
	// Final, if set, says an exit (as State.LastExit describes it, the
	// cause from the log included) is final: the process is not
	// restarted, since a restart would only fail the same way (a
	// relayer whose client is frozen). It stays down until Stop and a
	// new Start.
	Final func(lastExit string) bool
}

// argv is the command's arguments.
func (s Spec) argv() []string {
	if s.Args != nil {
		return s.Args
	}
	return NodeArgs(s.Home)
}

// State is what the supervisor knows of a chain's node now.
type State struct {
	PID       int // 0 while it is not running
	Running   bool
	Adopted   bool // not our child: started by an earlier control plane
	Restarts  int
	LastExit  string
	StartedAt time.Time
}

// Supervisor runs chain nodes. It is safe for concurrent use.
type Supervisor struct {
	o     Options
	mu    sync.Mutex
	procs map[string]*proc
}

// New returns a supervisor.
func New(o Options) *Supervisor {
	if o.OnEvent == nil {
		o.OnEvent = func(Event) {}
	}
	return &Supervisor{o: o, procs: map[string]*proc{}}
}

// proc is one supervised chain.
type proc struct {
	spec  Spec
	stop  chan struct{} // closed by Stop or Detach: no more restarts
	done  chan struct{} // closed when the run loop has returned
	once  sync.Once
	mu    sync.Mutex
	state State
	exit  chan struct{} // closed when the current process has exited
}

// Start runs spec's node and keeps it running; adoptPID, if it is spec's
// live node, is adopted instead of starting a new process. It returns
// whether it adopted.
func (s *Supervisor) Start(spec Spec, adoptPID int) (adopted bool, err error) {
	p := &proc{spec: spec, stop: make(chan struct{}), done: make(chan struct{})}
	s.mu.Lock()
	if _, ok := s.procs[spec.Name]; ok {
		s.mu.Unlock()
		return false, fmt.Errorf("chain %s: already supervised", spec.Name)
	}
	s.procs[spec.Name] = p
	s.mu.Unlock()
	// Outside the lock: spawn calls OnEvent, which may call back in.
	if MatchesArgs(adoptPID, spec.argv()) {
		exit := make(chan struct{})
		p.mu.Lock()
		p.state = State{PID: adoptPID, Running: true, Adopted: true, StartedAt: time.Now()}
		p.exit = exit
		p.mu.Unlock()
		go watchAdopted(p, adoptPID, exit)
		adopted = true
	} else if err := s.spawn(p); err != nil {
		s.mu.Lock()
		delete(s.procs, spec.Name)
		s.mu.Unlock()
		close(p.done)
		return false, err
	}
	go s.run(p, adopted)
	return adopted, nil
}

// spawn starts p's node process.
func (s *Supervisor) spawn(p *proc) error {
	log, err := os.OpenFile(p.spec.LogPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("chain %s: log: %w", p.spec.Name, err)
	}
	defer log.Close() // the child has its own descriptor
	// Where this run's output starts, to find its crash cause in.
	var offset int64
	if fi, err := log.Stat(); err == nil {
		offset = fi.Size()
	}
	cmd := exec.Command(s.o.Binary, p.spec.argv()...)
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if s.o.Hooks != nil {
		if err := guard("BeforeStart", func() error { return s.o.Hooks.BeforeStart(p.spec.Name, cmd) }); err != nil {
			return fmt.Errorf("chain %s: before start: %w", p.spec.Name, err)
		}
	}
	start := cmd.Start
	if st, ok := s.o.Hooks.(Starter); ok {
		start = func() error { return st.Start(p.spec.Name, cmd) }
	}
	if err := start(); err != nil {
		return fmt.Errorf("chain %s: start node: %w", p.spec.Name, err)
	}
	exit := make(chan struct{})
	p.mu.Lock()
	p.state.PID, p.state.Running, p.state.Adopted, p.state.StartedAt = cmd.Process.Pid, true, false, time.Now()
	p.exit = exit
	p.mu.Unlock()
	go func() {
		err := cmd.Wait()
		p.mu.Lock()
		p.state.Running, p.state.LastExit = false, withCause(describeExit(err), p.spec.LogPath, offset)
		p.mu.Unlock()
		close(exit)
	}()
	s.o.OnEvent(Event{Name: p.spec.Name, Kind: Started, PID: cmd.Process.Pid, Restarts: p.restarts()})
	if s.o.Hooks != nil {
		if err := guard("AfterStart", func() error { return s.o.Hooks.AfterStart(p.spec.Name, cmd.Process.Pid) }); err != nil {
			s.o.OnEvent(Event{Name: p.spec.Name, Kind: Failed, PID: cmd.Process.Pid, Exit: "after start: " + err.Error()})
		}
	}
	return nil
}

// guard runs a hook, turning its panic into an error: a hook is the
// caller's code, and one chain's broken limits must fail that chain's
// start, not kill the control plane and every other chain's supervision.
func guard(hook string, fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%s hook panicked: %v", hook, r)
		}
	}()
	return fn()
}

// watchAdopted polls an adopted pid (not our child, so no wait) until
// it is gone.
func watchAdopted(p *proc, pid int, exit chan struct{}) {
	for MatchesArgs(pid, p.spec.argv()) {
		time.Sleep(100 * time.Millisecond)
	}
	p.mu.Lock()
	p.state.Running, p.state.LastExit = false, "exited (adopted process; status unknown)"
	p.mu.Unlock()
	close(exit)
}

func describeExit(err error) string {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return fmt.Sprintf("killed by signal %d (%v)", int(ws.Signal()), ws.Signal())
		}
		return fmt.Sprintf("exit status %d", ee.ExitCode())
	}
	if err != nil {
		return err.Error()
	}
	return "exit status 0"
}

func (p *proc) restarts() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.state.Restarts
}

func (p *proc) current() (pid int, exit chan struct{}, started time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.state.PID, p.exit, p.state.StartedAt
}

// halted reports whether p's last exit is final by its spec, and if so
// records it and reports the Halted event.
func (s *Supervisor) halted(p *proc) bool {
	if p.spec.Final == nil {
		return false
	}
	p.mu.Lock()
	ev := Event{Name: p.spec.Name, Kind: Halted, PID: p.state.PID, Exit: p.state.LastExit, Restarts: p.state.Restarts}
	final := p.spec.Final(p.state.LastExit)
	if final {
		p.state.PID = 0
	}
	p.mu.Unlock()
	if final {
		s.o.OnEvent(ev)
	}
	return final
}

// run restarts p's node each time it exits, until p is stopped.
func (s *Supervisor) run(p *proc, adopted bool) {
	defer close(p.done)
	if adopted {
		pid, _, _ := p.current()
		s.o.OnEvent(Event{Name: p.spec.Name, Kind: Adopted, PID: pid})
	}
	delay := s.o.Backoff.Initial
	for {
		_, exit, started := p.current()
		select {
		case <-p.stop:
			return
		case <-exit:
		}
		select {
		case <-p.stop: // exited because it was stopped
			return
		default:
		}
		if s.halted(p) {
			return
		}
		if time.Since(started) >= s.o.Backoff.StableAfter {
			delay = s.o.Backoff.Initial
		}
		for {
			p.mu.Lock()
			p.state.Restarts++
			ev := Event{Name: p.spec.Name, Kind: Exited, PID: p.state.PID, Exit: p.state.LastExit, Restarts: p.state.Restarts, Delay: delay}
			p.state.PID = 0
			p.mu.Unlock()
			s.o.OnEvent(ev)
			select {
			case <-p.stop:
				return
			case <-time.After(delay):
			}
			delay = min(2*delay, s.o.Backoff.Max)
			err := s.spawn(p)
			if err == nil {
				break
			}
			p.mu.Lock()
			p.state.LastExit = err.Error()
			p.mu.Unlock()
		}
	}
}

// State returns what the supervisor knows of name's node.
func (s *Supervisor) State(name string) (State, bool) {
	s.mu.Lock()
	p, ok := s.procs[name]
	s.mu.Unlock()
	if !ok {
		return State{}, false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.state, true
}

// Stop stops name's node for good: SIGTERM, then SIGKILL if it has not
// exited within the grace period. It returns when the node has exited.
func (s *Supervisor) Stop(name string) error {
	s.mu.Lock()
	p, ok := s.procs[name]
	delete(s.procs, name)
	s.mu.Unlock()
	if !ok {
		return fmt.Errorf("chain %s: %w", name, ErrUnknown)
	}
	p.once.Do(func() { close(p.stop) })
	<-p.done
	pid, exit, _ := p.current()
	if pid == 0 || exit == nil {
		return nil
	}
	signal(pid, syscall.SIGTERM)
	select {
	case <-exit:
		return nil
	case <-time.After(s.o.StopGrace):
	}
	signal(pid, syscall.SIGKILL)
	select {
	case <-exit:
		return nil
	case <-time.After(5 * time.Second):
		return fmt.Errorf("chain %s: pid %d did not exit after SIGKILL", name, pid)
	}
}

// Detach stops supervising every chain without touching the node
// processes, which go on running: what a control plane does when it
// shuts down and leaves its chains serving.
func (s *Supervisor) Detach() {
	s.mu.Lock()
	procs := s.procs
	s.procs = map[string]*proc{}
	s.mu.Unlock()
	for _, p := range procs {
		p.once.Do(func() { close(p.stop) })
		<-p.done
	}
}

// StopAll stops every chain's node, concurrently.
func (s *Supervisor) StopAll() error {
	s.mu.Lock()
	names := make([]string, 0, len(s.procs))
	for n := range s.procs {
		names = append(names, n)
	}
	s.mu.Unlock()
	errs := make([]error, len(names))
	var wg sync.WaitGroup
	for i, n := range names {
		wg.Go(func() { errs[i] = s.Stop(n) })
	}
	wg.Wait()
	return errors.Join(errs...)
}
