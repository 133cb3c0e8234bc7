package cloud_test

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vsys/vsys/cloud/api"
	"github.com/vsys/vsys/cloud/state"
	"github.com/vsys/vsys/cloud/supervisor"
	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/keys"
	"github.com/vsys/vsys/core/tx"
	"github.com/vsys/vsys/internal/testkit"
	"github.com/vsys/vsys/modules/token"
	"github.com/vsys/vsys/node"
	"github.com/vsys/vsys/rpc/client"
)

var vsysdBin string

func TestMain(m *testing.M) { os.Exit(testkit.RunWithBinary(m, testkit.VsysdPackage, &vsysdBin)) }

// deadline bounds every wait: a guard that turns a hang into a failure,
// not a timed assertion.
const deadline = 30 * time.Second

// writeConfig writes a cloud.toml with the API on the first port of
// nPorts reserved ones and the chains on the rest; the gateway and the
// metrics listener get two more.
func writeConfig(t *testing.T, dir string, nPorts, maxChains int) state.Config {
	t.Helper()
	base, err := testkit.ReservePortRange(nPorts)
	if err != nil {
		t.Fatal(err)
	}
	c := state.DefaultConfig()
	c.API.Address = fmt.Sprintf("127.0.0.1:%d", base)
	c.Ports = state.Ports{First: base + 1, Last: base + nPorts - 1}
	extra, err := testkit.ReservePortRange(2)
	if err != nil {
		t.Fatal(err)
	}
	c.Gateway.Address = fmt.Sprintf("127.0.0.1:%d", extra)
	c.Metrics.Address = fmt.Sprintf("127.0.0.1:%d", extra+1)
	c.MaxChains = maxChains
	c.Chain.BlockInterval = "200ms"
	c.Chain.Heartbeat = "300ms" // the test waits for idle chains to move
	c.Restart = state.Restart{BackoffInitial: "100ms", BackoffMax: "2s", StableAfter: "10s", StopGrace: "5s"}
	if err := state.SaveConfig(dir, c); err != nil {
		t.Fatal(err)
	}
	return c
}

// controlPlane is a `vsysd cloud start` process.
type controlPlane struct {
	cmd  *exec.Cmd
	done chan struct{}
}

func startControlPlane(t *testing.T, dir string, flags ...string) *controlPlane {
	t.Helper()
	log, err := os.OpenFile(filepath.Join(dir, "cloud.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	cmd := exec.Command(vsysdBin, append([]string{"cloud", "start", "--home", dir}, flags...)...)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	cp := &controlPlane{cmd: cmd, done: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(cp.done) }()
	return cp
}

func (cp *controlPlane) kill() { cp.signal(syscall.SIGKILL) }

func (cp *controlPlane) signal(sig syscall.Signal) {
	_ = cp.cmd.Process.Signal(sig)
	<-cp.done
}

// killAll ends the control plane and every chain node the cloud home
// records (the nodes run in their own sessions and outlive the test
// otherwise).
func killAll(t *testing.T, dir string, cp **controlPlane) {
	t.Helper()
	if *cp != nil {
		(*cp).kill()
	}
	h := state.Home{Dir: dir}
	recs, err := h.Chains()
	if err != nil {
		t.Log(err)
	}
	for _, c := range recs {
		if supervisor.Matches(c.PID, h.NodeHome(c.Name)) {
			_ = syscall.Kill(c.PID, syscall.SIGKILL)
		}
	}
	if t.Failed() {
		if b, err := os.ReadFile(filepath.Join(dir, "cloud.log")); err == nil {
			t.Logf("cloud.log:\n%s", b)
		}
	}
}

// waitFor polls cond until it holds, failing the test at the deadline
// with cond's last word.
func waitFor(t *testing.T, what string, cond func() (bool, string)) {
	t.Helper()
	end := time.Now().Add(deadline)
	for {
		ok, why := cond()
		if ok {
			return
		}
		if time.Now().After(end) {
			t.Fatalf("%s: not within %v: %s", what, deadline, why)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func apiClient(t *testing.T, dir string, cfg state.Config) *api.Client {
	t.Helper()
	var c *api.Client
	waitFor(t, "control API up", func() (bool, string) {
		tok, err := state.ReadToken(dir)
		if err != nil {
			return false, err.Error()
		}
		c = api.NewClient(cfg.API.Address, tok)
		_, err = c.ListChains(context.Background())
		return err == nil, fmt.Sprint(err)
	})
	return c
}

func height(addr string) int64 {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	h, err := client.New(addr).BlockNumber(ctx)
	if err != nil {
		return -1
	}
	return h
}

// devKey is the chain's dev account key, from its node home's test keyring.
func devKey(t *testing.T, ch api.Chain) ed25519.PrivateKey {
	t.Helper()
	kr, err := keys.Open(ch.Home, keys.BackendTest, nil)
	if err != nil {
		t.Fatal(err)
	}
	key, err := kr.Signer(node.DevKeyName)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

// sendCalls sends calls from the chain's dev account and waits for the
// commit.
func sendCalls(t *testing.T, ch api.Chain, calls []tx.Call) (*client.Sent, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), deadline)
	defer cancel()
	return client.New(ch.RPCAddr).Send(ctx, devKey(t, ch), calls, client.SendOptions{})
}

// sendTx commits a transfer from the chain's dev account.
func sendTx(t *testing.T, ch api.Chain) {
	t.Helper()
	args, err := codec.Marshal(token.SendArgs{Token: "VSYS", To: address.Derive("cloud", []byte("sink")), Amount: codec.NewU128(1)})
	if err != nil {
		t.Fatal(err)
	}
	sent, err := sendCalls(t, ch, []tx.Call{{Contract: token.Address, Method: "send", Args: args}})
	if err != nil {
		t.Fatalf("chain %s: send: %v", ch.Name, err)
	}
	if sent.Tx.Status != "ok" {
		t.Fatalf("chain %s: tx %s: %s", ch.Name, sent.Tx.Status, sent.Tx.Log)
	}
}

// chainDirs lists chains/ (hidden temp dirs included).
func chainDirs(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(dir, state.ChainsDir))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

// TestCloud runs the control plane as a process and two chains under it:
// both commit a tx; a chain node killed -9 is restarted at its height
// while the other keeps committing; the control plane killed -9 leaves
// the chains serving and, started again, adopts them (same pids); bad
// creates are refused with nothing left behind; the API wants the token.
func TestCloud(t *testing.T) {
	dir := t.TempDir()
	cfg := writeConfig(t, dir, 1+9, 2) // room for three chains' ports, a limit of two
	var cp *controlPlane
	t.Cleanup(func() { killAll(t, dir, &cp) })
	cp = startControlPlane(t, dir)
	c := apiClient(t, dir, cfg)
	ctx := context.Background()

	if fi, err := os.Stat(filepath.Join(dir, state.TokenFile)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("operator token file: %v %v", fi, err)
	}
	chains := map[string]api.Chain{}
	for _, name := range []string{"alpha", "beta"} {
		ch, err := c.CreateChain(ctx, api.CreateRequest{Name: name})
		if err != nil {
			t.Fatalf("create %s: %v", name, err)
		}
		chains[name] = ch
	}
	for _, ch := range chains {
		waitFor(t, ch.Name+" first block", func() (bool, string) {
			h := height(ch.RPCAddr)
			return h >= 1, fmt.Sprintf("height %d", h)
		})
		sendTx(t, ch)
	}
	a, b := chains["alpha"], chains["beta"]
	if a.Ports == b.Ports || a.Ports.RPC == b.Ports.P2P {
		t.Fatalf("ports collide: %+v %+v", a.Ports, b.Ports)
	}
	checkGatewayAndUsage(t, c, cfg)

	// Kill alpha's node: it comes back at its height, beta goes on.
	st, err := c.ChainStatus(ctx, "alpha")
	if err != nil {
		t.Fatal(err)
	}
	hA, hB := st.Height, height(b.RPCAddr)
	if err := syscall.Kill(st.PID, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "alpha restarted", func() (bool, string) {
		now, err := c.ChainStatus(ctx, "alpha")
		return err == nil && now.PID != st.PID && now.Running && now.Restarts == 1 && now.Height >= hA,
			fmt.Sprintf("%+v %v", now, err)
	})
	waitFor(t, "beta committing", func() (bool, string) {
		h := height(b.RPCAddr)
		return h > hB, fmt.Sprintf("height %d, was %d", h, hB)
	})
	sendTx(t, a)

	// Kill the control plane: the chains keep serving; started again, it
	// adopts both nodes.
	c, after := killAndAdopt(t, dir, cfg, &cp, c, nil)
	for _, ch := range after {
		sendTx(t, ch)
	}

	// Refused creates leave nothing behind.
	for _, bad := range []struct {
		name string
		want error
	}{
		{"../x", api.ErrBadName}, {"", api.ErrBadName}, {strings.Repeat("a", 200), api.ErrBadName},
		{"Upper", api.ErrBadName}, {"-x", api.ErrBadName},
		{"alpha", api.ErrExists}, {"gamma", api.ErrLimit},
	} {
		_, err := c.CreateChain(ctx, api.CreateRequest{Name: bad.name})
		if !errors.Is(err, bad.want) {
			t.Errorf("create %.20q: %v, want %v", bad.name, err, bad.want)
		}
		if got := chainDirs(t, dir); len(got) != 2 {
			t.Errorf("create %.20q left %q", bad.name, got)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "x")); err == nil {
		t.Error("create ../x made a directory")
	}
	if l, err := c.Logs(ctx, "beta", 5); err != nil || len(l.Lines) != 5 {
		t.Errorf("logs: %v %v", l, err)
	}

	// No token, a wrong one: 401.
	for _, auth := range []string{"", "Bearer nope", "Bearer " + strings.Repeat("0", 64), "Basic x"} {
		req, _ := http.NewRequest(http.MethodPost, "http://"+cfg.API.Address, strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"cloud_listChains"}`))
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("Authorization %q: HTTP %d, want 401", auth, resp.StatusCode)
		}
	}
	// A chain's endpoint is not the control API, token or not.
	tok, _ := state.ReadToken(dir)
	if _, err := api.NewClient(b.RPCAddr, tok).ListChains(ctx); err == nil || !strings.Contains(err.Error(), "cloud_listChains") {
		t.Errorf("cloud_listChains on a chain's JSON-RPC: %v, want method not found", err)
	}
	if _, err := api.NewClient(cfg.API.Address, "wrong").ListChains(ctx); err == nil || !strings.Contains(err.Error(), "401") {
		t.Errorf("wrong token: %v, want HTTP 401", err)
	}

	// The CLI: address and token from --home, --output json; a wrong
	// --token fails.
	out, err := exec.Command(vsysdBin, "cloud", "list", "--home", dir, "--output", "json").Output()
	var listed []api.Chain
	if err != nil || json.Unmarshal(out, &listed) != nil || len(listed) != 2 || listed[0].Name != "alpha" {
		t.Errorf("vsysd cloud list: %v %s", err, out)
	}
	out, err = exec.Command(vsysdBin, "cloud", "status", "beta", "--home", dir).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "chain       beta") {
		t.Errorf("vsysd cloud status: %v %s", err, out)
	}
	out, err = exec.Command(vsysdBin, "cloud", "create", "../x", "--home", dir).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "bad chain name") {
		t.Errorf("vsysd cloud create ../x: %v %s", err, out)
	}
	out, err = exec.Command(vsysdBin, "cloud", "list", "--home", dir, "--token", "wrong").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "401") {
		t.Errorf("vsysd cloud list --token wrong: %v %s", err, out)
	}

	// cloud stop NAME, cloud start NAME (the same verb as the control
	// plane's, told apart by the argument).
	for _, verb := range []struct {
		args    []string
		running bool
	}{{[]string{"stop", "beta"}, false}, {[]string{"start", "beta"}, true}} {
		out, err := exec.Command(vsysdBin, append(append([]string{"cloud"}, verb.args...), "--home", dir, "-o", "json")...).Output()
		var ch api.Chain
		if err != nil || json.Unmarshal(out, &ch) != nil || ch.Running != verb.running {
			t.Fatalf("vsysd cloud %v: %v %s", verb.args, err, out)
		}
	}
	if after, err = c.ListChains(ctx); err != nil {
		t.Fatal(err)
	}

	// SIGTERM leaves the chains serving; with --stop-chains it stops them.
	cp.signal(syscall.SIGTERM)
	if cp.cmd.ProcessState.ExitCode() != 0 {
		t.Errorf("cloud start after SIGTERM: %v", cp.cmd.ProcessState)
	}
	home := state.Home{Dir: dir}
	for _, ch := range after {
		if !supervisor.Matches(ch.PID, ch.Home) {
			t.Errorf("%s: node gone after the control plane's SIGTERM", ch.Name)
		}
	}
	cp = startControlPlane(t, dir, "--stop-chains")
	apiClient(t, dir, cfg)
	cp.signal(syscall.SIGTERM)
	for _, ch := range after {
		if supervisor.Matches(ch.PID, ch.Home) {
			t.Errorf("%s: node pid %d alive after --stop-chains", ch.Name, ch.PID)
		}
		if rec, err := home.LoadChain(ch.Name); err != nil || rec.Status != state.StatusRunning {
			t.Errorf("%s: record after --stop-chains: %+v %v (want status running: the next start starts it)", ch.Name, rec, err)
		}
	}
	cp = nil
}

// checkGatewayAndUsage: one gateway address reaches each chain at
// /<chain>/ and nothing else (an unknown chain is 404, a cloud_* method
// is unknown to a chain node); status reports the limits in force and the
// node's usage; the metrics listener exports it labelled by chain.
func checkGatewayAndUsage(t *testing.T, c *api.Client, cfg state.Config) {
	t.Helper()
	post := func(path, method string) (int, string) {
		body := fmt.Sprintf(`{"jsonrpc":"2.0","id":1,"method":%q}`, method)
		res, err := http.Post("http://"+cfg.Gateway.Address+path, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	for _, name := range []string{"alpha", "beta"} {
		if code, body := post("/"+name+"/", "vsys_chainId"); code != http.StatusOK || !strings.Contains(body, `"result":"`+name+`"`) {
			t.Errorf("gateway /%s/ vsys_chainId: %d %s", name, code, body)
		}
	}
	// The CLI's client commands reach a chain by name through the gateway.
	out, err := exec.Command(vsysdBin, "status", "--chain", "beta", "--gateway", cfg.Gateway.Address, "--output", "json").CombinedOutput()
	if err != nil || !strings.Contains(string(out), `"chain_id": "beta"`) {
		t.Errorf("vsysd status --chain beta: %v\n%s", err, out)
	}
	if code, body := post("/nope/", "vsys_chainId"); code != http.StatusNotFound {
		t.Errorf("gateway, unknown chain: %d %s", code, body)
	}
	if code, body := post("/alpha/", "cloud_listChains"); code != http.StatusOK || !strings.Contains(body, `"code":-32601`) {
		t.Errorf("gateway must not reach the control API: %d %s", code, body)
	}

	st, err := c.ChainStatus(context.Background(), "alpha")
	if err != nil {
		t.Fatal(err)
	}
	// alpha has committed a transfer by now.
	if st.Limits == "" || st.Usage == nil || st.Usage.RSSBytes <= 0 || st.Usage.DiskBytes <= 0 ||
		st.Usage.Txs < 1 || st.Usage.Blocks < 1 {
		t.Errorf("status: limits %q usage %+v", st.Limits, st.Usage)
	}
	res, err := http.Get("http://" + cfg.Metrics.Address + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	for _, want := range []string{`vsys_cloud_chain_rss_bytes{chain="alpha"}`, `vsys_cloud_chain_disk_bytes{chain="beta"}`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("metrics lack %s:\n%s", want, b)
		}
	}
	if m := regexp.MustCompile(`(?m)^vsys_cloud_chain_txs_total\{chain="alpha"\} ([0-9.e+]+)$`).FindStringSubmatch(string(b)); m == nil || m[1] == "0" {
		t.Errorf("metrics: alpha's txs_total should count its transfer: %v", m)
	}
}
