package bench

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"sync"
	"syscall"
	"time"

	"github.com/vsys/vsys/cloud"
	"github.com/vsys/vsys/cloud/api"
	"github.com/vsys/vsys/cloud/state"
	"github.com/vsys/vsys/node"
	"github.com/vsys/vsys/rpc/client"
)

// Fault is one way to make a chain's node die.
type Fault struct {
	Name   string
	Inject func(st api.Chain) error
}

// Faults are the node faults of the isolation tests and the faults
// bench: a kill -9, a panic in the Commit path, an out-of-memory death
// under the node's memory limit (node/fault.go; the node needs
// node.FaultEnv=1 in its environment for the last two).
var Faults = []Fault{
	{"kill -9", func(st api.Chain) error { return syscall.Kill(st.PID, syscall.SIGKILL) }},
	{"panic", func(st api.Chain) error { return node.InjectFault(st.Home, node.Fault{Kind: node.FaultPanic}) }},
	{"oom", func(st api.Chain) error { return node.InjectFault(st.Home, node.Fault{Kind: node.FaultOOM}) }},
}

// HeightLog samples a chain's height every 20 ms in the background and
// keeps each change: what the height was at a moment, and how long the
// chain went without a block.
type HeightLog struct {
	mu      sync.Mutex
	changes []heightAt
	stop    chan struct{}
	done    chan struct{}
}

type heightAt struct {
	at time.Time
	h  int64
}

// WatchHeight samples the height of the chain whose JSON-RPC is at addr
// until Close.
func WatchHeight(addr string) *HeightLog {
	l := &HeightLog{stop: make(chan struct{}), done: make(chan struct{})}
	c := client.New(addr)
	go func() {
		defer close(l.done)
		for {
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			h, err := c.BlockNumber(ctx)
			cancel()
			if err == nil {
				l.mu.Lock()
				if n := len(l.changes); n == 0 || l.changes[n-1].h != h {
					l.changes = append(l.changes, heightAt{time.Now(), h})
				}
				l.mu.Unlock()
			}
			select {
			case <-l.stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	return l
}

// Close stops the sampling.
func (l *HeightLog) Close() { close(l.stop); <-l.done }

// At is the height last seen at or before t, -1 before the first.
func (l *HeightLog) At(t time.Time) int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	h := int64(-1)
	for _, c := range l.changes {
		if c.at.After(t) {
			break
		}
		h = c.h
	}
	return h
}

// MaxGap is the longest the chain went without a new height within
// [from, to].
func (l *HeightLog) MaxGap(from, to time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	last, gap := from, time.Duration(0)
	for _, c := range l.changes {
		if c.at.Before(from) || c.at.After(to) {
			continue
		}
		gap = max(gap, c.at.Sub(last))
		last = c.at
	}
	return max(gap, to.Sub(last))
}

// FaultOptions configure RunFaults.
type FaultOptions struct {
	Binary        string        // the vsysd that runs each node
	Rounds        int           // times each fault is injected
	BlockInterval time.Duration // both chains' pause after each commit
	PortBase      int           // first port of the cloud (3 + 3 per chain + 50 spare)
	Log           io.Writer     // progress lines; nil: none
}

// FaultFigures are one fault's figures over its rounds.
type FaultFigures struct {
	Fault      string        `json:"fault"`
	Rounds     int           `json:"rounds"`
	ExitP50    time.Duration `json:"exit_p50"`    // injection → the supervisor saw the exit
	BackP50    time.Duration `json:"back_p50"`    // exit → A serving again at its height (backoff included)
	BackMax    time.Duration `json:"back_max"`    //
	BGapMax    time.Duration `json:"b_gap_max"`   // B's longest time without a block, injection → A back
	LastExit   string        `json:"last_exit"`   // A's record of the last round's exit
	BAdvancing bool          `json:"b_advancing"` // B's height moved during every outage
}

// FaultsResult is what RunFaults measured.
type FaultsResult struct {
	Backoff      time.Duration  `json:"backoff"`        // the restart delay in force
	BaselineGapB time.Duration  `json:"baseline_gap_b"` // B's longest gap over a window of the same length with A up
	Faults       []FaultFigures `json:"faults"`
	LimitsMode   string         `json:"limits_mode"`
}

// backoff is the bench's restart delay, the same every time
// (stable_after is short, so no doubling).
const backoff = 100 * time.Millisecond

// RunFaults runs a cloud of two chains, A and B (B makes a block every
// interval), and injects each of Faults into A's node Rounds times,
// measuring how long A takes to come back and B's longest block gap
// meanwhile. It sets node.FaultEnv in this process's environment, which
// the nodes inherit.
func RunFaults(ctx context.Context, o FaultOptions) (*FaultsResult, error) {
	if o.Log == nil {
		o.Log = io.Discard
	}
	if o.Rounds < 1 {
		o.Rounds = 1
	}
	prev, had := os.LookupEnv(node.FaultEnv)
	if err := os.Setenv(node.FaultEnv, "1"); err != nil {
		return nil, err
	}
	defer func() {
		if had {
			_ = os.Setenv(node.FaultEnv, prev)
		} else {
			_ = os.Unsetenv(node.FaultEnv)
		}
	}()
	cfg := benchConfig(o.PortBase, 2, o.BlockInterval)
	// A's heartbeat is its interval: the panic and OOM faults fire in the
	// Commit path, so at A's next block.
	cfg.Chain.Heartbeat = o.BlockInterval.String()
	cfg.Limits.MemoryBytes = 512 << 20 // the OOM fault's ceiling, reached in about a second
	cfg.Restart.BackoffInitial, cfg.Restart.BackoffMax, cfg.Restart.StableAfter = backoff.String(), backoff.String(), "1ms"
	p, done, err := startCloud(o.Binary, "vsys-bench-faults-", cfg, false)
	if err != nil {
		return nil, err
	}
	defer done()
	chains := map[string]api.Chain{}
	for _, req := range []api.CreateRequest{{Name: "a"}, {Name: "b", EmptyBlocks: true}} {
		if _, err := p.CreateChain(ctx, req); err != nil {
			return nil, fmt.Errorf("create %s: %w", req.Name, err)
		}
		if chains[req.Name], err = api.WaitFirstBlock(ctx, p, req.Name, time.Minute); err != nil {
			return nil, err
		}
	}
	b := WatchHeight(chains["b"].RPCAddr)
	defer b.Close()
	res := &FaultsResult{Backoff: backoff, LimitsMode: chains["a"].Limits}
	for _, f := range Faults {
		fig := FaultFigures{Fault: f.Name, Rounds: o.Rounds, BAdvancing: true}
		var exits, backs []time.Duration
		for range o.Rounds {
			r, err := faultRound(ctx, p, f, b)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", f.Name, err)
			}
			exits, backs = append(exits, r.exit), append(backs, r.back)
			fig.BGapMax, fig.LastExit = max(fig.BGapMax, r.gap), r.lastExit
			fig.BAdvancing = fig.BAdvancing && r.bMoved
			fmt.Fprintf(o.Log, "%s: A exited %v after the injection, back %v after its exit; B's largest gap %v\n",
				f.Name, r.exit.Round(time.Millisecond), r.back.Round(time.Millisecond), r.gap.Round(time.Millisecond))
		}
		slices.Sort(exits)
		slices.Sort(backs)
		fig.ExitP50, fig.BackP50, fig.BackMax = exits[len(exits)/2], backs[len(backs)/2], backs[len(backs)-1]
		res.Faults = append(res.Faults, fig)
	}
	// The baseline: B's largest gap over a window as long as the longest
	// outage, with A up.
	window := time.Second
	for _, f := range res.Faults {
		window = max(window, f.BackMax)
	}
	from := time.Now()
	time.Sleep(window)
	res.BaselineGapB = b.MaxGap(from, time.Now())
	return res, nil
}

type roundResult struct {
	exit, back, gap time.Duration
	lastExit        string
	bMoved          bool
}

// faultRound injects f into chain a once and waits for a to be back.
func faultRound(ctx context.Context, p *cloud.Plane, f Fault, b *HeightLog) (roundResult, error) {
	st, err := p.ChainStatus(ctx, "a")
	if err != nil {
		return roundResult{}, err
	}
	injected := time.Now()
	if err := f.Inject(st); err != nil {
		return roundResult{}, err
	}
	end := injected.Add(time.Minute)
	for {
		now, err := p.ChainStatus(ctx, "a")
		if err == nil && now.Restarts > st.Restarts && now.Running && now.PID != st.PID && now.Height >= st.Height {
			break
		}
		if time.Now().After(end) {
			return roundResult{}, fmt.Errorf("chain a not back within a minute: %+v %v", now, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	back := time.Now()
	rec, err := state.Home{Dir: p.Home()}.LoadChain("a")
	if err != nil {
		return roundResult{}, err
	}
	return roundResult{exit: rec.LastExitAt.Sub(injected), back: back.Sub(rec.LastExitAt), gap: b.MaxGap(injected, back),
		lastExit: rec.LastExit, bMoved: b.At(back) > b.At(rec.LastExitAt)}, nil
}
