package cloud

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/vsys/vsys/cloud/api"
	"github.com/vsys/vsys/cloud/ports"
	"github.com/vsys/vsys/cloud/state"
	"github.com/vsys/vsys/cloud/supervisor"
	"github.com/vsys/vsys/rpc/client"
)

// portsPerChain: JSON-RPC, CometBFT RPC, P2P (pprof is off).
const portsPerChain = 3

// CreateChain creates a chain's home and starts its node. Any failure
// leaves nothing behind: no directory, no record, the name and ports free.
func (p *Plane) CreateChain(_ context.Context, req api.CreateRequest) (api.Chain, error) {
	if err := ValidateName(req.Name); err != nil {
		return api.Chain{}, err
	}
	if req.ChainID == "" {
		req.ChainID = req.Name
	}
	if req.BlockInterval == "" {
		req.BlockInterval = p.cfg.Chain.BlockInterval
	}
	if req.Heartbeat == "" {
		req.Heartbeat = p.cfg.Chain.Heartbeat
	}
	if d, err := time.ParseDuration(req.BlockInterval); err != nil || d < 0 {
		return api.Chain{}, fmt.Errorf("%w: block_interval %q: want a duration such as \"1s\"", api.ErrBadParams, req.BlockInterval)
	}
	if req.DiskQuotaBytes < 0 {
		return api.Chain{}, fmt.Errorf("%w: disk_quota_bytes %d: want 0 (cloud.toml's) or more", api.ErrBadParams, req.DiskQuotaBytes)
	}
	if req.DiskQuotaBytes == 0 {
		req.DiskQuotaBytes = p.cfg.Limits.DiskQuotaBytes
	}
	if req.TxsPerSecond < 0 || req.TxBurst < 0 {
		return api.Chain{}, fmt.Errorf("%w: txs_per_second %v, tx_burst %d: want 0 (cloud.toml's) or more", api.ErrBadParams, req.TxsPerSecond, req.TxBurst)
	}
	if req.TxsPerSecond == 0 {
		req.TxsPerSecond, req.TxBurst = p.cfg.Limits.TxsPerSecond, p.cfg.Limits.TxBurst
	}
	cp, err := p.reserve(req.Name)
	if err != nil {
		return api.Chain{}, err
	}
	rec := state.Chain{Name: req.Name, ChainID: req.ChainID, Ports: cp, BlockInterval: req.BlockInterval,
		Status: state.StatusRunning, CreatedAt: time.Now().UTC(), DiskQuotaBytes: req.DiskQuotaBytes,
		TxsPerSecond: req.TxsPerSecond, TxBurst: req.TxBurst}
	if err := p.build(req, rec); err != nil {
		p.release(req.Name)
		return api.Chain{}, err
	}
	p.mu.Lock()
	p.chains[req.Name] = &rec
	delete(p.pending, req.Name)
	p.mu.Unlock()
	if _, err := p.sup.Start(p.spec(req.Name), 0); err != nil {
		p.mu.Lock()
		delete(p.chains, req.Name)
		p.pending[req.Name] = cp
		p.mu.Unlock()
		rmErr := os.RemoveAll(p.home.ChainDir(req.Name))
		p.release(req.Name)
		return api.Chain{}, errors.Join(err, rmErr)
	}
	p.logf("chain %s: created, ports %v", req.Name, cp.List())
	return p.ChainStatus(context.Background(), req.Name)
}

// reserve checks the name and the limit and allocates the ports, holding
// them in pending until the create ends.
func (p *Plane) reserve(name string) (state.ChainPorts, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.chains[name]; ok {
		return state.ChainPorts{}, fmt.Errorf("%w: %s", api.ErrExists, name)
	}
	if _, ok := p.pending[name]; ok {
		return state.ChainPorts{}, fmt.Errorf("%w: %s (being created or deleted)", api.ErrExists, name)
	}
	if n := len(p.chains) + len(p.pending); n >= p.cfg.MaxChains {
		return state.ChainPorts{}, fmt.Errorf("%w: %d of max_chains %d (cloud.toml)", api.ErrLimit, n, p.cfg.MaxChains)
	}
	got, err := ports.Allocate(p.cfg.Ports.First, p.cfg.Ports.Last, portsPerChain, p.usedPortsLocked())
	if err != nil {
		return state.ChainPorts{}, fmt.Errorf("%w: %w", api.ErrExhausted, err)
	}
	cp := state.ChainPorts{RPC: got[0], CometRPC: got[1], P2P: got[2]}
	p.pending[name] = cp
	return cp, nil
}

func (p *Plane) release(name string) {
	p.mu.Lock()
	delete(p.pending, name)
	p.mu.Unlock()
}

// build writes the chain's directory in a temp dir and renames it into
// place; on failure the temp dir is removed.
func (p *Plane) build(req api.CreateRequest, rec state.Chain) (err error) {
	tmp, err := p.home.TempChainDir(req.Name)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = os.RemoveAll(tmp)
		}
	}()
	if err := createHome(filepath.Join(tmp, state.HomeDir), req, rec.Ports); err != nil {
		return err
	}
	adm := admission{DiskQuotaBytes: rec.DiskQuotaBytes, DiskCheckInterval: p.cfg.Limits.DiskCheckInterval,
		TxsPerSecond: rec.TxsPerSecond, TxBurst: rec.TxBurst}
	if err := setAdmission(filepath.Join(tmp, state.HomeDir), adm); err != nil {
		return fmt.Errorf("chain %s: %w", req.Name, err)
	}
	if err := state.SaveChainIn(tmp, rec); err != nil {
		return err
	}
	return p.home.Commit(tmp, req.Name)
}

// ListChains lists the chains by name.
func (p *Plane) ListChains(context.Context) ([]api.Chain, error) {
	recs := sortedRecords(p, p.chains, func(c state.Chain) string { return c.Name })
	out := make([]api.Chain, len(recs))
	for i, c := range recs {
		out[i] = p.info(c)
	}
	return out, nil
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// ChainStatus returns one chain with the height its node reports.
func (p *Plane) ChainStatus(ctx context.Context, name string) (api.Chain, error) {
	c, err := p.record(name)
	if err != nil {
		return api.Chain{}, err
	}
	info := p.info(c)
	if info.Running {
		qctx, cancel := context.WithTimeout(ctx, time.Second)
		if h, err := client.New(info.RPCAddr).BlockNumber(qctx); err == nil {
			info.Height = h
		}
		cancel()
		u := p.usageOf(ctx, name, info.PID, info.RPCAddr)
		info.Usage = &api.Usage{CPUSeconds: u.CPUSeconds, RSSBytes: u.RSSBytes, RSSPeakBytes: u.RSSPeakBytes, PSSBytes: u.PSSBytes,
			DiskBytes: u.DiskBytes, Txs: u.Txs, Blocks: u.Blocks}
	}
	return info, nil
}

// StopChain stops a chain's node; it stays stopped across restarts of the
// control plane until StartChain.
func (p *Plane) StopChain(ctx context.Context, name string) (api.Chain, error) {
	if err := p.setStatus(name, state.StatusStopped); err != nil {
		return api.Chain{}, err
	}
	if err := p.sup.Stop(name); err != nil && !errors.Is(err, supervisor.ErrUnknown) {
		return api.Chain{}, err
	}
	p.mu.Lock()
	if c, ok := p.chains[name]; ok {
		c.PID = 0
		_ = p.home.SaveChain(*c)
	}
	p.mu.Unlock()
	return p.ChainStatus(ctx, name)
}

// StartChain starts a stopped chain's node (a running one is left alone).
func (p *Plane) StartChain(ctx context.Context, name string) (api.Chain, error) {
	if err := p.setStatus(name, state.StatusRunning); err != nil {
		return api.Chain{}, err
	}
	if _, ok := p.sup.State(name); !ok {
		c, err := p.record(name)
		if err != nil {
			return api.Chain{}, err
		}
		if _, err := p.sup.Start(p.spec(name), c.PID); err != nil {
			return api.Chain{}, err
		}
	}
	return p.ChainStatus(ctx, name)
}

// DeleteChain stops a chain's node and removes its directory; its name
// and ports are free once the directory is gone.
func (p *Plane) DeleteChain(_ context.Context, name string) error {
	p.mu.Lock()
	c, ok := p.chains[name]
	if r, used := p.relayerOfLocked(name); ok && used {
		p.mu.Unlock()
		return fmt.Errorf("%w: chain %s is relayed by relayer %s; delete the relayer first", api.ErrInUse, name, r)
	}
	if ok {
		delete(p.chains, name)
		p.pending[name] = c.Ports
	}
	p.mu.Unlock()
	if !ok {
		return fmt.Errorf("%w: %s", api.ErrNotFound, name)
	}
	defer p.release(name)
	if err := p.sup.Stop(name); err != nil && !errors.Is(err, supervisor.ErrUnknown) {
		return err
	}
	if err := os.RemoveAll(p.home.ChainDir(name)); err != nil {
		return fmt.Errorf("chain %s: remove: %w", name, err)
	}
	p.logf("chain %s: deleted", name)
	return nil
}

func (p *Plane) record(name string) (state.Chain, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	c, ok := p.chains[name]
	if !ok {
		return state.Chain{}, fmt.Errorf("%w: %s", api.ErrNotFound, name)
	}
	return *c, nil
}

func (p *Plane) setStatus(name, status string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	c, ok := p.chains[name]
	if !ok {
		return fmt.Errorf("%w: %s", api.ErrNotFound, name)
	}
	c.Status = status
	return p.home.SaveChain(*c)
}

// info is the API's view of a record and the supervisor's state.
func (p *Plane) info(c state.Chain) api.Chain {
	out := api.Chain{Name: c.Name, ChainID: c.ChainID, Status: c.Status, Restarts: c.Restarts, LastExit: c.LastExit,
		RPCAddr: loopback(c.Ports.RPC), Ports: api.Ports(c.Ports), BlockInterval: c.BlockInterval,
		Home: p.home.NodeHome(c.Name), CreatedAt: c.CreatedAt, DiskQuotaBytes: c.DiskQuotaBytes,
		TxsPerSecond: c.TxsPerSecond, TxBurst: c.TxBurst}
	if st, ok := p.sup.State(c.Name); ok && st.Running {
		out.Running, out.PID, out.Adopted = true, st.PID, st.Adopted
	}
	if p.limits != nil {
		out.Limits = p.limits.mode(c.Name)
	}
	return out
}
