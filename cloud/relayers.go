package cloud

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/vsys/vsys/cloud/api"
	"github.com/vsys/vsys/cloud/ports"
	"github.com/vsys/vsys/cloud/state"
	"github.com/vsys/vsys/cloud/supervisor"
	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/keys"
	"github.com/vsys/vsys/core/moduleid"
	"github.com/vsys/vsys/core/tx"
	"github.com/vsys/vsys/node"
	"github.com/vsys/vsys/rpc/client"
)

// A cloud relayer is a supervised `vsysd relay start` process between
// two of the cloud's chains (docs/cloud.md, "Relayers"). It has a key of
// its own, funded on both chains by each chain's dev key at create, so
// its txs never race the dev key's nonces; create connects the chains
// (`vsysd relay connect`: a client of each on the other, registered as
// counterparties) and records the client ids, so every later start of
// the process relays the same path.

// relayerKey is the relayer key's name in its keyring.
const relayerKey = "relayer"

// relayProcPrefix names a relayer's process in the supervisor, which
// also runs the chains: ':' is in no chain name, so the two never meet.
const relayProcPrefix = "relay:"

// fundShare: the relayer gets this fraction (1/fundShare) of each dev
// key's native coin at create, for its fees.
const fundShare = 4

// connectTimeout bounds `vsysd relay connect` at create: four txs, a
// few blocks each at most.
const connectTimeout = 2 * time.Minute

// CreateRelayer connects chains A and B of the cloud and starts a
// relayer between them. Any failure leaves no directory and no process
// (the clients a failed connect already made stay on the chains, as any
// tx does).
func (p *Plane) CreateRelayer(ctx context.Context, req api.CreateRelayerRequest) (api.Relayer, error) {
	if err := ValidateName(req.Name); err != nil {
		return api.Relayer{}, err
	}
	if req.TrustingPeriod != "" {
		if d, err := time.ParseDuration(req.TrustingPeriod); err != nil || d <= 0 {
			return api.Relayer{}, fmt.Errorf("%w: trusting_period %q: want a duration such as \"336h\"", api.ErrBadParams, req.TrustingPeriod)
		}
	}
	if req.A == req.B {
		return api.Relayer{}, fmt.Errorf("%w: a and b are both %q: a relayer joins two chains", api.ErrBadParams, req.A)
	}
	var chains [2]state.Chain
	for i, name := range []string{req.A, req.B} {
		c, err := p.record(name)
		if err != nil {
			return api.Relayer{}, err
		}
		if st, ok := p.sup.State(name); !ok || !st.Running {
			return api.Relayer{}, fmt.Errorf("%w: chain %s is not running", api.ErrBadParams, name)
		}
		chains[i] = c
	}
	port, err := p.reserveRelayer(req.Name)
	if err != nil {
		return api.Relayer{}, err
	}
	defer p.releaseRelayer(req.Name)
	rec := state.Relayer{Name: req.Name, A: req.A, B: req.B, AChainID: chains[0].ChainID, BChainID: chains[1].ChainID,
		MetricsPort: port, Status: state.StatusRunning, CreatedAt: time.Now().UTC()}
	if rec, err = p.buildRelayer(ctx, rec, chains, req.TrustingPeriod); err != nil {
		return api.Relayer{}, err
	}
	p.mu.Lock()
	p.relayers[req.Name] = &rec
	p.mu.Unlock()
	if _, err := p.sup.Start(p.relayerSpec(rec), 0); err != nil {
		p.mu.Lock()
		delete(p.relayers, req.Name)
		p.mu.Unlock()
		return api.Relayer{}, errors.Join(err, os.RemoveAll(p.home.RelayerDir(req.Name)))
	}
	p.logf("relayer %s: created, %s (%s) <-> %s (%s)", rec.Name, rec.A, rec.AClient, rec.B, rec.BClient)
	return p.relayerInfo(rec), nil
}

// buildRelayer makes the relayer's directory in a temp dir: its key,
// funded on both chains, then the connection; it renames the dir into
// place with the record.
func (p *Plane) buildRelayer(ctx context.Context, rec state.Relayer, chains [2]state.Chain, trusting string) (_ state.Relayer, err error) {
	tmp, err := p.home.TempRelayerDir(rec.Name)
	if err != nil {
		return rec, err
	}
	defer func() {
		if err != nil {
			_ = os.RemoveAll(tmp)
		}
	}()
	kr, err := keys.Open(filepath.Join(tmp, state.RelayerHome), keys.BackendTest, nil)
	if err != nil {
		return rec, fmt.Errorf("relayer %s: keyring: %w", rec.Name, err)
	}
	key, err := kr.Add(relayerKey)
	if err != nil {
		return rec, fmt.Errorf("relayer %s: key: %w", rec.Name, err)
	}
	rec.Address = key.Address.String()
	for _, c := range chains {
		if err := p.fundRelayer(ctx, c, key.Address); err != nil {
			return rec, fmt.Errorf("relayer %s: fund its key on %s: %w", rec.Name, c.Name, err)
		}
	}
	args := append([]string{"relay", "connect", "--output", "json"}, relayerSides(filepath.Join(tmp, state.RelayerHome), chains)...)
	if trusting != "" {
		args = append(args, "--trusting-period", trusting)
	}
	cctx, cancel := context.WithTimeout(ctx, connectTimeout)
	defer cancel()
	cmd := exec.CommandContext(cctx, p.binary, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return rec, fmt.Errorf("relayer %s: connect %s and %s: %w: %s", rec.Name, rec.A, rec.B, err, strings.TrimSpace(stderr.String()))
	}
	var conn struct {
		AClient string `json:"a_client"`
		BClient string `json:"b_client"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &conn); err != nil || conn.AClient == "" || conn.BClient == "" {
		return rec, fmt.Errorf("relayer %s: connect printed %q: %v", rec.Name, stdout.String(), err)
	}
	rec.AClient, rec.BClient = conn.AClient, conn.BClient
	if err := state.SaveRelayerIn(tmp, rec); err != nil {
		return rec, err
	}
	return rec, p.home.CommitRelayer(tmp, rec.Name)
}

// relayerSides are the flags naming both chains and the relayer's key
// (in keyringHome) for `vsysd relay connect|start`.
func relayerSides(keyringHome string, chains [2]state.Chain) []string {
	out := []string{"--home", keyringHome, "--keyring-backend", string(keys.BackendTest), "--from", relayerKey}
	for i, side := range []string{"a", "b"} {
		out = append(out, "--"+side, "http://"+loopback(chains[i].Ports.RPC), "--"+side+"-comet", "http://"+loopback(chains[i].Ports.CometRPC))
	}
	return out
}

// fundRelayer sends the relayer's address 1/fundShare of chain c's dev
// key's native coin, and waits for the tx.
func (p *Plane) fundRelayer(ctx context.Context, c state.Chain, to address.Address) error {
	kr, err := keys.Open(p.home.NodeHome(c.Name), keys.BackendTest, nil)
	if err != nil {
		return err
	}
	dev, err := kr.Signer(node.DevKeyName)
	if err != nil {
		return fmt.Errorf("the chain's dev key: %w", err)
	}
	cl := client.New(loopback(c.Ports.RPC))
	st, err := cl.Status(ctx)
	if err != nil {
		return err
	}
	acc, err := cl.GetAccount(ctx, address.FromPubKey(dev.Public().(ed25519.PublicKey)), 0)
	if err != nil {
		return err
	}
	var amount codec.U128
	for _, b := range acc.Balances {
		if b.Token == st.NativeToken {
			amount = b.Amount.MulDiv(codec.NewU128(1), codec.NewU128(fundShare))
		}
	}
	if amount.IsZero() {
		return fmt.Errorf("the dev key holds no %s", st.NativeToken)
	}
	// The token module's send, encoded from its ABI (the cloud does not
	// import the module).
	tokenABI, err := cl.GetABI(ctx, moduleid.NameToken)
	if err != nil {
		return err
	}
	m, ok := tokenABI.Method("send")
	if !ok {
		return errors.New("the token module has no send")
	}
	js, _ := json.Marshal(map[string]string{"token": st.NativeToken, "to": to.String(), "amount": amount.String()})
	args, err := codec.FromJSON(m.Args, js)
	if err != nil {
		return fmt.Errorf("send args: %w", err)
	}
	tokenAddr, _ := moduleid.Lookup(moduleid.NameToken)
	sent, err := cl.Send(ctx, dev, []tx.Call{{Contract: tokenAddr, Method: "send", Args: args}}, client.SendOptions{})
	if err != nil {
		return err
	}
	if sent.Tx.Status != "ok" {
		return fmt.Errorf("tx failed: %s", sent.Tx.Log)
	}
	return nil
}

// RelayerFinalErrors are the texts of the relayer's errors that no
// restart can help (relay.ErrClientExpired and ErrClientFrozen, which
// this layer does not import; cmd/vsysd's TestRelayerFinalErrors holds
// them equal): a relayer that exits with one stays down, its last exit
// saying which client, instead of being restarted forever.
var RelayerFinalErrors = []string{"client expired", "client frozen"}

func relayerExitFinal(exit string) bool {
	return slices.ContainsFunc(RelayerFinalErrors, func(e string) bool { return strings.Contains(exit, "Error: "+e) })
}

// relayerSpec is the relayer's process: `vsysd relay start` with both
// chains' addresses, its keyring and the recorded clients. Its --home is
// its own directory, so its command line is unique to it (adoption).
func (p *Plane) relayerSpec(r state.Relayer) supervisor.Spec {
	var chains [2]state.Chain
	p.mu.Lock()
	for i, name := range []string{r.A, r.B} {
		if c, ok := p.chains[name]; ok {
			chains[i] = *c
		}
	}
	p.mu.Unlock()
	args := append([]string{"relay", "start"}, relayerSides(p.home.RelayerHome(r.Name), chains)...)
	args = append(args, "--a-client", r.AClient, "--b-client", r.BClient, "--metrics", loopback(r.MetricsPort))
	return supervisor.Spec{Name: relayProcPrefix + r.Name, Home: p.home.RelayerHome(r.Name), LogPath: p.home.RelayLogPath(r.Name),
		Args: args, Final: relayerExitFinal}
}

// reserveRelayer holds a relayer's name and allocates its metrics port
// until the create ends.
func (p *Plane) reserveRelayer(name string) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.relayers[name]; ok {
		return 0, fmt.Errorf("%w: relayer %s", api.ErrExists, name)
	}
	if _, ok := p.pendingRelayers[name]; ok {
		return 0, fmt.Errorf("%w: relayer %s (being created)", api.ErrExists, name)
	}
	got, err := ports.Allocate(p.cfg.Ports.First, p.cfg.Ports.Last, 1, p.usedPortsLocked())
	if err != nil {
		return 0, fmt.Errorf("%w: %w", api.ErrExhausted, err)
	}
	p.pendingRelayers[name] = got[0]
	return got[0], nil
}

func (p *Plane) releaseRelayer(name string) {
	p.mu.Lock()
	delete(p.pendingRelayers, name)
	p.mu.Unlock()
}

// usedPortsLocked is every port a chain or a relayer holds or is being
// given; p.mu is held.
func (p *Plane) usedPortsLocked() map[int]bool {
	used := map[int]bool{}
	for _, c := range p.chains {
		for _, port := range c.Ports.List() {
			used[port] = true
		}
	}
	for _, cp := range p.pending {
		for _, port := range cp.List() {
			used[port] = true
		}
	}
	for _, r := range p.relayers {
		used[r.MetricsPort] = true
	}
	for _, port := range p.pendingRelayers {
		used[port] = true
	}
	return used
}

// relayerOfLocked names a relayer that relays chain, if any; p.mu is
// held.
func (p *Plane) relayerOfLocked(chain string) (string, bool) {
	for _, r := range p.relayers {
		if r.A == chain || r.B == chain {
			return r.Name, true
		}
	}
	return "", false
}

// ListRelayers lists the relayers by name.
func (p *Plane) ListRelayers(context.Context) ([]api.Relayer, error) {
	recs := sortedRecords(p, p.relayers, func(r state.Relayer) string { return r.Name })
	out := make([]api.Relayer, len(recs))
	for i, r := range recs {
		out[i] = p.relayerInfo(r)
	}
	return out, nil
}

// DeleteRelayer stops a relayer's process and removes its directory;
// the clients it made stay on the chains.
func (p *Plane) DeleteRelayer(_ context.Context, name string) error {
	p.mu.Lock()
	_, ok := p.relayers[name]
	delete(p.relayers, name)
	p.mu.Unlock()
	if !ok {
		return fmt.Errorf("%w: relayer %s", api.ErrNotFound, name)
	}
	if err := p.sup.Stop(relayProcPrefix + name); err != nil && !errors.Is(err, supervisor.ErrUnknown) {
		return err
	}
	if err := os.RemoveAll(p.home.RelayerDir(name)); err != nil {
		return fmt.Errorf("relayer %s: remove: %w", name, err)
	}
	p.logf("relayer %s: deleted", name)
	return nil
}

// startRelayers adopts or starts every relayer (Start).
func (p *Plane) startRelayers() {
	for _, r := range sortedRecords(p, p.relayers, func(r state.Relayer) string { return r.Name }) {
		if _, err := p.sup.Start(p.relayerSpec(r), r.PID); err != nil {
			p.logf("relayer %s: %v", r.Name, err)
		}
	}
}

// onRelayerEvent records the supervisor's events in the relayer's record.
func (p *Plane) onRelayerEvent(name string, ev supervisor.Event) {
	p.mu.Lock()
	defer p.mu.Unlock()
	r, ok := p.relayers[name]
	if !ok {
		return
	}
	switch ev.Kind {
	case supervisor.Started, supervisor.Adopted:
		r.PID = ev.PID
		p.logf("relayer %s: %s, pid %d", name, ev.Kind, ev.PID)
	case supervisor.Exited:
		r.PID, r.LastExit, r.LastExitAt = 0, ev.Exit, time.Now().UTC()
		r.Restarts++
		p.logf("relayer %s: %s (see %s); restart %d in %v", name, ev.Exit, p.home.RelayLogPath(name), r.Restarts, ev.Delay)
	case supervisor.Halted:
		r.PID, r.LastExit, r.LastExitAt = 0, ev.Exit, time.Now().UTC()
		p.logf("relayer %s: stopped for good: %s; its chain's validators recover the client (vsysd tx interchain recover-client), "+
			"then a restart of the control plane starts the relayer again", name, ev.Exit)
	case supervisor.Failed:
		p.logf("relayer %s: %s", name, ev.Exit)
		return
	}
	if err := p.home.SaveRelayer(*r); err != nil {
		p.logf("relayer %s: %v", name, err)
	}
}

// relayerInfo is the API's view of a relayer's record and process.
func (p *Plane) relayerInfo(r state.Relayer) api.Relayer {
	out := api.Relayer{Name: r.Name, A: r.A, B: r.B, AChainID: r.AChainID, BChainID: r.BChainID, AClient: r.AClient, BClient: r.BClient,
		Address: r.Address, MetricsAddr: loopback(r.MetricsPort), Restarts: r.Restarts, LastExit: r.LastExit,
		Home: p.home.RelayerHome(r.Name), Log: p.home.RelayLogPath(r.Name), CreatedAt: r.CreatedAt}
	if st, ok := p.sup.State(relayProcPrefix + r.Name); ok && st.Running {
		out.Running, out.PID, out.Adopted = true, st.PID, st.Adopted
	}
	out.Halted = !out.Running && relayerExitFinal(r.LastExit)
	return out
}

// sortedRecords copies the records of m (a map of p's, read under p.mu),
// sorted by name.
func sortedRecords[R any](p *Plane, m map[string]*R, name func(R) string) []R {
	p.mu.Lock()
	out := make([]R, 0, len(m))
	for _, r := range m {
		out = append(out, *r)
	}
	p.mu.Unlock()
	slices.SortFunc(out, func(a, b R) int { return cmpString(name(a), name(b)) })
	return out
}

// relayerName is the relayer a supervisor process name belongs to.
func relayerName(proc string) (string, bool) { return strings.CutPrefix(proc, relayProcPrefix) }
