package cloud

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/vsys/vsys/cloud/api"
	"github.com/vsys/vsys/cloud/gateway"
	"github.com/vsys/vsys/cloud/limits"
	"github.com/vsys/vsys/cloud/state"
	"github.com/vsys/vsys/cloud/supervisor"
	"github.com/vsys/vsys/cloud/usage"
	"github.com/vsys/vsys/rpc/jsonrpc"
)

// Options configure a Plane.
type Options struct {
	// Binary is the vsysd that runs each chain node; empty: this
	// process's own executable.
	Binary string
	// APIAddr overrides cloud.toml's api.address.
	APIAddr string
	// Hooks apply per-chain resource limits around each node start; nil:
	// cloud.toml's [limits] (limitHooks).
	Hooks supervisor.Hooks
	// GatewayAddr and MetricsAddr override cloud.toml's gateway.address
	// and metrics.address.
	GatewayAddr, MetricsAddr string
	// Log receives the control plane's own log lines; nil: discarded.
	Log io.Writer
}

// Plane is the control plane of one cloud home. It implements
// api.Backend.
type Plane struct {
	home  state.Home
	cfg   state.Config
	token string
	log   io.Writer
	sup   *supervisor.Supervisor

	binary string // the vsysd the nodes and relayers run

	mu      sync.Mutex
	chains  map[string]*state.Chain
	pending map[string]state.ChainPorts // being created or deleted: name and ports held
	// relayers and pendingRelayers (being created: the metrics port held)
	// are relayers.go's.
	relayers        map[string]*state.Relayer
	pendingRelayers map[string]int

	apiAddr string
	srv     *http.Server
	served  chan error

	limits      *limitHooks // nil when Options.Hooks replaced them
	detected    limits.Detection
	gatewayAddr string
	metricsAddr string
	extra       []*http.Server // the gateway and the metrics listener
	stopRotate  chan struct{}  // closed by Close: ends the log rotation loop
}

// Open reads (or, on first use, writes) the cloud home dir: cloud.toml,
// the operator token and the chains' records. Temp dirs of creations a
// crash interrupted are removed. Nothing starts until Start.
func Open(dir string, o Options) (*Plane, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("cloud home: %w", err)
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		return nil, fmt.Errorf("cloud home: %w", err)
	}
	cfg, err := state.LoadConfig(abs)
	if err != nil {
		return nil, err
	}
	d, err := cfg.Durations()
	if err != nil {
		return nil, err
	}
	token, err := state.LoadOrCreateToken(abs)
	if err != nil {
		return nil, err
	}
	home := state.Home{Dir: abs}
	if err := home.RemoveLeftovers(); err != nil {
		return nil, err
	}
	recs, err := home.Chains()
	if err != nil {
		return nil, err
	}
	rels, err := home.Relayers()
	if err != nil {
		return nil, err
	}
	if o.Binary == "" {
		if o.Binary, err = os.Executable(); err != nil {
			return nil, fmt.Errorf("cloud: own executable: %w", err)
		}
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	p := &Plane{home: home, cfg: cfg, token: token, log: o.Log, binary: o.Binary, chains: map[string]*state.Chain{},
		pending: map[string]state.ChainPorts{}, relayers: map[string]*state.Relayer{}, pendingRelayers: map[string]int{},
		apiAddr: cfg.API.Address}
	if o.APIAddr != "" {
		p.apiAddr = o.APIAddr
	}
	for i := range recs {
		p.chains[recs[i].Name] = &recs[i]
	}
	for i := range rels {
		p.relayers[rels[i].Name] = &rels[i]
	}
	p.gatewayAddr, p.metricsAddr = cfg.Gateway.Address, cfg.Metrics.Address
	if o.GatewayAddr != "" {
		p.gatewayAddr = o.GatewayAddr
	}
	if o.MetricsAddr != "" {
		p.metricsAddr = o.MetricsAddr
	}
	p.detected = limits.Detect()
	if o.Hooks == nil {
		p.limits = newLimitHooks(cfg.Limits)
		o.Hooks = p.limits
	}
	p.sup = supervisor.New(supervisor.Options{
		Binary:    o.Binary,
		Backoff:   supervisor.Backoff{Initial: d.BackoffInitial, Max: d.BackoffMax, StableAfter: d.StableAfter},
		StopGrace: d.StopGrace,
		Hooks:     o.Hooks,
		OnEvent:   p.onEvent,
	})
	return p, nil
}

// Token is the operator token.
func (p *Plane) Token() string { return p.token }

// Home is the cloud home directory (absolute).
func (p *Plane) Home() string { return p.home.Dir }

// APIAddr is the control API's address (after Start, the bound one).
func (p *Plane) APIAddr() string { return p.apiAddr }

// Start adopts or starts every chain whose desired status is running, then
// serves the control API.
func (p *Plane) Start() error {
	p.mu.Lock()
	var recs []state.Chain
	for _, c := range p.chains {
		recs = append(recs, *c)
	}
	p.mu.Unlock()
	running := 0
	for _, c := range recs {
		if c.Status != state.StatusRunning {
			p.finishStop(c)
			continue
		}
		running++
		if _, err := p.sup.Start(p.spec(c.Name), c.PID); err != nil {
			// One chain that cannot start must not keep the others down.
			p.logf("chain %s: %v", c.Name, err)
		}
	}
	p.startRelayers()
	ln, err := net.Listen("tcp", p.apiAddr)
	if err != nil {
		return fmt.Errorf("control API: listen on %s: %w", p.apiAddr, err)
	}
	p.apiAddr = ln.Addr().String()
	httpLimits := jsonrpc.DefaultHTTPLimits()
	httpLimits.MaxConnections = 64
	p.srv = jsonrpc.NewHTTPServer(api.NewHandler(p, p.token), httpLimits)
	p.served = make(chan error, 1)
	go func() { p.served <- p.srv.Serve(httpLimits.Listener(ln)) }()
	p.stopRotate = make(chan struct{})
	go p.rotateLogs(p.stopRotate)
	p.logf("control API on http://%s, %d chains, %d running; limits: %s", p.apiAddr, len(recs), running, p.detected.Mode)
	if err := p.serveExtras(); err != nil {
		return errors.Join(err, p.Close(false))
	}
	return nil
}

// serveExtras starts the gateway (every chain's JSON-RPC at /<chain>/ on
// one address) and the metrics listener, where configured. Neither can
// reach the control API: the gateway routes only to the addresses Lookup
// returns, which are chain nodes.
func (p *Plane) serveExtras() error {
	if p.gatewayAddr != "" {
		g := gateway.New(p, gateway.Options{ErrorLog: func(chain string, err error) { p.logf("gateway: chain %s: %v", chain, err) }})
		ln, err := net.Listen("tcp", p.gatewayAddr)
		if err != nil {
			return fmt.Errorf("gateway: listen on %s: %w", p.gatewayAddr, err)
		}
		p.gatewayAddr = ln.Addr().String()
		srv := g.NewHTTPServer()
		p.extra = append(p.extra, srv)
		go func() { _ = srv.Serve(g.Listener(ln)) }()
		p.logf("gateway on http://%s/<chain>/", p.gatewayAddr)
	}
	if p.metricsAddr != "" {
		reg := prometheus.NewRegistry()
		reg.MustRegister(usage.NewCollector(p.usages))
		ln, err := net.Listen("tcp", p.metricsAddr)
		if err != nil {
			return fmt.Errorf("metrics: listen on %s: %w", p.metricsAddr, err)
		}
		p.metricsAddr = ln.Addr().String()
		mux := http.NewServeMux()
		mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
		l := jsonrpc.DefaultHTTPLimits()
		l.MaxConnections = 16
		srv := jsonrpc.NewHTTPServer(mux, l)
		p.extra = append(p.extra, srv)
		go func() { _ = srv.Serve(l.Listener(ln)) }()
		p.logf("metrics on http://%s/metrics", p.metricsAddr)
	}
	return nil
}

// GatewayAddr is the gateway's address (after Start, the bound one);
// empty when there is none.
func (p *Plane) GatewayAddr() string { return p.gatewayAddr }

// MetricsAddr is the metrics listener's address; empty when off.
func (p *Plane) MetricsAddr() string { return p.metricsAddr }

// usages is every running chain's usage, for the metrics collector. The
// nodes are asked at once, so one slow node costs a scrape one second,
// not one second per chain.
func (p *Plane) usages() []usage.ChainUsage {
	p.mu.Lock()
	names := make([]string, 0, len(p.chains))
	for n := range p.chains {
		names = append(names, n)
	}
	p.mu.Unlock()
	slices.Sort(names)
	out := make([]usage.ChainUsage, len(names))
	var wg sync.WaitGroup
	for i, n := range names {
		st, ok := p.sup.State(n)
		addr, routed := p.Lookup(n)
		if !ok || !st.Running || !routed {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = p.usageOf(context.Background(), n, st.PID, addr)
		}()
	}
	wg.Wait()
	return slices.DeleteFunc(out, func(u usage.ChainUsage) bool { return u.Chain == "" })
}

// finishStop stops the node of a chain recorded as stopped that still
// runs: a control plane killed during a stop left it.
func (p *Plane) finishStop(c state.Chain) {
	spec := p.spec(c.Name)
	if !supervisor.Matches(c.PID, spec.Home) {
		return
	}
	if _, err := p.sup.Start(spec, c.PID); err != nil {
		p.logf("chain %s: %v", c.Name, err)
		return
	}
	if err := p.sup.Stop(c.Name); err != nil {
		p.logf("chain %s: %v", c.Name, err)
	}
}

// Close stops the control API. With stopChains it stops every node
// (their desired status stays running, so the next Start starts them
// again); otherwise the nodes go on serving and the next Start adopts
// them.
func (p *Plane) Close(stopChains bool) error {
	var errs []error
	for _, srv := range p.extra {
		_ = srv.Close()
	}
	p.extra = nil
	if p.stopRotate != nil {
		close(p.stopRotate)
		p.stopRotate = nil
	}
	if p.srv != nil {
		if err := p.srv.Close(); err != nil {
			errs = append(errs, fmt.Errorf("control API: %w", err))
		}
		if err := <-p.served; err != nil && !errors.Is(err, http.ErrServerClosed) {
			errs = append(errs, fmt.Errorf("control API: %w", err))
		}
		// A second Close (Start's failure path, then its caller) must not
		// wait again for the one value served carries.
		p.srv = nil
	}
	if stopChains {
		errs = append(errs, p.sup.StopAll())
	} else {
		p.sup.Detach()
	}
	return errors.Join(errs...)
}

// Lookup returns the JSON-RPC address (host:port) of a running chain: what
// a gateway routes /<name>/ to.
func (p *Plane) Lookup(name string) (addr string, ok bool) {
	p.mu.Lock()
	c, ok := p.chains[name]
	p.mu.Unlock()
	if !ok || c.Status != state.StatusRunning {
		return "", false
	}
	return loopback(c.Ports.RPC), true
}

func (p *Plane) spec(name string) supervisor.Spec {
	return supervisor.Spec{Name: name, Home: p.home.NodeHome(name), LogPath: p.home.LogPath(name)}
}

// onEvent records the supervisor's events in the chain's record.
func (p *Plane) onEvent(ev supervisor.Event) {
	if r, ok := relayerName(ev.Name); ok {
		p.onRelayerEvent(r, ev)
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	c, ok := p.chains[ev.Name]
	if !ok {
		return
	}
	switch ev.Kind {
	case supervisor.Started, supervisor.Adopted:
		c.PID = ev.PID
		p.logf("chain %s: %s, pid %d", ev.Name, ev.Kind, ev.PID)
	case supervisor.Exited:
		c.PID, c.LastExit, c.LastExitAt = 0, ev.Exit, time.Now().UTC()
		c.Restarts++
		p.logf("chain %s: node %s; restart %d in %v", ev.Name, ev.Exit, c.Restarts, ev.Delay)
	case supervisor.Failed:
		p.logf("chain %s: %s", ev.Name, ev.Exit)
		return
	}
	if err := p.home.SaveChain(*c); err != nil {
		p.logf("chain %s: %v", ev.Name, err)
	}
}

func (p *Plane) logf(format string, args ...any) {
	fmt.Fprintf(p.log, time.Now().UTC().Format(time.RFC3339)+" cloud: "+format+"\n", args...)
}
