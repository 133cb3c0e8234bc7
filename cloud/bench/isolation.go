package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"time"

	"github.com/vsys/vsys/cloud"
	"github.com/vsys/vsys/cloud/api"
	"github.com/vsys/vsys/cloud/limits"
	"github.com/vsys/vsys/cloud/state"
	"github.com/vsys/vsys/cloud/usage"
	"github.com/vsys/vsys/node/config"
	"github.com/vsys/vsys/rpc/client"
)

// The isolation bench: chain B under a steady light load is measured
// with its neighbour A idle, then with A flooded at the most it accepts;
// a second round does the same with A's tx admission rate limited.

// IsolationOptions configure RunIsolation.
type IsolationOptions struct {
	Binary        string        // the vsysd that runs each node
	BlockInterval time.Duration // both chains' pause after each commit
	Window        time.Duration // each measurement window (unloaded, flooded)
	Accounts      int           // A's flood senders
	Workers       int           // A's concurrent flood workers
	// LimitedRate, when positive, adds a round with A's [admission]
	// txs_per_second set to it (node-local app.toml, A restarted).
	LimitedRate float64
	// ANice, when positive, renices A's node (every thread) to it after
	// each start, B staying at cloud.toml's nice: a fallback-only
	// experiment, since the cloud's nice is one value for every chain.
	ANice int
	// CPUs is cloud.toml's limits.cpus for both nodes (GOMAXPROCS in the
	// fallback); negative: no limit.
	CPUs     float64
	PortBase int       // first port of the cloud's range
	Log      io.Writer // progress lines; nil: none
}

// Figures are chain B's over one window.
type Figures struct {
	Height0      int64         `json:"b_height0"`       // B's height at the window's start
	Height1      int64         `json:"b_height1"`       // and at its end
	Blocks       int           `json:"blocks"`          // B's blocks in the window
	IntervalMean time.Duration `json:"interval_mean"`   // between B's block times
	IntervalP99  time.Duration `json:"interval_p99"`    //
	Queries      int           `json:"queries"`         // vsys_getAccount calls timed
	QueryP50     time.Duration `json:"query_p50"`       //
	QueryP99     time.Duration `json:"query_p99"`       //
	BCPU         float64       `json:"b_cpu"`           // cores B's node used
	ACPU         float64       `json:"a_cpu"`           // cores A's node used
	AAccepted    float64       `json:"a_accepted_tps"`  // txs/s A's JSON-RPC accepted
	ACommitted   float64       `json:"a_committed_tps"` // txs/s in A's blocks
	APushback    float64       `json:"a_pushback_ps"`   // refused sends/s
	HostLoad     float64       `json:"host_load"`       // the host's 1-minute load average at the end (other work skews every figure)
}

// Round is one unloaded window and one flooded window.
type Round struct {
	Label        string  `json:"label"`
	ARate        float64 `json:"a_rate_limit"` // A's txs_per_second, 0: none
	Unloaded     Figures `json:"unloaded"`
	Flooded      Figures `json:"flooded"`
	IntervalMean float64 `json:"interval_mean_ratio"` // flooded / unloaded
	IntervalP99  float64 `json:"interval_p99_ratio"`
	QueryP50     float64 `json:"query_p50_ratio"`
	QueryP99     float64 `json:"query_p99_ratio"`
	APushbackMsg string  `json:"a_pushback_message,omitempty"` // what A's node said last when it refused
}

// IsolationResult is what RunIsolation measured.
type IsolationResult struct {
	Rounds     []Round `json:"rounds"`
	LimitsMode string  `json:"limits_mode"` // how the nodes' limits were enforced
	CPUs       float64 `json:"cpus"`        // limits.cpus of each node, 0: none
	ANice      int     `json:"a_nice"`      // A's nice value, 0: cloud.toml's
	ATxs       int64   `json:"a_txs"`       // txs A accepted over the run, every one committed
}

// isolation is one run's state.
type isolation struct {
	o      IsolationOptions
	p      *cloud.Plane
	a, b   api.Chain
	bc, ac *client.Client
	flood  *Flood
	q      *queryLoop
}

// RunIsolation creates a cloud with chains a and b and measures b's
// block interval and query latency with a idle and with a flooded, once
// without a limit on a and, with LimitedRate, once more with a's tx rate
// limited. Every tx a accepted must commit, or the run fails.
func RunIsolation(ctx context.Context, o IsolationOptions) (*IsolationResult, error) {
	if o.Log == nil {
		o.Log = io.Discard
	}
	cfg := benchConfig(o.PortBase, 2, o.BlockInterval)
	if o.CPUs != 0 {
		cfg.Limits.CPUs = max(o.CPUs, 0)
	}
	p, done, err := startCloud(o.Binary, "vsys-bench-isolation-", cfg, false)
	if err != nil {
		return nil, err
	}
	defer done()
	r := &isolation{o: o, p: p}
	// B makes a block every interval, so its interval is a figure even
	// between its own txs; A makes blocks only for txs, as a cloud chain
	// does by default.
	if r.a, err = r.create(ctx, api.CreateRequest{Name: "a"}); err != nil {
		return nil, err
	}
	if err := r.reniceA(); err != nil {
		return nil, err
	}
	if r.b, err = r.create(ctx, api.CreateRequest{Name: "b", EmptyBlocks: true}); err != nil {
		return nil, err
	}
	r.ac, r.bc = client.New(r.a.RPCAddr), client.New(r.b.RPCAddr)
	if r.flood, err = NewFlood(ctx, r.a.RPCAddr, r.a.Home, FloodOptions{Accounts: o.Accounts, Workers: o.Workers, Seed: "a"}); err != nil {
		return nil, err
	}
	// B's light load: a tx about every block, and one query loop.
	light, err := NewFlood(ctx, r.b.RPCAddr, r.b.Home, FloodOptions{Pause: o.BlockInterval, Seed: "b"})
	if err != nil {
		return nil, err
	}
	light.Start()
	defer func() { _ = light.Stop() }()
	if r.q, err = startQueries(ctx, r.bc, r.b.Home); err != nil {
		return nil, err
	}
	defer r.q.stop()

	// Let the start settle (the funding txs, the first blocks of B's
	// light load) before the first unloaded window.
	time.Sleep(settle(o.Window))
	res := &IsolationResult{CPUs: state.DefaultConfig().Limits.CPUs, ANice: o.ANice}
	if o.CPUs != 0 {
		res.CPUs = max(o.CPUs, 0)
	}
	if st, err := p.ChainStatus(ctx, "b"); err == nil {
		res.LimitsMode = st.Limits
	}
	rounds := []float64{0}
	if o.LimitedRate > 0 {
		rounds = append(rounds, o.LimitedRate)
	}
	for _, rate := range rounds {
		if rate > 0 {
			if err := r.limitA(ctx, rate); err != nil {
				return nil, err
			}
		}
		round, err := r.round(ctx, rate)
		if err != nil {
			return nil, err
		}
		res.Rounds = append(res.Rounds, round)
	}
	if err := light.Stop(); err != nil {
		return nil, err
	}
	if _, err := light.Wait(ctx, time.Minute); err != nil {
		return nil, fmt.Errorf("chain b: %w", err)
	}
	res.ATxs = r.flood.Accepted()
	return res, nil
}

func (r *isolation) create(ctx context.Context, req api.CreateRequest) (api.Chain, error) {
	if _, err := r.p.CreateChain(ctx, req); err != nil {
		return api.Chain{}, fmt.Errorf("create %s: %w", req.Name, err)
	}
	return api.WaitFirstBlock(ctx, r.p, req.Name, time.Minute)
}

// limitA sets A's tx admission rate in its app.toml and restarts its
// node (node-local, so A's app hash is untouched).
func (r *isolation) limitA(ctx context.Context, rate float64) error {
	if _, err := r.p.StopChain(ctx, r.a.Name); err != nil {
		return err
	}
	c, err := config.Load(r.a.Home)
	if err != nil {
		return err
	}
	c.Admission.TxsPerSecond, c.Admission.TxBurst = rate, 0
	if err := config.Save(r.a.Home, c); err != nil {
		return err
	}
	if _, err := r.p.StartChain(ctx, r.a.Name); err != nil {
		return err
	}
	a, err := api.WaitFirstBlock(ctx, r.p, r.a.Name, time.Minute)
	if err != nil {
		return err
	}
	r.a = a
	return r.reniceA()
}

// reniceA applies ANice to A's running node.
func (r *isolation) reniceA() error {
	if r.o.ANice <= 0 {
		return nil
	}
	if d := limits.Detect(); d.Mode != limits.ModeFallback {
		return fmt.Errorf("a nice of A alone is a fallback experiment; this host has %s", d.Mode)
	}
	// In the fallback, limits with nothing but Nice set renice and do
	// nothing else.
	if _, err := limits.Apply(r.a.PID, limits.Limits{Name: r.a.Name, Nice: r.o.ANice}); err != nil {
		return fmt.Errorf("renice a: %w", err)
	}
	return nil
}

// round measures B over a window with A idle, then starts A's flood,
// lets it reach the node's limits, measures B again, stops the flood and
// waits for every tx A accepted to commit.
func (r *isolation) round(ctx context.Context, rate float64) (Round, error) {
	label := "A unlimited"
	if rate > 0 {
		label = fmt.Sprintf("A limited to %g tx/s", rate)
	}
	fmt.Fprintf(r.o.Log, "%s: B unloaded for %v\n", label, r.o.Window)
	rd := Round{Label: label, ARate: rate}
	var err error
	if rd.Unloaded, err = r.window(ctx); err != nil {
		return rd, err
	}
	r.flood.Start()
	time.Sleep(settle(r.o.Window))
	fmt.Fprintf(r.o.Log, "%s: B while A is flooded, for %v\n", label, r.o.Window)
	rd.Flooded, err = r.window(ctx)
	stopErr := r.flood.Stop()
	if err = errors.Join(err, stopErr); err != nil {
		return rd, err
	}
	rd.APushbackMsg = r.flood.LastPushback()
	fmt.Fprintf(r.o.Log, "%s: A accepted %.0f tx/s; waiting for A to commit them all\n", label, rd.Flooded.AAccepted)
	if _, err := r.flood.Wait(ctx, 2*time.Minute); err != nil {
		return rd, fmt.Errorf("chain a: %w", err)
	}
	u, f := rd.Unloaded, rd.Flooded
	rd.IntervalMean, rd.IntervalP99 = ratio(f.IntervalMean, u.IntervalMean), ratio(f.IntervalP99, u.IntervalP99)
	rd.QueryP50, rd.QueryP99 = ratio(f.QueryP50, u.QueryP50), ratio(f.QueryP99, u.QueryP99)
	return rd, nil
}

// settle is the pause before a window: a quarter of it, at most 2 s.
func settle(window time.Duration) time.Duration { return min(window/4, 2*time.Second) }

func ratio(a, b time.Duration) float64 {
	if b <= 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// window measures one window: B's blocks and queries, both nodes' CPU,
// and what A accepted, refused and committed.
func (r *isolation) window(ctx context.Context) (Figures, error) {
	var f Figures
	var err error
	acc0, push0 := r.flood.Accepted(), r.flood.Pushback()
	cpuA0, cpuB0 := r.cpu(r.a.Name), r.cpu(r.b.Name)
	hA0, errA := r.ac.BlockNumber(ctx)
	f.Height0, err = r.bc.BlockNumber(ctx)
	if err = errors.Join(err, errA); err != nil {
		return f, err
	}
	t0 := time.Now()
	time.Sleep(r.o.Window)
	secs := time.Since(t0).Seconds()
	hA1, errA := r.ac.BlockNumber(ctx)
	f.Height1, err = r.bc.BlockNumber(ctx)
	if err = errors.Join(err, errA); err != nil {
		return f, err
	}
	f.ACPU, f.BCPU = (r.cpu(r.a.Name)-cpuA0)/secs, (r.cpu(r.b.Name)-cpuB0)/secs
	f.AAccepted = float64(r.flood.Accepted()-acc0) / secs
	f.APushback = float64(r.flood.Pushback()-push0) / secs
	f.HostLoad = loadAverage()
	lat := r.q.since(t0)
	slices.Sort(lat)
	f.Queries, f.QueryP50, f.QueryP99 = len(lat), quantile(lat, 0.50), quantile(lat, 0.99)

	var gaps []time.Duration
	prev, err := r.bc.GetBlock(ctx, f.Height0)
	if err != nil {
		return f, err
	}
	for h := f.Height0 + 1; h <= f.Height1; h++ {
		b, err := r.bc.GetBlock(ctx, h)
		if err != nil {
			return f, err
		}
		gaps = append(gaps, b.Time.Sub(prev.Time))
		prev = b
	}
	f.Blocks = len(gaps)
	if len(gaps) > 0 {
		var sum time.Duration
		for _, g := range gaps {
			sum += g
		}
		f.IntervalMean = sum / time.Duration(len(gaps))
		slices.Sort(gaps)
		f.IntervalP99 = quantile(gaps, 0.99)
	}
	txs := 0
	for h := hA0 + 1; h <= hA1; h++ {
		b, err := r.ac.GetBlock(ctx, h)
		if err != nil {
			return f, err
		}
		txs += b.NumTxs
	}
	f.ACommitted = float64(txs) / secs
	return f, nil
}

// cpu is a chain node's CPU seconds so far (0 when unreadable).
func (r *isolation) cpu(name string) float64 {
	st, err := r.p.ChainStatus(context.Background(), name)
	if err != nil || st.PID == 0 {
		return 0
	}
	u, err := usage.ReadProc(st.PID)
	if err != nil {
		return 0
	}
	return u.CPUSeconds
}

// loadAverage is the host's 1-minute load average, 0 when unreadable.
func loadAverage() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	var l float64
	if _, err := fmt.Sscan(string(b), &l); err != nil {
		return 0
	}
	return l
}
