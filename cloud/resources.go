package cloud

import (
	"context"
	"fmt"
	"os/exec"
	"sync"
	"time"

	"github.com/vsys/vsys/cloud/limits"
	"github.com/vsys/vsys/cloud/state"
	"github.com/vsys/vsys/cloud/usage"
	"github.com/vsys/vsys/rpc/client"
)

// limitHooks applies cloud.toml's [limits] to every chain node the
// supervisor starts: the environment before the start (GOMAXPROCS,
// GOMEMLIMIT), the start itself with the timer slack, then a cgroup or
// nice and rlimits on the running pid. It remembers the mode each node
// got, for cloud status.
type limitHooks struct {
	cfg   state.Limits
	slack time.Duration // cfg.TimerSlack, checked by state.Config.Validate

	mu    sync.Mutex
	modes map[string]limits.Mode
}

func newLimitHooks(cfg state.Limits) *limitHooks {
	slack, _ := cfg.Slack() // validated with the rest of cloud.toml
	return &limitHooks{cfg: cfg, slack: slack, modes: map[string]limits.Mode{}}
}

func (h *limitHooks) limits(name string) limits.Limits {
	return limits.Limits{Name: name, CPUs: h.cfg.CPUs, MemoryBytes: h.cfg.MemoryBytes, Nice: h.cfg.Nice, MaxOpenFiles: h.cfg.MaxOpenFiles,
		TimerSlack: h.slack}
}

// BeforeStart implements supervisor.Hooks.
func (h *limitHooks) BeforeStart(name string, cmd *exec.Cmd) error {
	l := h.limits(name)
	if err := l.Validate(); err != nil {
		return fmt.Errorf("limits of %s: %w", name, err)
	}
	cmd.Env = append(cmd.Environ(), limits.Env(l)...)
	return nil
}

// Start implements supervisor.Starter: the node starts with the timer
// slack.
func (h *limitHooks) Start(name string, cmd *exec.Cmd) error {
	return limits.Start(cmd, h.limits(name).TimerSlack)
}

// AfterStart implements supervisor.Hooks.
func (h *limitHooks) AfterStart(name string, pid int) error {
	mode, err := limits.Apply(pid, h.limits(name))
	h.mu.Lock()
	h.modes[name] = mode
	h.mu.Unlock()
	return err
}

// mode is how name's limits are enforced, "" before its node started
// under this control plane (an adopted node keeps what it was given).
func (h *limitHooks) mode(name string) string {
	h.mu.Lock()
	defer h.mu.Unlock()
	if m, ok := h.modes[name]; ok {
		if h.slack > 0 {
			return m.String() + "; timer slack " + h.slack.String()
		}
		return m.String()
	}
	return ""
}

// usageOf reads a running chain's process and disk usage and asks its
// node (at rpcAddr, within a second) for its txs and height; what cannot
// be read stays zero (a node that just exited).
func (p *Plane) usageOf(ctx context.Context, name string, pid int, rpcAddr string) usage.ChainUsage {
	u := usage.ChainUsage{Chain: name}
	if rpcAddr != "" {
		qctx, cancel := context.WithTimeout(ctx, time.Second)
		if st, err := client.New(rpcAddr).Status(qctx); err == nil {
			u.Txs, u.Blocks = st.TotalTxs, uint64(max(st.LatestHeight, 0))
		}
		cancel()
	}
	if pid > 0 {
		if pr, err := usage.ReadProc(pid); err == nil {
			u.Proc = pr
		}
	}
	// At the entry bound the partial sum comes back with an error: still
	// the best figure there is.
	u.DiskBytes, _ = usage.DiskBytes(p.home.NodeHome(name), maxDiskEntries)
	return u
}

// maxDiskEntries bounds the walk of one chain's home (a node's data dir
// holds a few hundred files; a runaway one is reported short, not
// walked for minutes).
const maxDiskEntries = 100_000
