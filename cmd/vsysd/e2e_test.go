package main

// End-to-end tests of the real vsysd binary: init, start as a child
// process, drive it with the CLI and raw JSON-RPC, kill -9 it, restart it.

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/rand"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/keys"
	"github.com/vsys/vsys/core/tx"
	"github.com/vsys/vsys/internal/testkit"
	"github.com/vsys/vsys/modules/database"
	"github.com/vsys/vsys/modules/token"
	"github.com/vsys/vsys/rpc"
	"github.com/vsys/vsys/rpc/client"
)

var vsysdBin string

func TestMain(m *testing.M) { os.Exit(testkit.RunWithBinary(m, testkit.VsysdPackage, &vsysdBin)) }

// chain is a home initialised by `vsysd init`.
type chain struct {
	t       *testing.T
	home    string
	rpc     string
	metrics string
	proc    *exec.Cmd
	log     *bytes.Buffer

	// cometRPC is CometBFT's RPC (host:port), where light clients read headers.
	cometRPC string
}

func newChain(t *testing.T) *chain { t.Helper(); return newChainID(t, "e2e-chain") }

// newChainID is newChain with another chain id (two chains, one test).
func newChainID(t *testing.T, chainID string) *chain {
	t.Helper()
	c := &chain{t: t, home: t.TempDir(), rpc: testkit.FreeAddr(t), metrics: testkit.FreeAddr(t), cometRPC: testkit.FreeAddr(t)}
	c.run("init", "--chain-id", chainID, "--block-interval", "200ms", "--rpc-addr", c.rpc,
		"--comet-rpc-laddr", "tcp://"+c.cometRPC, "--p2p-laddr", testkit.FreeTCPAddr(t), "--metrics-addr", c.metrics)
	return c
}

// run executes a vsysd command against the chain and returns its stdout.
func (c *chain) run(args ...string) string {
	c.t.Helper()
	out, err := c.try(args...)
	require.NoError(c.t, err, "vsysd %s:\n%s", strings.Join(args, " "), out)
	return out
}

func (c *chain) try(args ...string) (string, error) {
	cmd := exec.Command(vsysdBin, append(args, "--home", c.home)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	return stdout.String() + stderr.String(), err
}

func (c *chain) start() {
	c.t.Helper()
	c.log = &bytes.Buffer{}
	c.proc = exec.Command(vsysdBin, "start", "--home", c.home)
	c.proc.Stdout, c.proc.Stderr = c.log, c.log
	require.NoError(c.t, c.proc.Start())
	cl := client.New(c.rpc)
	require.Eventually(c.t, func() bool {
		h, err := cl.BlockNumber(context.Background())
		return err == nil && h >= 1
	}, 60*time.Second, 100*time.Millisecond, "node did not start:\n%s", c.log)
}

func (c *chain) stop(sig syscall.Signal) {
	c.t.Helper()
	if c.proc == nil {
		return
	}
	require.NoError(c.t, c.proc.Process.Signal(sig))
	_ = c.proc.Wait()
	c.proc = nil
}

// TestCLITour is the README's tour: keys, a transfer, balances, a token,
// JSON-RPC by hand.
func TestCLITour(t *testing.T) {
	c := newChain(t)
	c.start()
	defer c.stop(syscall.SIGTERM)

	aliceAddr := strings.TrimSpace(c.run("keys", "add", "alice", "--keyring-backend", "test", "--output", "json"))
	require.Contains(t, aliceAddr, "vsys1")
	alice := strings.TrimSpace(c.run("keys", "show", "alice", "--address", "--keyring-backend", "test"))
	require.True(t, strings.HasPrefix(alice, "vsys1"), alice)

	out := c.run("tx", "token", "send", "alice", "1000", "--from", "dev", "--keyring-backend", "test")
	require.Contains(t, out, "status ok")
	require.Contains(t, out, "event  transfer")
	require.Equal(t, "1000 VSYS\n", c.run("query", "token", "balance", alice, "VSYS"))

	// alice creates a token, issues it, sends some back to dev.
	c.run("tx", "token", "send", "alice", "5000000", "--from", "dev", "--keyring-backend", "test")
	c.run("tx", "token", "create", "GEM", "Gemstone", "2", "1000000", "--from", "alice", "--keyring-backend", "test")
	c.run("tx", "token", "issue", "5000GEM", "--from", "alice", "--keyring-backend", "test")
	c.run("tx", "token", "send", "dev", "1500GEM", "--from", "alice", "--keyring-backend", "test")
	require.Contains(t, c.run("query", "token", "balance", "dev", "--keyring-backend", "test"), "1500 GEM")
	info := c.run("query", "token", "info", "GEM", "--output", "json")
	require.Contains(t, info, `"supply": "500000"`) // JSON is in the smallest unit: GEM has 2 decimals

	// A failing tx: clear error, non-zero exit.
	out, err := c.try("tx", "token", "send", "dev", "999999999GEM", "--from", "alice", "--keyring-backend", "test")
	require.Error(t, err)
	require.Contains(t, out, "insufficient funds")

	// The tx query by hash.
	js := c.run("tx", "token", "send", "alice", "1", "--from", "dev", "--keyring-backend", "test", "--output", "json")
	var sent struct {
		Hash   string `json:"hash"`
		Height int64  `json:"height"`
	}
	require.NoError(t, json.Unmarshal([]byte(js), &sent))
	require.Contains(t, c.run("query", "tx", sent.Hash), fmt.Sprintf("height %d", sent.Height))
	require.Contains(t, c.run("status"), "e2e-chain")

	// JSON-RPC by hand, as curl would.
	post := func(body string) map[string]any {
		resp, err := http.Post("http://"+c.rpc, "application/json", strings.NewReader(body))
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		var m map[string]any
		require.NoError(t, json.Unmarshal(b, &m), string(b))
		return m
	}
	acc := post(`{"jsonrpc":"2.0","id":1,"method":"vsys_getAccount","params":["` + alice + `"]}`)
	require.Contains(t, fmt.Sprint(acc["result"]), "GEM")
	bad := post(`this is not json`)
	require.Equal(t, float64(-32700), bad["error"].(map[string]any)["code"])
	wrong := post(`{"jsonrpc":"2.0","id":2,"method":"vsys_getAccount","params":[12345]}`)
	require.Equal(t, float64(-32602), wrong["error"].(map[string]any)["code"])
	require.Contains(t, wrong["error"].(map[string]any)["message"], "param 1: want a bech32 address string, got a JSON number")
	batch := postRaw(t, c.rpc, `[{"jsonrpc":"2.0","id":1,"method":"vsys_chainId"},{"jsonrpc":"2.0","id":2,"method":"vsys_nope"}]`)
	require.JSONEq(t, `[{"jsonrpc":"2.0","result":"e2e-chain","id":1},{"jsonrpc":"2.0","error":{"code":-32601,"message":"Method not found: \"vsys_nope\""},"id":2}]`, batch)
	unknown := post(`{"jsonrpc":"2.0","id":3,"method":"vsys_nope"}`)
	require.Equal(t, float64(-32601), unknown["error"].(map[string]any)["code"])
	call := post(`{"jsonrpc":"2.0","id":4,"method":"vsys_call","params":[{"contract":"token","method":"balance","args":{"address":"` + alice + `","token":"GEM"}}]}`)
	require.Equal(t, "350000", call["result"].(map[string]any)["result"])
	// Prometheus: CometBFT's metrics and the app's, on one port.
	resp, err := http.Get("http://" + c.metrics + "/metrics")
	require.NoError(t, err)
	metrics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, m := range []string{`vsys_txs_total{result="ok"}`, "vsys_gas_used_total", "vsys_block_execution_seconds_count", "cometbft_consensus_height"} {
		require.True(t, strings.Contains(string(metrics), m), "metric %s missing", m)
	}

	// The same methods over a WebSocket.
	ws, _, err := websocket.DefaultDialer.Dial("ws://"+c.rpc+"/ws", nil)
	require.NoError(t, err)
	require.NoError(t, ws.WriteJSON(map[string]any{"jsonrpc": "2.0", "id": 9, "method": "vsys_chainId"}))
	var wsResp map[string]any
	require.NoError(t, ws.ReadJSON(&wsResp))
	require.Equal(t, "e2e-chain", wsResp["result"])
	ws.Close()

	rawBad := post(`{"jsonrpc":"2.0","id":5,"method":"vsys_sendRawTransaction","params":["0x0102"]}`)
	e := rawBad["error"].(map[string]any)
	require.Equal(t, float64(-32001), e["code"], "malformed tx is code 1")
	require.Contains(t, e["message"], "malformed")
}

func postRaw(t *testing.T, addr, body string) string {
	t.Helper()
	resp, err := http.Post("http://"+addr, "application/json", strings.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return string(b)
}

// TestWasmTour is the README's contract tour: upload the token contract
// built from contracts/, instantiate it, issue, send, query — with the CLI.
func TestWasmTour(t *testing.T) {
	wasmFile := artifactPath(t, "token")
	c := newChain(t)
	c.start()
	defer c.stop(syscall.SIGTERM)
	kt := []string{"--from", "dev", "--keyring-backend", "test"}
	hash := outputField(t, c.run(append([]string{"tx", "wasm", "upload", wasmFile}, kt...)...), "code_hash")
	require.Contains(t, c.run("query", "wasm", "code", hash), "init args    struct{name:string,symbol:string,decimals:u8,max_supply:u128}")
	tok := outputField(t, c.run(append([]string{"tx", "wasm", "instantiate", hash, "gem", `{"name":"Gem","symbol":"GEM","decimals":2,"max_supply":"1000000"}`, "--funds", "100000"}, kt...)...), "contract")
	c.run(append([]string{"tx", "wasm", "execute", tok, "issue", `{"amount":"5000"}`}, kt...)...)
	c.run("keys", "add", "alice", "--keyring-backend", "test")
	alice := strings.TrimSpace(c.run("keys", "show", "alice", "--address", "--keyring-backend", "test"))
	out := c.run(append([]string{"tx", "wasm", "execute", tok, "send", `{"to":"` + alice + `","amount":"1500"}`}, kt...)...)
	require.Contains(t, out, "event  transfer amount=1500")
	require.Equal(t, "\"1500\"\n", c.run("query", "wasm", "call", tok, "balance", `{"address":"`+alice+`"}`))
	require.Contains(t, c.run("query", "wasm", "contract", tok), "label    gem")

	// Errors are clear and change nothing: over-balance, non-admin migrate.
	out, err := c.try(append([]string{"tx", "wasm", "execute", tok, "send", `{"to":"` + alice + `","amount":"999999"}`}, kt...)...)
	require.Error(t, err)
	require.Contains(t, out, "insufficient")
	c.run("tx", "token", "send", "alice", "1000000", "--from", "dev", "--keyring-backend", "test")
	out, err = c.try("tx", "wasm", "migrate", tok, hash, "--from", "alice", "--keyring-backend", "test")
	require.Error(t, err)
	require.Contains(t, out, "only the admin")
	require.Equal(t, "\"1500\"\n", c.run("query", "wasm", "call", tok, "balance", `{"address":"`+alice+`"}`))

	// An infinite loop on a real node: out of gas, the gas is paid, and the
	// chain keeps making blocks.
	advFile := artifactPath(t, "adversarial")
	advHash := outputField(t, c.run(append([]string{"tx", "wasm", "upload", advFile}, kt...)...), "code_hash")
	adv := outputField(t, c.run(append([]string{"tx", "wasm", "instantiate", advHash, "adv"}, kt...)...), "contract")
	out, err = c.try(append([]string{"tx", "wasm", "execute", adv, "loop_forever", "--gas", "2000000"}, kt...)...)
	require.Error(t, err)
	require.Contains(t, out, "out of gas")
	require.Contains(t, out, "gas    2000000 used of 2000000")
	cl := client.New(c.rpc)
	h0, err := cl.BlockNumber(context.Background())
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		h, err := cl.BlockNumber(context.Background())
		return err == nil && h >= h0+2
	}, 30*time.Second, 100*time.Millisecond, "the chain must keep producing blocks")
}

// TestKill9KeepsCommittedTxs kills the node with SIGKILL at random moments
// under load; after each restart every tx seen committed is still there.
func TestKill9KeepsCommittedTxs(t *testing.T) {
	if testing.Short() {
		t.Skip("kills and restarts a node several times")
	}
	c := newChain(t)
	kr, err := keys.Open(c.home, keys.BackendTest, nil)
	require.NoError(t, err)
	dev, err := kr.Signer("dev")
	require.NoError(t, err)
	rng := rand.New(rand.NewSource(7))
	to := address.Derive("kill9", nil)
	var committed [][]byte
	var total uint64
	for round := 0; round < 3; round++ {
		c.start()
		cl := client.New(c.rpc)
		ctx, cancel := context.WithCancel(context.Background())
		pause := time.Duration(1500+rng.Intn(1500)) * time.Millisecond
		load := rand.New(rand.NewSource(int64(round)))
		done := make(chan struct{})
		go func() { // steady load until the kill
			defer close(done)
			for ctx.Err() == nil {
				amount := uint64(load.Intn(100) + 1)
				args, _ := codec.Marshal(token.SendArgs{Token: "VSYS", To: to, Amount: codec.NewU128(amount)})
				sent, err := cl.Send(ctx, dev, []tx.Call{{Contract: token.Address, Method: "send", Args: args}}, client.SendOptions{})
				if err == nil && sent.Tx != nil && sent.Tx.Status == "ok" {
					committed = append(committed, sent.Hash)
					total += amount
				}
			}
		}()
		time.Sleep(pause)
		c.stop(syscall.SIGKILL)
		cancel()
		<-done
	}
	c.start()
	defer c.stop(syscall.SIGTERM)
	cl := client.New(c.rpc)
	require.NotEmpty(t, committed)
	for _, h := range committed {
		got, err := cl.GetTransaction(context.Background(), h)
		require.NoError(t, err)
		require.NotNil(t, got, "committed tx %x lost", h)
	}
	acc, err := cl.GetAccount(context.Background(), to, 0)
	require.NoError(t, err)
	require.GreaterOrEqual(t, acc.Balances[0].Amount.Cmp(codec.NewU128(total)), 0, "balance lost transfers")
}

// TestDatabaseTour: an account creates a table with the CLI, writes 1,000
// rows, pages through them over JSON-RPC with a cursor (each row exactly
// once), reads one with a proof the client verifies against the block
// header, and sees a tampered row fail verification.
func TestDatabaseTour(t *testing.T) {
	c := newChain(t)
	c.start()
	defer c.stop(syscall.SIGTERM)
	kt := []string{"--from", "dev", "--keyring-backend", "test"}
	c.run(append([]string{"tx", "db", "create-table", "items",
		`{"columns":[{"name":"id","type":"u64"},{"name":"owner","type":"address"},{"name":"status","type":"string"},{"name":"note","type":"option<string>"}],` +
			`"primary_key":["id"],"indexes":[{"name":"by_owner","columns":["owner"]},{"name":"by_status","columns":["status","id"]}]}`}, kt...)...)
	dev := strings.TrimSpace(c.run("keys", "show", "dev", "--address", "--keyring-backend", "test"))
	require.Contains(t, c.run("query", "db", "tables", dev), "items")
	require.Contains(t, c.run("query", "db", "schema", dev, "items"), "index by_owner (owner)")

	out := c.run(append([]string{"tx", "db", "insert", "items", `{"id":"1","owner":"` + dev + `","status":"new","note":"first"}`}, kt...)...)
	require.Contains(t, out, "event  row_inserted")
	// Bad input: a row of the wrong type, a duplicate key.
	out, err := c.try(append([]string{"tx", "db", "insert", "items", `{"id":"x","owner":"` + dev + `","status":"new"}`}, kt...)...)
	require.Error(t, err)
	require.Contains(t, out, "u64")
	out, err = c.try(append([]string{"tx", "db", "insert", "items", `{"id":"1","owner":"` + dev + `","status":"dup"}`}, kt...)...)
	require.Error(t, err)
	require.Contains(t, out, "duplicate key")

	// 999 more rows, 50 to a tx, through the Go client.
	kr, err := keys.Open(c.home, keys.BackendTest, nil)
	require.NoError(t, err)
	devKey, err := kr.Signer("dev")
	require.NoError(t, err)
	devAddr, err := address.Parse(dev)
	require.NoError(t, err)
	cl := client.New(c.rpc)
	type row struct {
		ID     uint64
		Owner  address.Address
		Status string
		Note   *string
	}
	for start := uint64(2); start <= 1000; start += 50 {
		var calls []tx.Call
		for id := start; id < start+50 && id <= 1000; id++ {
			status := []string{"new", "shipped", "lost"}[id%3]
			b, _ := codec.Marshal(database.RowArgs{Owner: devAddr, Table: "items", Row: mustCodec(t, row{ID: id, Owner: devAddr, Status: status})})
			calls = append(calls, tx.Call{Contract: database.Address, Method: "insert", Args: b})
		}
		sent, err := cl.Send(context.Background(), devKey, calls, client.SendOptions{})
		require.NoError(t, err)
		require.Equal(t, "ok", sent.Tx.Status, sent.Tx.Log)
	}

	// Page through all 1,000 by primary key, 37 at a time, at one height.
	seen := map[string]bool{}
	req := rpc.QueryRequest{TableRef: rpc.TableRef{Owner: devAddr, Table: "items"}, Limit: 37}
	pages := 0
	for {
		res, err := cl.QueryTable(context.Background(), req)
		require.NoError(t, err)
		pages++
		for _, r := range res.Rows {
			var v struct {
				ID string `json:"id"`
			}
			require.NoError(t, json.Unmarshal(r, &v))
			require.False(t, seen[v.ID], "row %s twice", v.ID)
			seen[v.ID] = true
		}
		if len(res.Cursor) == 0 {
			break
		}
		req.Cursor, req.Height = res.Cursor, rpc.Height(res.Height)
	}
	require.Len(t, seen, 1000)
	require.Equal(t, 28, pages) // ceil(1000/37)

	// An index range with a filter, newest first.
	out = c.run("query", "db", "scan", dev, "items", "--index", "by_status", "--prefix", `{"status":"lost"}`,
		"--lower", `"990"`, "--reverse", "--where", `note eq null`)
	require.Equal(t, []string{"998", "995", "992"}, idsOf(t, out))
	// Bad input: an unknown index, a tampered cursor.
	_, err = cl.QueryTable(context.Background(), rpc.QueryRequest{TableRef: rpc.TableRef{Owner: devAddr, Table: "items"}, Index: "by_nothing"})
	require.ErrorContains(t, err, "no index")
	bad := rpc.QueryRequest{TableRef: rpc.TableRef{Owner: devAddr, Table: "items"}, Limit: 2}
	first, err := cl.QueryTable(context.Background(), bad)
	require.NoError(t, err)
	bad.Cursor = append([]byte(nil), first.Cursor...)
	bad.Cursor[len(bad.Cursor)-1] ^= 1
	_, err = cl.QueryTable(context.Background(), bad)
	require.ErrorContains(t, err, "invalid query")

	// A proven row, verified by the client from a trust root recorded on
	// first contact; tampering is caught (TestLyingNodeIsCaught in
	// app/rpc/client tries every lie against the light client).
	out = c.run("query", "db", "row", dev, "items", `{"id":"1"}`, "--prove")
	require.Contains(t, out, "trust root recorded on first contact")
	require.Contains(t, out, "proof verified against app hash")
	out = c.run("query", "db", "row", dev, "items", `{"id":"1"}`, "--prove")
	require.NotContains(t, out, "recorded")
	require.Contains(t, out, "proof verified against app hash")
	v, err := client.NewVerifier(context.Background(), client.VerifierOptions{CometRPC: c.cometRPC,
		TrustFile: client.TrustFile(filepath.Join(c.home, "trust"), "e2e-chain")})
	require.NoError(t, err)
	rowReq := rpc.RowRequest{TableRef: rpc.TableRef{Owner: devAddr, Table: "items"}, Key: json.RawMessage(`{"id":"7"}`), Prove: true}
	res, err := cl.GetRow(context.Background(), rowReq)
	require.NoError(t, err)
	_, err = v.VerifyRow(context.Background(), rowReq, res)
	require.NoError(t, err)
	tampered := *res
	tampered.Row = json.RawMessage(strings.Replace(string(res.Row), `"note":null`, `"note":"forged"`, 1))
	require.NotEqual(t, string(res.Row), string(tampered.Row))
	_, err = v.VerifyRow(context.Background(), rowReq, &tampered)
	require.ErrorIs(t, err, client.ErrProof)
	// An absent row is proven absent.
	rowReq.Key = json.RawMessage(`{"id":"5000"}`)
	res, err = cl.GetRow(context.Background(), rowReq)
	require.NoError(t, err)
	require.Equal(t, "null", string(res.Row))
	got, err := v.VerifyRow(context.Background(), rowReq, res)
	require.NoError(t, err)
	require.Equal(t, "null", string(got.Row))
	// A wrong trust root is refused.
	out, err = c.try("query", "db", "row", dev, "items", `{"id":"1"}`, "--prove", "--trust-height", "1", "--trust-hash", strings.Repeat("ab", 32))
	require.Error(t, err)
	require.Contains(t, out, "header does not verify from the trust root")

	// Another account cannot write the table until granted.
	c.run("keys", "add", "bob", "--keyring-backend", "test")
	c.run("tx", "token", "send", "bob", "10000000", "--from", "dev", "--keyring-backend", "test")
	bobArgs := []string{"tx", "db", "upsert", "items", `{"id":"2000","owner":"` + dev + `","status":"new"}`, "--owner", dev, "--from", "bob", "--keyring-backend", "test"}
	out, err = c.try(bobArgs...)
	require.Error(t, err)
	require.Contains(t, out, "not allowed")
	c.run(append([]string{"tx", "db", "grant", "items", "bob"}, kt...)...)
	c.run(bobArgs...)
	require.Contains(t, c.run("query", "db", "row", dev, "items", `{"id":"2000"}`), `"status":"new"`)

	// Billing: the table's bytes are on dev's bill (bob wrote a row, dev
	// pays for it), with their deposit; fees went to the validator.
	bill, err := cl.GetBill(context.Background(), devAddr, 0)
	require.NoError(t, err)
	var tableBytes uint64
	for _, cat := range bill.Categories {
		if cat.Category == "table/items" {
			tableBytes = cat.Bytes
		}
	}
	require.Positive(t, tableBytes)
	require.Equal(t, codec.NewU128(bill.Bytes), bill.Deposit, "1 unit a byte")
	require.Contains(t, c.run("query", "billing", "bill", "dev", "--keyring-backend", "test"), "table/items")
	var pv struct {
		Address string `json:"address"`
	}
	raw, err := os.ReadFile(filepath.Join(c.home, "config", "priv_validator_key.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(raw, &pv))
	vb, err := hex.DecodeString(pv.Address)
	require.NoError(t, err)
	validator, err := address.FromBytes(vb)
	require.NoError(t, err)
	acc, err := cl.GetAccount(context.Background(), validator, 0)
	require.NoError(t, err)
	require.NotEmpty(t, acc.Balances, "the validator earned the fees")
	require.Positive(t, acc.Balances[0].Amount.Lo)
	// The estimate reports the deposit a new row would lock.
	b, _ := codec.Marshal(database.RowArgs{Owner: devAddr, Table: "items", Row: mustCodec(t, row{ID: 3000, Owner: devAddr, Status: "new"})})
	devAcc, err := cl.GetAccount(context.Background(), devAddr, 0)
	require.NoError(t, err)
	probe, err := tx.WithSignature(tx.Body{ChainID: "e2e-chain", PubKey: devKey.Public().(ed25519.PublicKey), Nonce: devAcc.Nonce, GasLimit: 1_000_000, GasPrice: codec.NewU128(1),
		Calls: []tx.Call{{Contract: database.Address, Method: "insert", Args: b}}}, make([]byte, tx.SignatureLen))
	require.NoError(t, err)
	est, err := cl.EstimateGas(context.Background(), probe.Bytes())
	require.NoError(t, err)
	require.True(t, est.OK, est.Error)
	require.Positive(t, est.DepositLocked.Lo, "a new row locks a deposit")
}

func mustCodec(t *testing.T, v any) []byte {
	t.Helper()
	b, err := codec.Marshal(v)
	require.NoError(t, err)
	return b
}

func idsOf(t *testing.T, out string) []string {
	t.Helper()
	var ids []string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var v struct {
			ID string `json:"id"`
		}
		require.NoError(t, json.Unmarshal([]byte(line), &v), line)
		ids = append(ids, v.ID)
	}
	return ids
}
