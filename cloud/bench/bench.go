package bench

import (
	"context"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/vsys/vsys/cloud"
	"github.com/vsys/vsys/cloud/api"
	"github.com/vsys/vsys/cloud/usage"
)

// Options configure a run.
type Options struct {
	Binary        string        // the vsysd that runs each node
	Timed         int           // chains whose create → first block is timed, one at a time
	Chains        int           // chains in the cloud at the end (Timed of them included)
	BlockInterval time.Duration // the chains' pause after each commit
	Idle          time.Duration // how long the idle figures are measured over
	PortBase      int           // first port of the cloud's range (the API, gateway and chains take 3 + 3 per chain)
	Log           io.Writer     // progress lines; nil: none
	KeepHome      bool          // keep the temporary cloud home
}

// Result is what a run measured.
type Result struct {
	Timed         int           `json:"timed"`
	FirstBlockP50 time.Duration `json:"first_block_p50"`
	FirstBlockMax time.Duration `json:"first_block_max"`
	Chains        int           `json:"chains"`
	CreateAll     time.Duration `json:"create_all"`       // creating all the chains, one after another
	TotalRSS      int64         `json:"total_rss"`        // bytes, every node together, idle
	IdleRSSP50    int64         `json:"idle_rss_p50"`     // bytes, one idle node
	IdleRSSMax    int64         `json:"idle_rss_max"`     // bytes
	TotalPrivate  int64         `json:"total_private"`    // bytes, every node's unshared memory (usage.Proc.PrivateBytes)
	PrivateP50    int64         `json:"idle_private_p50"` // bytes, one idle node's unshared memory
	PrivateMax    int64         `json:"idle_private_max"` // bytes
	TotalPSS      int64         `json:"total_pss"`        // bytes, every node's proportional set (usage.Proc.PSSBytes): the memory they use together
	PSSP50        int64         `json:"idle_pss_p50"`     // bytes, one idle node's share
	PSSMax        int64         `json:"idle_pss_max"`     // bytes
	IdleCPUP50    float64       `json:"idle_cpu_p50"`     // fraction of a core, one idle node
	IdleCPUMax    float64       `json:"idle_cpu_max"`     // fraction of a core
	LimitsMode    string        `json:"limits_mode"`      // how the nodes' limits are enforced
	Home          string        `json:"home,omitempty"`   // with KeepHome
}

// Run creates a cloud, times Timed chains from create to first block,
// grows it to Chains, lets it idle, and measures it.
func Run(ctx context.Context, o Options) (*Result, error) {
	if o.Chains < o.Timed {
		o.Chains = o.Timed
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	p, done, err := startCloud(o.Binary, "vsys-bench-cloud-", benchConfig(o.PortBase, o.Chains, o.BlockInterval), o.KeepHome)
	if err != nil {
		return nil, err
	}
	defer done()

	res := &Result{Timed: o.Timed, Chains: o.Chains}
	if o.KeepHome {
		res.Home = p.Home()
	}
	var firsts []time.Duration
	start := time.Now()
	for i := range o.Chains {
		name := fmt.Sprintf("c%03d", i)
		t0 := time.Now()
		if _, err := p.CreateChain(ctx, api.CreateRequest{Name: name}); err != nil {
			return nil, fmt.Errorf("create %s: %w", name, err)
		}
		if i < o.Timed {
			if _, err := api.WaitFirstBlock(ctx, p, name, time.Minute); err != nil {
				return nil, err
			}
			firsts = append(firsts, time.Since(t0))
			fmt.Fprintf(o.Log, "%s: first block %v after create\n", name, firsts[len(firsts)-1].Round(time.Millisecond))
		}
	}
	res.CreateAll = time.Since(start)
	for i := o.Timed; i < o.Chains; i++ {
		if _, err := api.WaitFirstBlock(ctx, p, fmt.Sprintf("c%03d", i), 5*time.Minute); err != nil {
			return nil, err
		}
	}
	fmt.Fprintf(o.Log, "%d chains created in %v, all past their first block; idling %v\n", o.Chains, res.CreateAll.Round(time.Millisecond), o.Idle)
	slices.Sort(firsts)
	if len(firsts) > 0 {
		res.FirstBlockP50, res.FirstBlockMax = firsts[len(firsts)/2], firsts[len(firsts)-1]
	}

	// Idle: let startup settle, then measure CPU over the window.
	time.Sleep(o.Idle / 2)
	before := usageByChain(ctx, p)
	time.Sleep(o.Idle)
	after := usageByChain(ctx, p)
	var rss, private, pss []int64
	var cpu []float64
	for name, a := range after {
		b, ok := before[name]
		if !ok {
			continue
		}
		rss = append(rss, a.RSSBytes)
		res.TotalRSS += a.RSSBytes
		private = append(private, a.PrivateBytes)
		res.TotalPrivate += a.PrivateBytes
		pss = append(pss, a.PSSBytes)
		res.TotalPSS += a.PSSBytes
		cpu = append(cpu, (a.CPUSeconds-b.CPUSeconds)/o.Idle.Seconds())
	}
	slices.Sort(rss)
	slices.Sort(cpu)
	slices.Sort(private)
	slices.Sort(pss)
	if len(rss) > 0 {
		res.IdleRSSP50, res.IdleRSSMax = rss[len(rss)/2], rss[len(rss)-1]
		res.PrivateP50, res.PrivateMax = private[len(private)/2], private[len(private)-1]
		res.PSSP50, res.PSSMax = pss[len(pss)/2], pss[len(pss)-1]
		res.IdleCPUP50, res.IdleCPUMax = cpu[len(cpu)/2], cpu[len(cpu)-1]
	}
	if st, err := p.ChainStatus(ctx, "c000"); err == nil {
		res.LimitsMode = st.Limits
	}
	return res, nil
}

// usageByChain is each running chain's process usage.
func usageByChain(ctx context.Context, p *cloud.Plane) map[string]usage.Proc {
	out := map[string]usage.Proc{}
	list, err := p.ListChains(ctx)
	if err != nil {
		return out
	}
	for _, c := range list {
		if !c.Running {
			continue
		}
		if u, err := usage.ReadProc(c.PID); err == nil {
			out[c.Name] = u
		}
	}
	return out
}
