package cloud_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vsys/vsys/cloud"
	"github.com/vsys/vsys/cloud/api"
	"github.com/vsys/vsys/cloud/state"
	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/rpc/client"
)

// failHook fails BeforeStart while fail is set: a create that fails after
// its home was made.
type failHook struct{ fail bool }

func (h *failHook) BeforeStart(name string, _ *exec.Cmd) error {
	if h.fail {
		return errors.New("limits refused")
	}
	return nil
}

func (h *failHook) AfterStart(string, int) error { return nil }

func openPlane(t *testing.T, dir string, hooks *failHook) *cloud.Plane {
	t.Helper()
	o := cloud.Options{Binary: vsysdBin}
	if hooks != nil { // a nil *failHook in the interface would not be nil
		o.Hooks = hooks
	}
	p, err := cloud.Open(dir, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := p.Close(true); err != nil {
			t.Error(err)
		}
	})
	return p
}

// TestCreateFailuresLeaveNothing: ports exhausted, bad params and a start
// refused by the limits hook each fail the create with a clear error, no
// directory under chains/, and the name and ports free for the next
// create; a temp dir a crash left is removed when the cloud opens.
func TestCreateFailuresLeaveNothing(t *testing.T) {
	ctx := context.Background()

	small := t.TempDir()
	writeConfig(t, small, 1+2, 10) // two ports: fewer than one chain needs
	p := openPlane(t, small, nil)
	if _, err := p.CreateChain(ctx, api.CreateRequest{Name: "a"}); !errors.Is(err, api.ErrExhausted) {
		t.Fatalf("2 ports: %v, want ErrExhausted", err)
	}
	if got := chainDirs(t, small); len(got) != 0 {
		t.Fatalf("left %q", got)
	}

	dir := t.TempDir()
	cfg := writeConfig(t, dir, 1+4, 10)
	// A listener outside the cloud on the range's first port: allocation
	// skips it.
	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", cfg.Ports.First))
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if err := os.MkdirAll(filepath.Join(dir, state.ChainsDir, ".create-x-123", "home"), 0o700); err != nil {
		t.Fatal(err)
	}
	hooks := &failHook{fail: true}
	p = openPlane(t, dir, hooks)
	if got := chainDirs(t, dir); len(got) != 0 {
		t.Fatalf("leftover of a crashed create not removed: %q", got)
	}
	if _, err := p.CreateChain(ctx, api.CreateRequest{Name: "a", BlockInterval: "soon"}); !errors.Is(err, api.ErrBadParams) {
		t.Fatalf("bad block interval: %v, want ErrBadParams", err)
	}
	for _, bad := range []api.CreateRequest{
		{Name: "a", Modules: []string{"token", "nosuch"}},
		{Name: "a", Modules: []string{"db"}}, // no token
		{Name: "a", Params: map[string]string{"billing.nope": "1"}},
		{Name: "a", Params: map[string]string{"billing.storage_price_per_byte": "cheap"}},
		{Name: "a", DiskQuotaBytes: -1},
		{Name: "a", TxsPerSecond: -1},
	} {
		if _, err := p.CreateChain(ctx, bad); !errors.Is(err, api.ErrBadParams) {
			t.Fatalf("%+v: %v, want ErrBadParams", bad, err)
		}
		if got := chainDirs(t, dir); len(got) != 0 {
			t.Fatalf("%+v left %q", bad, got)
		}
	}
	if _, err := p.CreateChain(ctx, api.CreateRequest{Name: "a"}); err == nil {
		t.Fatal("refused start: create succeeded")
	}
	if got := chainDirs(t, dir); len(got) != 0 {
		t.Fatalf("refused start left %q", got)
	}
	if l, _ := p.ListChains(ctx); len(l) != 0 {
		t.Fatalf("refused start listed %v", l)
	}
	hooks.fail = false
	ch, err := p.CreateChain(ctx, api.CreateRequest{Name: "a", BlockInterval: "100ms"})
	if err != nil {
		t.Fatalf("create after failures: %v", err)
	}
	if want := (api.Ports{RPC: cfg.Ports.First + 1, CometRPC: cfg.Ports.First + 2, P2P: cfg.Ports.First + 3}); ch.Ports != want {
		t.Fatalf("ports %+v, want %+v (the taken first port skipped, the failed create's released)", ch.Ports, want)
	}
	if addr, ok := p.Lookup("a"); !ok || addr != ch.RPCAddr {
		t.Fatalf("Lookup(a) = %q %v, want %q", addr, ok, ch.RPCAddr)
	}
	if _, ok := p.Lookup("b"); ok {
		t.Fatal("Lookup(b) found a chain")
	}

	// Stop, start, delete.
	waitFor(t, "a first block", func() (bool, string) {
		st, err := p.ChainStatus(ctx, "a")
		return st.Height >= 1, fmt.Sprint(st.Height, err)
	})
	if st, err := p.StopChain(ctx, "a"); err != nil || st.Running || st.Status != state.StatusStopped {
		t.Fatalf("stop: %+v %v", st, err)
	}
	if _, ok := p.Lookup("a"); ok {
		t.Fatal("Lookup found a stopped chain")
	}
	if rec, err := (state.Home{Dir: p.Home()}).LoadChain("a"); err != nil || rec.Status != state.StatusStopped || rec.PID != 0 {
		t.Fatalf("record after stop: %+v %v", rec, err)
	}
	st, err := p.StartChain(ctx, "a")
	if err != nil || !st.Running {
		t.Fatalf("start: %+v %v", st, err)
	}
	waitFor(t, "a serving again", func() (bool, string) {
		st, err := p.ChainStatus(ctx, "a")
		return st.Height >= 1, fmt.Sprint(st.Height, err)
	})
	if err := p.DeleteChain(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if got := chainDirs(t, dir); len(got) != 0 {
		t.Fatalf("delete left %q", got)
	}
	if err := p.DeleteChain(ctx, "a"); !errors.Is(err, api.ErrNotFound) {
		t.Fatalf("delete twice: %v, want ErrNotFound", err)
	}
	if _, err := p.ChainStatus(ctx, "a"); !errors.Is(err, api.ErrNotFound) {
		t.Fatalf("status of a deleted chain: %v", err)
	}
}

// TestValidateName: the rules, at their edges.
func TestValidateName(t *testing.T) {
	good := []string{"a", "0", "my-chain", "a1-b2", string(slices.Repeat([]byte("x"), cloud.MaxNameLen))}
	bad := []string{"", "../x", "..", ".", "a/b", "A", "a_b", "a.b", "-a", "a-", " a", "é",
		string(slices.Repeat([]byte("x"), cloud.MaxNameLen+1)), string(slices.Repeat([]byte("x"), 200))}
	for _, n := range good {
		if err := cloud.ValidateName(n); err != nil {
			t.Errorf("%q: %v", n, err)
		}
	}
	for _, n := range bad {
		if err := cloud.ValidateName(n); !errors.Is(err, api.ErrBadName) {
			t.Errorf("%q: %v, want ErrBadName", n, err)
		}
	}
}

// TestCreateWithModules: the create request's modules reach the chain's
// genesis, as `vsysd chain create`'s do: a chain made without db answers
// a db read with "unknown contract".
func TestCreateWithModules(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	writeConfig(t, dir, 1+3, 10)
	p := openPlane(t, dir, nil)
	ch, err := p.CreateChain(ctx, api.CreateRequest{Name: "nodb", Modules: []string{"token", "wasm"}, BlockInterval: "100ms",
		TxsPerSecond: 0.01, TxBurst: 2})
	if err != nil {
		t.Fatal(err)
	}
	if ch.TxsPerSecond != 0.01 || ch.TxBurst != 2 {
		t.Errorf("the chain's record: tx rate %v burst %d", ch.TxsPerSecond, ch.TxBurst)
	}
	waitFor(t, "nodb first block", func() (bool, string) {
		st, err := p.ChainStatus(ctx, "nodb")
		return st.Height >= 1, fmt.Sprint(st.Height, err)
	})
	_, err = client.New(ch.RPCAddr).GetSchema(ctx, address.Module(1), "t", 0)
	if err == nil || !strings.Contains(err.Error(), "unknown contract") {
		t.Fatalf("db read on a chain without db: %v, want unknown contract", err)
	}
	if _, err := os.Stat(filepath.Join(dir, state.ChainsDir, "nodb", "spec.json")); err != nil {
		t.Fatalf("the chain's spec record: %v", err)
	}
	// The node admits txs at the create's rate: past the burst of two,
	// the third send is refused before the tx is even decoded.
	for i := range 3 {
		_, err := client.New(ch.RPCAddr).SendRawTransaction(ctx, []byte("not a tx"))
		refused := err != nil && strings.Contains(err.Error(), "tx rate limit")
		if refused != (i == 2) {
			t.Fatalf("send %d: %v (refused by the rate limit: %v)", i+1, err, refused)
		}
	}
}

// TestStartFailsCleanly: a gateway address already taken fails Start,
// and closing the plane afterwards (as `cloud start` does on that error)
// returns instead of waiting on the control API a second time.
func TestStartFailsCleanly(t *testing.T) {
	dir := t.TempDir()
	writeConfig(t, dir, 1+3, 10)
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	p, err := cloud.Open(dir, cloud.Options{Binary: vsysdBin, GatewayAddr: taken.Addr().String()})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Start(); err == nil || !strings.Contains(err.Error(), "gateway") {
		t.Fatalf("Start with the gateway's address taken: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- p.Close(false) }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Close after a failed Start: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Close after a failed Start did not return")
	}
}
