package cloud_test

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vsys/vsys/app"
	"github.com/vsys/vsys/cloud/api"
	"github.com/vsys/vsys/cloud/bench"
	"github.com/vsys/vsys/cloud/state"
	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/tx"
	"github.com/vsys/vsys/modules/database"
	"github.com/vsys/vsys/node"
	"github.com/vsys/vsys/rpc/jsonrpc"
)

// faultExits is what a chain's last_exit must say after each of
// bench.Faults under the fallback limits (under a cgroup the kernel's
// OOM killer sends SIGKILL instead).
var faultExits = map[string][]string{
	"kill -9": {"killed by signal 9"},
	"panic":   {"exit status 2", "panic: injected fault at height"},
	// "runtime: out of memory", "out of memory allocating heap arena metadata"
	"oom": {"exit status 2", "fatal error: ", "out of memory"},
}

// TestChainFaultsIsolated runs three chains in one cloud (the control
// plane and every node real processes): alpha's node is killed -9, made
// to panic in its Commit path and driven out of its memory limit, one
// after the other; each time beta keeps committing through alpha's
// outage, alpha is restarted at least at its height with the exit in its
// record, and commits a tx. Then gamma, over a small disk quota, refuses
// txs with the quota's error while beta accepts them.
func TestChainFaultsIsolated(t *testing.T) {
	t.Setenv(node.FaultEnv, "1") // the control plane passes it to its nodes
	dir := t.TempDir()
	cfg := writeConfig(t, dir, 1+9, 3)
	// A ceiling the OOM fault reaches fast, with room for an idle node
	// (about 70 MiB resident; RLIMIT_DATA counts thread stacks and the
	// heap's reservations too); the quota measured every 100 ms.
	cfg.Limits.MemoryBytes = 512 << 20
	cfg.Limits.DiskCheckInterval = "100ms"
	// A restart waits at least a second, several of beta's blocks: beta
	// not moving meanwhile is a stall, not an outage too short to see.
	cfg.Restart.BackoffInitial, cfg.Restart.BackoffMax = "1s", "1s"
	if err := state.SaveConfig(dir, cfg); err != nil {
		t.Fatal(err)
	}
	var cp *controlPlane
	t.Cleanup(func() { killAll(t, dir, &cp) })
	cp = startControlPlane(t, dir)
	c := apiClient(t, dir, cfg)
	ctx := context.Background()

	const quota = 2 << 20
	chains := map[string]api.Chain{}
	for _, req := range []api.CreateRequest{
		{Name: "alpha"},
		// beta makes a block every interval, so its height measures its
		// liveness even while nobody sends it a tx.
		{Name: "beta", EmptyBlocks: true},
	} {
		ch, err := c.CreateChain(ctx, req)
		if err != nil {
			t.Fatalf("create %s: %v", req.Name, err)
		}
		chains[req.Name] = ch
	}
	// gamma through the CLI, whose --disk-quota reaches the node.
	out, err := exec.Command(vsysdBin, "cloud", "create", "gamma", "--home", dir, "--disk-quota", strconv.Itoa(quota), "-o", "json").Output()
	var g api.Chain
	if err != nil || json.Unmarshal(out, &g) != nil || g.DiskQuotaBytes != quota {
		t.Fatalf("vsysd cloud create gamma --disk-quota: %v %s", err, out)
	}
	chains["gamma"] = g
	for _, ch := range chains {
		waitFor(t, ch.Name+" first block", func() (bool, string) {
			h := height(ch.RPCAddr)
			return h >= 1, fmt.Sprintf("height %d", h)
		})
	}
	a, b := chains["alpha"], chains["beta"]
	beta := bench.WatchHeight(b.RPCAddr)
	defer beta.Close()

	for _, f := range bench.Faults {
		t.Run(f.Name, func(t *testing.T) { faultOnce(t, c, dir, a, beta, f) })
	}
	sendTx(t, b)

	t.Run("disk quota", func(t *testing.T) { overQuota(t, c, dir, chains["gamma"], b, quota) })
}

// faultOnce injects f into a's node and checks the outage stayed a's.
func faultOnce(t *testing.T, c *api.Client, dir string, a api.Chain, beta *bench.HeightLog, f bench.Fault) {
	ctx := context.Background()
	st, err := c.ChainStatus(ctx, a.Name)
	if err != nil {
		t.Fatal(err)
	}
	injected := time.Now()
	if err := f.Inject(st); err != nil {
		t.Fatal(err)
	}
	var now api.Chain
	waitFor(t, a.Name+" restarted", func() (bool, string) {
		now, err = c.ChainStatus(ctx, a.Name)
		return err == nil && now.Restarts == st.Restarts+1 && now.Running && now.PID != st.PID && now.Height >= st.Height,
			fmt.Sprintf("%+v %v, was %+v", now, err, st)
	})
	back := time.Now()
	rec, err := state.Home{Dir: dir}.LoadChain(a.Name)
	if err != nil {
		t.Fatal(err)
	}
	exited := rec.LastExitAt
	want := faultExits[f.Name]
	if len(want) == 0 {
		t.Fatalf("no expected exit for fault %q", f.Name)
	}
	if !strings.Contains(now.Limits, "fallback") && f.Name == "oom" {
		want = []string{"killed by signal 9"} // a cgroup's OOM kill
	}
	for _, w := range want {
		if !strings.Contains(rec.LastExit, w) || !strings.Contains(now.LastExit, w) {
			t.Errorf("last exit: chain.json %q, status %q; want %q in both", rec.LastExit, now.LastExit, w)
		}
	}
	if rec.Restarts != now.Restarts {
		t.Errorf("chain.json restarts %d, status %d", rec.Restarts, now.Restarts)
	}
	if exited.Before(injected) || exited.After(back) {
		t.Fatalf("exit recorded at %v, outside the fault's window %v..%v", exited, injected, back)
	}
	// beta committed while alpha was down.
	hExit, hBack := beta.At(exited), beta.At(back)
	if hBack <= hExit {
		t.Errorf("beta at height %d when alpha exited and %d when it was back: beta stalled", hExit, hBack)
	}
	t.Logf("%s: alpha exited %v after the injection (%s), back at height %d (was %d) %v after its exit (the 1 s backoff included); "+
		"beta %d -> %d meanwhile, largest block gap %v",
		f.Name, exited.Sub(injected).Round(time.Millisecond), rec.LastExit, now.Height, st.Height,
		back.Sub(exited).Round(time.Millisecond), hExit, hBack, beta.MaxGap(injected, back).Round(time.Millisecond))
	sendTx(t, a)
}

// rowSchema is a table of big rows, to fill a data directory with.
var rowSchema = database.Schema{
	Columns:    []database.Column{{Name: "id", Type: "u64"}, {Name: "payload", Type: "bytes"}},
	PrimaryKey: []string{"id"},
}

// overQuota fills g's data directory with txs of 8 rows of 60 KiB (a
// row's limit is 64 KiB) until the node
// refuses txs for its disk quota, and checks the refusal is the quota's
// clear error while g still answers reads and b still commits.
func overQuota(t *testing.T, c *api.Client, dir string, g, b api.Chain, quota int64) {
	st, err := c.ChainStatus(context.Background(), g.Name)
	if err != nil {
		t.Fatal(err)
	}
	if st.DiskQuotaBytes != quota {
		t.Errorf("status: disk quota %d, want %d", st.DiskQuotaBytes, quota)
	}
	if out, err := exec.Command(vsysdBin, "cloud", "status", g.Name, "--home", dir).CombinedOutput(); err != nil ||
		!strings.Contains(string(out), fmt.Sprintf("disk quota  %d bytes", quota)) {
		t.Errorf("vsysd cloud status %s: %v\n%s", g.Name, err, out)
	}
	owner := address.FromPubKey(devKey(t, g).Public().(ed25519.PublicKey))
	call := func(method string, args any) []tx.Call {
		raw, err := codec.Marshal(args)
		if err != nil {
			t.Fatal(err)
		}
		return []tx.Call{{Contract: database.Address, Method: method, Args: raw}}
	}
	if sent, err := sendCalls(t, g, call("create_table", database.CreateTableArgs{Name: "fill", Schema: rowSchema})); err != nil || sent.Tx.Status != "ok" {
		t.Fatalf("create_table: %v %+v", err, sent)
	}
	const perTx = 8
	payload := make([]byte, 60<<10)
	var refusal error
	txs := 0
	for n := uint64(0); n < 32 && refusal == nil; n++ {
		var calls []tx.Call
		for id := n * perTx; id < (n+1)*perTx; id++ {
			row, err := codec.Marshal(struct {
				ID      uint64
				Payload []byte
			}{id, payload})
			if err != nil {
				t.Fatal(err)
			}
			calls = append(calls, call("insert", database.RowArgs{Owner: owner, Table: "fill", Row: row})...)
		}
		sent, err := sendCalls(t, g, calls)
		switch {
		case err != nil:
			refusal = err
		case sent.Tx.Status != "ok":
			t.Fatalf("insert tx %d: %s: %s", n, sent.Tx.Status, sent.Tx.Log)
		default:
			txs++
		}
	}
	var je *jsonrpc.Error
	if !errors.As(refusal, &je) || je.Code != -32000-int(app.CodeDiskQuota) {
		t.Fatalf("after %d txs of %d rows of 60 KiB: %v, want the disk quota's refusal (code %d)", txs, perTx, refusal, -32000-int(app.CodeDiskQuota))
	}
	if want := fmt.Sprintf("over the quota of %d", quota); !strings.Contains(refusal.Error(), want) ||
		!strings.Contains(refusal.Error(), "reads still work") {
		t.Errorf("refusal %q: want %q and that reads still work", refusal, want)
	}
	t.Logf("gamma refused a tx after %d txs of %d rows of 60 KiB: %v", txs, perTx, refusal)
	// g still serves reads and makes blocks; b takes txs.
	h := height(g.RPCAddr)
	waitFor(t, g.Name+" still making blocks", func() (bool, string) {
		now := height(g.RPCAddr)
		return now > h, fmt.Sprintf("height %d, was %d", now, h)
	})
	if st, err = c.ChainStatus(context.Background(), g.Name); err != nil || st.Usage == nil || st.Usage.DiskBytes <= quota {
		t.Errorf("status over the quota: %+v %v", st.Usage, err)
	}
	sendTx(t, b)
}
