package cloud_test

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vsys/vsys/cloud/api"
	"github.com/vsys/vsys/cloud/state"
	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/tx"
	"github.com/vsys/vsys/internal/testkit"
	"github.com/vsys/vsys/modules/interchain"
	"github.com/vsys/vsys/modules/interchain/lightclient"
	"github.com/vsys/vsys/modules/interchain/lightclient/fetch"
	"github.com/vsys/vsys/modules/interchain/lightclient/lctest"
	"github.com/vsys/vsys/modules/interchain/transfer"
	"github.com/vsys/vsys/modules/token"
	"github.com/vsys/vsys/modules/wasm"
	"github.com/vsys/vsys/rpc"
	"github.com/vsys/vsys/rpc/client"
)

// TestInterchainInOneCloud is issue 12's first "must show", in one
// `vsysd cloud start` process: two chains with the interchain module and
// a relayer the cloud runs (cloud_createRelayer: its own funded key, the
// connection made at create). A user token goes A→B in two bursts, with
// the relayer process killed -9 between them (the cloud restarts it):
// every packet is delivered and acknowledged exactly once (the
// receiver's vouchers are the exact sum, nothing pending, A's escrow is
// B's voucher supply). A packet whose timeout comes before the relayer
// can deliver it times out and is refunded exactly. Vouchers go back
// B→A and release the escrow. A's xcounter (contracts/xcounter) sends an
// increment to B's, acknowledged back on A with B's new count. The
// control plane killed -9 and started again adopts the relayer (same
// pid). A relayer whose client expired halts, saying so, and is not
// restarted. Amounts are in the user token, so fees (paid in the native
// coin) do not blur the balances.
func TestInterchainInOneCloud(t *testing.T) {
	dir := t.TempDir()
	cfg := writeConfig(t, dir, 1+9, 2) // two chains' ports and the relayers' metrics ports
	var cp *controlPlane
	t.Cleanup(func() { killRelayers(t, dir); killAll(t, dir, &cp) })
	cp = startControlPlane(t, dir)
	c := apiClient(t, dir, cfg)
	ctx := context.Background()

	chains := map[string]api.Chain{}
	for _, name := range []string{"alpha", "beta"} {
		if _, err := c.CreateChain(ctx, api.CreateRequest{Name: name}); err != nil {
			t.Fatalf("create %s: %v", name, err)
		}
		ch, err := api.WaitFirstBlock(ctx, c, name, deadline)
		if err != nil {
			t.Fatal(err)
		}
		chains[name] = ch
	}
	a, b := chains["alpha"], chains["beta"]
	if _, err := c.CreateRelayer(ctx, api.CreateRelayerRequest{Name: "ab", A: "alpha", B: "alpha"}); err == nil {
		t.Fatal("a relayer from a chain to itself was created")
	}
	if _, err := c.CreateRelayer(ctx, api.CreateRelayerRequest{Name: "ab", A: "alpha", B: "nope"}); err == nil {
		t.Fatal("a relayer to a chain the cloud does not have was created")
	}
	r, err := c.CreateRelayer(ctx, api.CreateRelayerRequest{Name: "ab", A: "alpha", B: "beta"})
	if err != nil {
		t.Fatalf("create relayer: %v", err)
	}
	if !r.Running || r.AClient == "" || r.BClient == "" || r.AChainID != "alpha" || r.BChainID != "beta" {
		t.Fatalf("relayer %+v", r)
	}
	if _, err := c.CreateRelayer(ctx, api.CreateRelayerRequest{Name: "ab", A: "alpha", B: "beta"}); err == nil {
		t.Fatal("a second relayer of the same name was created")
	}
	if err := c.DeleteChain(ctx, "beta"); err == nil || !strings.Contains(err.Error(), "relayer ab") {
		t.Fatalf("delete a relayed chain: %v", err)
	}

	ca, cb := client.New(a.RPCAddr), client.New(b.RPCAddr)
	devA := address.FromPubKey(devKey(t, a).Public().(ed25519.PublicKey))
	seed := sha256.Sum256([]byte("bob"))
	bobKey := ed25519.NewKeyFromSeed(seed[:])
	bob := address.FromPubKey(bobKey.Public().(ed25519.PublicKey))
	const issued = 1_000_000
	mustSend(t, a, devKey(t, a), tokenCall(t, "create", token.CreateArgs{Symbol: "GEM", Name: "Gem", Decimals: 0, MaxSupply: codec.NewU128(issued)}),
		tokenCall(t, "issue", token.IssueArgs{Token: "GEM", Amount: codec.NewU128(issued)}))
	mustSend(t, b, devKey(t, b), tokenCall(t, "send", token.SendArgs{Token: "VSYS", To: bob, Amount: codec.NewU128(1e15)})) // bob's fees on B
	voucher := transfer.Denom{Base: "GEM", Trace: []transfer.Hop{{Port: transfer.PortID, Client: r.BClient}}}.LocalDenom()

	// checkSupply: A's escrow of GEM is B's voucher supply, and the GEM
	// on A plus the vouchers on B are what was issued.
	checkSupply := func(wantEscrow uint64) {
		t.Helper()
		escrow, supply := u128Call(t, ca, "interchain", "total_escrow", map[string]any{"denom": "GEM"}),
			u128Call(t, cb, "token", "supply", map[string]any{"token": voucher})
		if escrow != wantEscrow || supply != wantEscrow {
			t.Fatalf("escrow on A %d, vouchers on B %d, want both %d", escrow, supply, wantEscrow)
		}
		if got := balance(t, ca, devA, "GEM") + escrow; got != issued {
			t.Fatalf("dev's GEM %d + escrow %d != issued %d", got-escrow, escrow, issued)
		}
	}
	transfers := func(from, n int, timeout time.Duration) []tx.Call {
		calls := make([]tx.Call, n)
		for i := range calls {
			calls[i] = icCall(t, "transfer", interchain.TransferArgs{SourceClient: r.AClient, Denom: "GEM", Amount: codec.NewU128(uint64(from + i)),
				Receiver: bob.String(), TimeoutTimestamp: uint64(time.Now().Add(timeout).Unix())})
		}
		return calls
	}
	sum := func(from, to int) uint64 { return uint64((to - from + 1) * (from + to) / 2) }

	// The first burst; the relayer is killed -9 once it has delivered
	// some of it, and the second burst is sent while it is down.
	const n = 40
	mustSend(t, a, devKey(t, a), transfers(1, n, 10*time.Minute)...)
	waitFor(t, "something received on B", func() (bool, string) {
		got := balance(t, cb, bob, voucher)
		return got > 0, fmt.Sprint(got)
	})
	killed := relayerPID(t, c)
	if err := syscall.Kill(killed, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	t.Logf("relayer killed with %d of %d GEM received on B and %d packets pending on A", balance(t, cb, bob, voucher), sum(1, n), pending(t, ca, r.AClient))
	mustSend(t, a, devKey(t, a), transfers(n+1, n, 10*time.Minute)...)
	waitFor(t, "the relayer restarted by the cloud", func() (bool, string) {
		l, err := c.ListRelayers(ctx)
		if err != nil || len(l) != 1 {
			return false, fmt.Sprint(l, err)
		}
		return l[0].Running && l[0].PID != killed && l[0].Restarts == 1 && strings.Contains(l[0].LastExit, "signal 9"), fmt.Sprintf("%+v", l[0])
	})
	waitFor(t, "both bursts delivered and acknowledged", func() (bool, string) {
		got, p := balance(t, cb, bob, voucher), pending(t, ca, r.AClient)
		return got == sum(1, 2*n) && p == 0, fmt.Sprintf("bob has %d of %d, %d pending on A", got, sum(1, 2*n), p)
	})
	checkSupply(sum(1, 2*n))
	for seq := uint64(1); seq <= 2*n; seq++ {
		if !found(t, cb, "receipt", r.BClient, seq) || !found(t, cb, "acknowledgement", r.BClient, seq) {
			t.Fatalf("packet %d: no receipt or ack on B", seq)
		}
	}

	// A packet with its timeout inside the relayer's receive margin is
	// left to time out, and the timeout refunds it.
	before := balance(t, ca, devA, "GEM")
	mustSend(t, a, devKey(t, a), transfers(1000, 1, 2*time.Second)...)
	if got := balance(t, ca, devA, "GEM"); got != before-1000 {
		t.Fatalf("dev's GEM after the send %d, want %d", got, before-1000)
	}
	waitFor(t, "the packet timed out and refunded", func() (bool, string) {
		got, p := balance(t, ca, devA, "GEM"), pending(t, ca, r.AClient)
		return got == before && p == 0, fmt.Sprintf("dev has %d of %d, %d pending", got, before, p)
	})
	if found(t, cb, "receipt", r.BClient, 2*n+1) || balance(t, cb, bob, voucher) != sum(1, 2*n) {
		t.Fatal("the timed-out packet was received on B")
	}
	checkSupply(sum(1, 2*n))

	// Back B→A: the vouchers burn on B and the escrow releases to dev.
	const back = 500
	bc := icCall(t, "transfer", interchain.TransferArgs{SourceClient: r.BClient, Denom: voucher, Amount: codec.NewU128(back),
		Receiver: devA.String(), TimeoutTimestamp: uint64(time.Now().Add(10 * time.Minute).Unix())})
	mustSend(t, b, bobKey, bc)
	waitFor(t, "vouchers home", func() (bool, string) {
		got, p := balance(t, ca, devA, "GEM"), pending(t, cb, r.BClient)
		return got == before+back && p == 0, fmt.Sprintf("dev has %d of %d, %d pending on B", got, before+back, p)
	})
	if got := balance(t, cb, bob, voucher); got != sum(1, 2*n)-back {
		t.Fatalf("bob's vouchers %d, want %d", got, sum(1, 2*n)-back)
	}
	checkSupply(sum(1, 2*n) - back)

	// A contract message: A's xcounter sends an increment to B's, whose
	// on_recv counts it and acknowledges with its new value, which A's
	// on_ack records.
	xa, xb := deploy(t, a, "xcounter"), deploy(t, b, "xcounter")
	res := mustSend(t, a, devKey(t, a), moduleCall(t, xa, "increment", struct {
		Client, Remote  string
		By, TimeoutSecs uint64
	}{r.AClient, xb.String(), 5, 600}))
	var seq string
	if err := json.Unmarshal(res[0], &seq); err != nil {
		t.Fatalf("increment result %s: %v", res[0], err)
	}
	waitFor(t, "the increment acknowledged on A", func() (bool, string) {
		var sent struct {
			Status      uint8  `json:"status"`
			RemoteValue string `json:"remote_value"`
			Error       string `json:"error"`
		}
		readJSON(t, ca, xa.String(), "sent", map[string]any{"client": r.AClient, "sequence": seq}, &sent)
		return sent.Status == 1 && sent.RemoteValue == "5", fmt.Sprintf("%+v", sent)
	})
	var stats struct {
		Count    string `json:"count"`
		Received string `json:"received"`
	}
	readJSON(t, cb, xb.String(), "get", map[string]any{}, &stats)
	if stats.Count != "5" || stats.Received != "1" {
		t.Fatalf("B's xcounter %+v: want count 5 from one packet", stats)
	}

	// The relayer's metrics, and the CLI's view of it.
	resp, err := http.Get("http://" + relayerOf(t, c).MetricsAddr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	for _, m := range []string{"vsys_relay_packets_total", `vsys_relay_client_expiry_seconds{chain="a",client="` + r.AClient + `"}`} {
		if !strings.Contains(string(metrics), m) {
			t.Fatalf("relayer metrics without %s:\n%s", m, metrics)
		}
	}
	out, err := exec.Command(vsysdBin, "cloud", "relay", "list", "--home", dir).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "ab") || !strings.Contains(string(out), r.AClient) || !strings.Contains(string(out), "true") {
		t.Fatalf("cloud relay list: %v\n%s", err, out)
	}
	out, err = exec.Command(vsysdBin, "cloud", "relay", "create", "ba", "--a", "beta", "--home", dir).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "--a and --b") {
		t.Fatalf("cloud relay create without --b: %v\n%s", err, out)
	}

	// The control plane killed -9 leaves the relayer running; started
	// again it adopts it.
	pid := relayerPID(t, c)
	cp.kill()
	cp = startControlPlane(t, dir)
	c = apiClient(t, dir, cfg)
	l, err := c.ListRelayers(ctx)
	if err != nil || len(l) != 1 || !l[0].Adopted || l[0].PID != pid {
		t.Fatalf("after the control plane's restart: %+v %v, want relayer pid %d adopted", l, err, pid)
	}
	if err := c.DeleteRelayer(ctx, "ab"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat((state.Home{Dir: dir}).RelayerDir("ab")); !os.IsNotExist(err) {
		t.Fatalf("relayer dir after delete: %v", err)
	}
	if b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid)); strings.Contains(string(b), dir) {
		t.Fatalf("relayer pid %d alive after delete", pid) // a zombie's cmdline is empty
	}

	// A relayer whose client expired (its process stopped past the
	// trusting period) halts, saying so, and is not restarted.
	x, err := c.CreateRelayer(ctx, api.CreateRelayerRequest{Name: "short", A: "alpha", B: "beta", TrustingPeriod: "6s"})
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Kill(x.PID, syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	time.Sleep(7 * time.Second) // the trusting period passes on both chains with no update
	if err := syscall.Kill(x.PID, syscall.SIGCONT); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the relayer halted on the expired client", func() (bool, string) {
		l, err := c.ListRelayers(ctx)
		if err != nil || len(l) != 1 {
			return false, fmt.Sprint(l, err)
		}
		return l[0].Halted && !l[0].Running && strings.Contains(l[0].LastExit, "client expired") && l[0].Restarts == 0, fmt.Sprintf("%+v", l[0])
	})
	if err := c.DeleteRelayer(ctx, "short"); err != nil {
		t.Fatal(err)
	}
	testMisbehaviourInTheCloud(t, c, dir, a, b)
}

// testMisbehaviourInTheCloud: two conflicting headers of beta, the real
// one and a fork signed in the test with beta's validator key (in the
// cloud home), freeze alpha's client of beta; the cloud's relayer of
// that pair halts saying so, and a transfer through the client is
// refused.
func testMisbehaviourInTheCloud(t *testing.T, c *api.Client, dir string, a, b api.Chain) {
	ctx := context.Background()
	r, err := c.CreateRelayer(ctx, api.CreateRelayerRequest{Name: "mb", A: "alpha", B: "beta"})
	if err != nil {
		t.Fatal(err)
	}
	var ci struct { // interchain.ClientInfo in the ABI's JSON (u64 as strings)
		Status       string `json:"status"`
		LatestHeight uint64 `json:"latest_height,string"`
		FrozenHeight uint64 `json:"frozen_height,string"`
	}
	readJSON(t, client.New(a.RPCAddr), "interchain", "client", map[string]any{"client_id": r.AClient, "now": "0"}, &ci)
	src, err := fetch.New(ctx, fmt.Sprintf("http://127.0.0.1:%d", b.Ports.CometRPC), "beta")
	if err != nil {
		t.Fatal(err)
	}
	latest, err := src.LatestHeight(ctx)
	if err != nil {
		t.Fatal(err)
	}
	real, err := src.Header(ctx, latest, ci.LatestHeight)
	if err != nil {
		t.Fatal(err)
	}
	key, err := lctest.LoadKey(filepath.Join((state.Home{Dir: dir}).NodeHome("beta"), "config", "priv_validator_key.json"))
	if err != nil {
		t.Fatal(err)
	}
	fork := *real
	fork.SignedHeader = lctest.Fork(real.SignedHeader, lctest.WithKeys(real.ValidatorSet, key), []byte("forged"))
	mb, err := lightclient.EncodeMisbehaviour(&lightclient.Misbehaviour{Header1: real, Header2: &fork})
	if err != nil {
		t.Fatal(err)
	}
	mustSend(t, a, devKey(t, a), icCall(t, "submit_misbehaviour", interchain.MisbehaviourArgs{ClientID: r.AClient, Misbehaviour: mb}))

	readJSON(t, client.New(a.RPCAddr), "interchain", "client", map[string]any{"client_id": r.AClient, "now": "0"}, &ci)
	if ci.Status != "Frozen" || ci.FrozenHeight == 0 {
		t.Fatalf("alpha's client of beta after the misbehaviour: %+v", ci)
	}
	waitFor(t, "the relayer halted on the frozen client", func() (bool, string) {
		for _, x := range mustList(t, c) {
			if x.Name == "mb" {
				return x.Halted && !x.Running && strings.Contains(x.LastExit, "frozen"), fmt.Sprintf("%+v", x)
			}
		}
		return false, "no relayer mb"
	})
	cctx, cancel := context.WithTimeout(ctx, deadline)
	defer cancel()
	_, err = client.New(a.RPCAddr).Send(cctx, devKey(t, a), []tx.Call{icCall(t, "transfer", interchain.TransferArgs{SourceClient: r.AClient,
		Denom: "VSYS", Amount: codec.NewU128(1), Receiver: address.Derive("after-freeze", nil).String(),
		TimeoutTimestamp: uint64(time.Now().Add(time.Minute).Unix())})}, client.SendOptions{})
	if err == nil || !strings.Contains(strings.ToLower(err.Error()), "frozen") {
		t.Fatalf("a transfer through a frozen client: %v, want it refused", err)
	}
}

func mustList(t *testing.T, c *api.Client) []api.Relayer {
	t.Helper()
	l, err := c.ListRelayers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// relayerOf is the cloud's one relayer, running.
func relayerOf(t *testing.T, c *api.Client) api.Relayer {
	t.Helper()
	l, err := c.ListRelayers(context.Background())
	if err != nil || len(l) != 1 || !l[0].Running {
		t.Fatalf("relayers: %+v %v", l, err)
	}
	return l[0]
}

func relayerPID(t *testing.T, c *api.Client) int { t.Helper(); return relayerOf(t, c).PID }

// killRelayers kills the relayer processes the cloud home records.
func killRelayers(t *testing.T, dir string) {
	rs, err := (state.Home{Dir: dir}).Relayers()
	if err != nil {
		t.Log(err)
	}
	for _, r := range rs {
		if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", r.PID)); err == nil && strings.Contains(string(b), dir) {
			_ = syscall.Kill(r.PID, syscall.SIGKILL)
		}
	}
}

func mustSend(t *testing.T, ch api.Chain, key ed25519.PrivateKey, calls ...tx.Call) []json.RawMessage {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), deadline)
	defer cancel()
	sent, err := client.New(ch.RPCAddr).Send(ctx, key, calls, client.SendOptions{})
	if err != nil {
		t.Fatalf("chain %s: send: %v", ch.Name, err)
	}
	if sent.Tx.Status != "ok" {
		t.Fatalf("chain %s: tx %s: %s", ch.Name, sent.Tx.Status, sent.Tx.Log)
	}
	return sent.Tx.Results
}

// deploy uploads and instantiates a contract of contracts/artifacts on
// ch from its dev key.
func deploy(t *testing.T, ch api.Chain, artifact string) address.Address {
	t.Helper()
	res := mustSend(t, ch, devKey(t, ch), moduleCall(t, wasm.Address, "upload", wasm.UploadArgs{Code: testkit.Artifact(t, artifact)}))
	var hash rpc.HexBytes
	if err := json.Unmarshal(res[0], &hash); err != nil {
		t.Fatalf("upload result %s: %v", res[0], err)
	}
	res = mustSend(t, ch, devKey(t, ch), moduleCall(t, wasm.Address, "instantiate", wasm.InstantiateArgs{CodeHash: hash, Label: artifact}))
	var a string
	if err := json.Unmarshal(res[0], &a); err != nil {
		t.Fatalf("instantiate result %s: %v", res[0], err)
	}
	addr, err := address.Parse(a)
	if err != nil {
		t.Fatal(err)
	}
	return addr
}

// readJSON runs a read-only method and decodes its JSON result.
func readJSON(t *testing.T, c *client.Client, contract, method string, args, out any) {
	t.Helper()
	res, err := c.Call(context.Background(), contract, method, args, 0)
	if err != nil {
		t.Fatalf("%s.%s: %v", contract, method, err)
	}
	if err := json.Unmarshal(res.Result, out); err != nil {
		t.Fatalf("%s.%s: %s: %v", contract, method, res.Result, err)
	}
}

func moduleCall(t *testing.T, to address.Address, method string, args any) tx.Call {
	t.Helper()
	b, err := codec.Marshal(args)
	if err != nil {
		t.Fatal(err)
	}
	return tx.Call{Contract: to, Method: method, Args: b}
}

func tokenCall(t *testing.T, method string, args any) tx.Call {
	return moduleCall(t, token.Address, method, args)
}

func icCall(t *testing.T, method string, args any) tx.Call {
	return moduleCall(t, interchain.Address, method, args)
}

// u128Call is a read-only method's u128 result (it fits in 64 bits here).
func u128Call(t *testing.T, c *client.Client, contract, method string, args any) uint64 {
	t.Helper()
	res, err := c.Call(context.Background(), contract, method, args, 0)
	if err != nil {
		t.Fatalf("%s.%s: %v", contract, method, err)
	}
	var x codec.U128
	if err := json.Unmarshal(res.Result, &x); err != nil || x.Hi != 0 {
		t.Fatalf("%s.%s: %s: %v", contract, method, res.Result, err)
	}
	return x.Lo
}

// balance is who's balance of tok, 0 if it holds none (or tok does not
// exist yet: a voucher before its first arrival).
func balance(t *testing.T, c *client.Client, who address.Address, tok string) uint64 {
	t.Helper()
	acc, err := c.GetAccount(context.Background(), who, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range acc.Balances {
		if b.Token == tok {
			return b.Amount.Lo
		}
	}
	return 0
}

func pending(t *testing.T, c *client.Client, clientID string) int {
	t.Helper()
	res, err := c.Call(context.Background(), "interchain", "pending", map[string]any{"client_id": clientID, "start_sequence": "0", "limit": "1000"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	var ps []json.RawMessage
	if err := json.Unmarshal(res.Result, &ps); err != nil {
		t.Fatal(err)
	}
	return len(ps)
}

// found: the receipt or acknowledgement of seq is in the chain's state.
func found(t *testing.T, c *client.Client, method, clientID string, seq uint64) bool {
	t.Helper()
	res, err := c.Call(context.Background(), "interchain", method, map[string]any{"client_id": clientID, "sequence": seq}, 0)
	if err != nil {
		t.Fatal(err)
	}
	var e struct {
		Found bool     `json:"found"`
		Entry struct { // acknowledgement's: the entry and the ack
			Found bool `json:"found"`
		} `json:"entry"`
	}
	if err := json.Unmarshal(res.Result, &e); err != nil {
		t.Fatalf("%s: %s: %v", method, res.Result, err)
	}
	return e.Found || e.Entry.Found
}
