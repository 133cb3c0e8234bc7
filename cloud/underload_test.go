package cloud_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/vsys/vsys/cloud/api"
	"github.com/vsys/vsys/cloud/bench"
	"github.com/vsys/vsys/cloud/state"
)

// killAndAdopt kills the control plane -9, checks that every chain goes
// on serving without it (its height advances), runs whileDown (nil: no
// more), starts the control plane again and checks that it adopted every
// node: the same pids, at a height no lower than before the kill. It
// returns the new control plane's API client and its chains.
func killAndAdopt(t *testing.T, dir string, cfg state.Config, cp **controlPlane, c *api.Client, whileDown func()) (*api.Client, []api.Chain) {
	t.Helper()
	ctx := context.Background()
	before, err := c.ListChains(ctx)
	if err != nil {
		t.Fatal(err)
	}
	(*cp).kill()
	heights := map[string]int64{}
	for _, ch := range before {
		heights[ch.Name] = height(ch.RPCAddr)
	}
	for _, ch := range before {
		waitFor(t, ch.Name+" serving without the control plane", func() (bool, string) {
			h := height(ch.RPCAddr)
			return h > heights[ch.Name], fmt.Sprintf("height %d, was %d", h, heights[ch.Name])
		})
	}
	if whileDown != nil {
		whileDown()
	}
	*cp = startControlPlane(t, dir)
	c = apiClient(t, dir, cfg)
	after, err := c.ListChains(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before) {
		t.Fatalf("after restart: %d chains, want %d", len(after), len(before))
	}
	for i, ch := range after {
		if ch.Name != before[i].Name || !ch.Adopted || ch.PID != before[i].PID {
			t.Errorf("%s: adopted %v pid %d, want %s's pid %d adopted", ch.Name, ch.Adopted, ch.PID, before[i].Name, before[i].PID)
		}
		if h := height(ch.RPCAddr); h < heights[ch.Name] {
			t.Errorf("%s: height %d below %d", ch.Name, h, heights[ch.Name])
		}
	}
	return c, after
}

// TestControlPlaneKilledUnderLoad: with senders submitting transfers to
// two chains without pause, the control plane is killed -9 mid-load; the
// senders go on (each chain node's own JSON-RPC port, which lives in the
// node, not the control plane), the control plane is started again and
// adopts both nodes at their heights, and once the senders stop every tx
// a node accepted is committed: each sender account's nonce equals its
// count of accepted txs and its last tx is committed ok (bench.Flood.Wait).
func TestControlPlaneKilledUnderLoad(t *testing.T) {
	dir := t.TempDir()
	cfg := writeConfig(t, dir, 1+6, 2)
	var cp *controlPlane
	t.Cleanup(func() { killAll(t, dir, &cp) })
	cp = startControlPlane(t, dir)
	c := apiClient(t, dir, cfg)
	ctx := context.Background()

	floods := map[string]*bench.Flood{}
	for _, name := range []string{"alpha", "beta"} {
		if _, err := c.CreateChain(ctx, api.CreateRequest{Name: name}); err != nil {
			t.Fatalf("create %s: %v", name, err)
		}
		ch, err := api.WaitFirstBlock(ctx, c, name, deadline)
		if err != nil {
			t.Fatal(err)
		}
		// A pause keeps two floods from taking both cores from the nodes
		// and the control plane: the load is continuous, not maximal.
		f, err := bench.NewFlood(ctx, ch.RPCAddr, ch.Home, bench.FloodOptions{Accounts: 4, Workers: 2, Pause: 2 * time.Millisecond, Seed: name})
		if err != nil {
			t.Fatal(err)
		}
		f.Start()
		t.Cleanup(func() { _ = f.Stop() })
		floods[name] = f
	}
	// A third sender reaches alpha through the gateway, which dies with
	// the control plane: its sends fail while it is down and are retried
	// (the same bytes) until the restarted gateway answers.
	gw, err := bench.NewFlood(ctx, "http://"+cfg.Gateway.Address+"/alpha/", floodHome(t, c, "alpha"),
		bench.FloodOptions{Accounts: 2, Workers: 1, Pause: 2 * time.Millisecond, Seed: "alpha-gateway"})
	if err != nil {
		t.Fatal(err)
	}
	gw.Start()
	t.Cleanup(func() { _ = gw.Stop() })

	// advance waits until every flood of floods has had n more txs
	// accepted.
	advance := func(what string, n int64, floods map[string]*bench.Flood) {
		t.Helper()
		from := map[string]int64{}
		for name, f := range floods {
			from[name] = f.Accepted()
		}
		for name, f := range floods {
			waitFor(t, fmt.Sprintf("%s: %d more txs accepted %s", name, n, what), func() (bool, string) {
				got := f.Accepted() - from[name]
				return got >= n, fmt.Sprintf("%d accepted, %d refused (%s)", got, f.Pushback(), f.LastPushback())
			})
		}
	}
	all := map[string]*bench.Flood{"alpha": floods["alpha"], "beta": floods["beta"], "alpha via the gateway": gw}
	advance("before the kill", 200, all)
	var atKill map[string]int64
	c, _ = killAndAdopt(t, dir, cfg, &cp, c, func() {
		atKill = map[string]int64{}
		for name, f := range all {
			atKill[name] = f.Accepted()
		}
		advance("while the control plane is down", 200, floods)
	})
	advance("after the restart", 200, all)

	for name, f := range all {
		if err := f.Stop(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		n, err := f.Wait(ctx, deadline)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		st, err := c.ChainStatus(ctx, strings.Fields(name)[0])
		if err != nil || st.Restarts != 0 {
			t.Errorf("%s: status after the load: %+v %v", name, st, err)
		}
		t.Logf("%s: %d txs accepted (%d before the kill), all committed; %d sends refused, %d resent; height %d",
			name, n, atKill[name], f.Pushback(), f.Resent(), st.Height)
	}
	if gw.Resent() == 0 {
		t.Error("no send through the gateway failed while the control plane was down")
	}
}

// floodHome is the node home of chain name, where its dev key is.
func floodHome(t *testing.T, c *api.Client, name string) string {
	t.Helper()
	st, err := c.ChainStatus(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return st.Home
}
