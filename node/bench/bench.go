package bench

import (
	"bufio"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vsys/vsys/app/genesis"
	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/tx"
	"github.com/vsys/vsys/modules/database"
	"github.com/vsys/vsys/modules/token"
	"github.com/vsys/vsys/modules/wasm"
	"github.com/vsys/vsys/node"
	"github.com/vsys/vsys/node/config"
	"github.com/vsys/vsys/rpc"
	"github.com/vsys/vsys/rpc/client"
	"github.com/vsys/vsys/rpc/jsonrpc"
)

// Options configure one run.
type Options struct {
	Binary        string        // vsysd to run as the node
	App           node.AppKind  // vsys or kvstore
	Accounts      int           // funded senders
	Txs           int           // transfers to submit
	Workers       int           // concurrent submitters
	Batch         int           // txs per JSON-RPC batch
	BlockInterval time.Duration // node's pause between blocks
	Timeout       time.Duration // give up waiting for commits after this
	Log           io.Writer     // progress lines; nil: none
	KeepHome      bool          // leave the node's home for inspection
	CPUProfile    string        // write the node's CPU profile under load here
	WasmToken     string        // with App vsys: send through this token contract (.wasm) instead of the native module
	Rows          int           // with App vsys: each tx inserts this many ~100-byte rows into its sender's table, not a transfer
	Validators    int           // > 1: run a network of this many validators (vsysd testnet) and load node0

	pprofPort int
	Live      bool // Log is a terminal: redraw progress in place
}

// Result is what one run measured.
type Result struct {
	App        node.AppKind  `json:"app"`
	Submitted  int           `json:"submitted"`
	Rejected   int           `json:"rejected"`
	Committed  int           `json:"committed"`
	Failed     int           `json:"failed"` // committed with a non-zero code (vsys only)
	Duration   time.Duration `json:"duration_ns"`
	TPS        float64       `json:"committed_tps"`
	P50        time.Duration `json:"latency_p50_ns"`
	P99        time.Duration `json:"latency_p99_ns"`
	PeakRSSKiB int64         `json:"peak_rss_kib"`
	Blocks     int           `json:"blocks"`
	MaxBlock   int           `json:"max_block_txs"`
	// Rows mode: rows committed per second, and the latency of
	// vsys_queryTable (100 rows by index) sampled while the writes ran.
	RowsPerSec float64       `json:"rows_per_sec,omitempty"`
	Queries    int           `json:"queries,omitempty"`
	QueryP50   time.Duration `json:"query_p50_ns,omitempty"`
	QueryP99   time.Duration `json:"query_p99_ns,omitempty"`
}

func (o *Options) defaults() {
	if o.Accounts <= 0 {
		o.Accounts = 100
	}
	if o.Txs <= 0 {
		o.Txs = 10_000
	}
	if o.Workers <= 0 {
		o.Workers = 4
	}
	if o.Batch <= 0 {
		o.Batch = 200
	}
	if o.BlockInterval == 0 {
		o.BlockInterval = time.Second
	}
	if o.Timeout == 0 {
		o.Timeout = 5 * time.Minute
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
}

// seedKey derives account i's key deterministically, so runs are repeatable.
func seedKey(i int) ed25519.PrivateKey {
	seed := sha256.Sum256(binary.BigEndian.AppendUint64([]byte("vsys-bench"), uint64(i)))
	return ed25519.NewKeyFromSeed(seed[:])
}

// Run performs one benchmark run against a fresh node.
func Run(ctx context.Context, o Options) (*Result, error) {
	o.defaults()
	home, err := os.MkdirTemp("", "vsys-bench-"+string(o.App)+"-")
	if err != nil {
		return nil, err
	}
	if !o.KeepHome {
		defer os.RemoveAll(home)
	}
	keys := make([]ed25519.PrivateKey, o.Accounts)
	deployer := seedKey(-1)
	accounts := []genesis.Account{{Address: address.FromPubKey(deployer.Public().(ed25519.PublicKey)), Balance: codec.NewU128(1 << 60)}}
	for i := range keys {
		keys[i] = seedKey(i)
		accounts = append(accounts, genesis.Account{
			Address: address.FromPubKey(keys[i].Public().(ed25519.PublicKey)),
			Balance: codec.NewU128(1 << 60),
		})
	}
	if pp, err := freePorts(1); err == nil {
		o.pprofPort = pp[0]
	}
	var c *client.Client
	var stop func()
	if o.Validators > 1 {
		c, stop, err = startNetwork(ctx, o, home, accounts)
	} else {
		c, stop, err = startNode(ctx, o, home, accounts)
	}
	if err != nil {
		return nil, err
	}
	defer stop()
	if o.Rows > 0 {
		fmt.Fprintf(o.Log, "[%s] creating a table for each of %d accounts\n", o.label(), o.Accounts)
		if err := createTables(ctx, c, keys); err != nil {
			return nil, fmt.Errorf("create tables: %w", err)
		}
	}
	var tok *address.Address
	if o.WasmToken != "" {
		fmt.Fprintf(o.Log, "[%s] deploying %s and funding %d accounts\n", o.label(), o.WasmToken, o.Accounts)
		a, err := deployToken(ctx, c, deployer, keys, o.WasmToken)
		if err != nil {
			return nil, fmt.Errorf("deploy %s: %w", o.WasmToken, err)
		}
		tok = &a
	}
	fmt.Fprintf(o.Log, "[%s] signing %d transfers from %d accounts\n", o.label(), o.Txs, o.Accounts)
	txs, err := makeTxs(o, keys, tok)
	if err != nil {
		return nil, err
	}
	var profiled chan error
	if o.CPUProfile != "" {
		profiled = make(chan error, 1)
		go func() { profiled <- saveProfile(ctx, pprofAddr(o, o.pprofPort), o.CPUProfile) }()
	}
	res, err := load(ctx, o, c, txs)
	if err != nil {
		return nil, err
	}
	if profiled != nil {
		if err := <-profiled; err != nil {
			return nil, fmt.Errorf("cpu profile: %w", err)
		}
	}
	res.PeakRSSKiB = peakRSSOf(home)
	return res, nil
}

// makeTxs signs the load: tx i comes from account i mod N with that
// account's next nonce and sends 1 unit to the next account.
func makeTxs(o Options, keys []ed25519.PrivateKey, wasmToken *address.Address) ([][]byte, error) {
	out := make([][]byte, o.Txs)
	if o.App == node.AppKVStore {
		for i := range out {
			out[i] = []byte(fmt.Sprintf("bench%09d=%09d", i, i))
		}
		return out, nil
	}
	var wg sync.WaitGroup
	errs := make(chan error, o.Workers)
	for w := 0; w < o.Workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < o.Txs; i += o.Workers {
				from := i % len(keys)
				to := address.FromPubKey(keys[(from+1)%len(keys)].Public().(ed25519.PublicKey))
				calls, nonce, err := []tx.Call(nil), uint64(i/len(keys)), error(nil)
				if o.Rows > 0 {
					calls, err = insertCalls(address.FromPubKey(keys[from].Public().(ed25519.PublicKey)), nonce, o.Rows)
					nonce++ // create_table took nonce 0
				} else {
					var call tx.Call
					call, err = transferCall(to, wasmToken)
					calls = []tx.Call{call}
				}
				if err != nil {
					errs <- err
					return
				}
				// A block holds gas limits up to max_block_gas (2e9): a
				// native transfer (22k gas) limited to 100k lets 20,000 fit.
				perCall := uint64(500_000)
				if o.Rows == 0 && wasmToken == nil {
					perCall = 100_000
				}
				t, err := tx.Sign(tx.Body{
					ChainID: "bench", Nonce: nonce, GasLimit: perCall * uint64(len(calls)), GasPrice: codec.NewU128(1),
					Calls: calls,
				}, keys[from])
				if err != nil {
					errs <- err
					return
				}
				out[i] = t.Bytes()
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	return out, <-errs
}

type tracker struct {
	mu        sync.Mutex
	submitted map[[32]byte]time.Time
	latencies []time.Duration
	rejected  int
	firstErr  error
}

// load submits txs and watches blocks until every accepted tx committed.
func load(ctx context.Context, o Options, c *client.Client, txs [][]byte) (*Result, error) {
	tr := &tracker{submitted: make(map[[32]byte]time.Time, len(txs))}
	res := &Result{App: node.AppKind(o.label())}
	start := time.Now()
	startHeight, err := c.BlockNumber(ctx)
	if err != nil {
		return nil, err
	}

	// Each worker owns the txs of a fixed set of accounts and sends them
	// in nonce order, so no tx reaches CheckTx before its predecessor.
	var wg sync.WaitGroup
	for w := 0; w < o.Workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			var mine [][]byte
			for i := range txs {
				if (i%o.Accounts)%o.Workers == w {
					mine = append(mine, txs[i])
				}
			}
			for len(mine) > 0 && ctx.Err() == nil {
				n := min(o.Batch, len(mine))
				submitBatch(ctx, c, tr, mine[:n])
				mine = mine[n:]
			}
		}(w)
	}
	submitDone := make(chan struct{})
	go func() { wg.Wait(); close(submitDone) }()
	var queryLat []time.Duration
	sampled, stopSampling := make(chan struct{}), make(chan struct{})
	if o.Rows > 0 {
		go func() { // vsys_queryTable while the chain takes the writes
			defer close(sampled)
			owner := address.FromPubKey(seedKey(0).Public().(ed25519.PublicKey))
			q := rpc.QueryRequest{TableRef: rpc.TableRef{Owner: owner, Table: "bench"}, Index: "by_owner",
				Prefix: map[string]any{"owner": rowOwner(0).String()}, Limit: 100}
			for {
				select {
				case <-stopSampling:
					return
				case <-time.After(20 * time.Millisecond):
				}
				t0 := time.Now()
				if _, err := c.QueryTable(ctx, q); err == nil {
					queryLat = append(queryLat, time.Since(t0))
				}
			}
		}()
	} else {
		close(sampled)
	}

	deadline := time.Now().Add(o.Timeout)
	height := startHeight
	printed := int64(-1)
	var lastCommit time.Time
	submitting := true
	for {
		h, err := c.BlockNumber(ctx)
		if err != nil {
			return nil, err
		}
		for height < h {
			height++
			b, err := c.GetBlock(ctx, height)
			if err != nil {
				return nil, err
			}
			now := time.Now()
			res.Blocks++
			res.MaxBlock = max(res.MaxBlock, b.NumTxs)
			tr.mu.Lock()
			for _, th := range b.Txs {
				var k [32]byte
				copy(k[:], th)
				if t0, ok := tr.submitted[k]; ok {
					tr.latencies = append(tr.latencies, now.Sub(t0))
					delete(tr.submitted, k)
					res.Committed++
					lastCommit = now
				}
			}
			tr.mu.Unlock()
		}
		if submitting {
			select {
			case <-submitDone:
				submitting = false
			default:
			}
		}
		tr.mu.Lock()
		pending := len(tr.submitted)
		tr.mu.Unlock()
		switch {
		case o.Live:
			fmt.Fprintf(o.Log, "\r[%s] height %d  committed %d/%d  pending %d   ", o.label(), height, res.Committed, len(txs), pending)
		case height != printed:
			printed = height
			fmt.Fprintf(o.Log, "[%s] height %d  committed %d/%d  pending %d\n", o.label(), height, res.Committed, len(txs), pending)
		}
		if !submitting && pending == 0 {
			break
		}
		if time.Now().After(deadline) {
			fmt.Fprintln(o.Log)
			return nil, fmt.Errorf("%d txs not committed after %s", pending, o.Timeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
	fmt.Fprintln(o.Log)
	if tr.firstErr != nil && res.Committed == 0 {
		return nil, tr.firstErr
	}
	res.Submitted, res.Rejected = len(txs)-tr.rejected, tr.rejected
	res.Duration = lastCommit.Sub(start)
	if res.Duration > 0 {
		res.TPS = float64(res.Committed) / res.Duration.Seconds()
	}
	sort.Slice(tr.latencies, func(i, j int) bool { return tr.latencies[i] < tr.latencies[j] })
	res.P50, res.P99 = percentile(tr.latencies, 0.50), percentile(tr.latencies, 0.99)
	close(stopSampling)
	<-sampled
	if o.Rows > 0 {
		if err := checkRows(ctx, c, o); err != nil {
			return nil, err
		}
		res.RowsPerSec = res.TPS * float64(o.Rows)
		sort.Slice(queryLat, func(i, j int) bool { return queryLat[i] < queryLat[j] })
		res.Queries, res.QueryP50, res.QueryP99 = len(queryLat), percentile(queryLat, 0.50), percentile(queryLat, 0.99)
	}
	if o.App == node.AppVsys {
		res.Failed = countFailed(ctx, c, startHeight+1, height)
	}
	return res, nil
}

func submitBatch(ctx context.Context, c *client.Client, tr *tracker, batch [][]byte) {
	elems := make([]jsonrpc.BatchElem, len(batch))
	hashes := make([][32]byte, len(batch))
	results := make([]rpc.HexBytes, len(batch))
	for i, b := range batch {
		elems[i] = jsonrpc.BatchElem{Method: rpc.MethodSendRawTransaction, Params: []any{rpc.HexBytes(b)}, Result: &results[i]}
		hashes[i] = sha256.Sum256(b)
	}
	now := time.Now()
	tr.mu.Lock()
	for _, h := range hashes {
		tr.submitted[h] = now
	}
	tr.mu.Unlock()
	err := c.RPC().BatchCall(ctx, elems)
	tr.mu.Lock()
	defer tr.mu.Unlock()
	for i, e := range elems {
		if err != nil || e.Error != nil {
			if _, still := tr.submitted[hashes[i]]; still {
				delete(tr.submitted, hashes[i])
				tr.rejected++
				if tr.firstErr == nil {
					tr.firstErr = errors.Join(err, e.Error)
				}
			}
		}
	}
}

// countFailed counts committed txs with a non-zero code, by sampling each
// block's first and last tx (a full scan would itself be a load test).
func countFailed(ctx context.Context, c *client.Client, from, to int64) int {
	failed := 0
	for h := from; h <= to; h++ {
		b, err := c.GetBlock(ctx, h)
		if err != nil || b.NumTxs == 0 {
			continue
		}
		for _, th := range []rpc.HexBytes{b.Txs[0], b.Txs[len(b.Txs)-1]} {
			if t, err := c.GetTransaction(ctx, th); err == nil && t != nil && t.Code != 0 {
				failed++
			}
		}
	}
	return failed
}

func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(float64(len(sorted))*p))]
}

func waitHeight(ctx context.Context, c *client.Client, h int64, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	return c.WaitHeight(ctx, h)
}

func freePorts(n int) ([]int, error) {
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	ports := make([]int, n)
	for i := range ports {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		ls = append(ls, l)
		ports[i] = l.Addr().(*net.TCPAddr).Port
	}
	return ports, nil
}

// peakRSS reads the high-water mark of a process's resident memory.
func peakRSS(pid int) int64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if rest, ok := strings.CutPrefix(s.Text(), "VmHWM:"); ok {
			v, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return v
		}
	}
	return 0
}

func pprofAddr(o Options, port int) string {
	if o.CPUProfile == "" {
		return ""
	}
	return fmt.Sprintf("127.0.0.1:%d", port)
}

// saveProfile records the node's CPU for as long as the load usually
// lasts (5 s) through CometBFT's pprof endpoint.
func saveProfile(ctx context.Context, addr, path string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/debug/pprof/profile?seconds=5", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("pprof: %s", resp.Status)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// label names a run in reports: vsys, wasm (vsys through a token
// contract) or kvstore.
func (o *Options) label() string {
	switch {
	case o.WasmToken != "":
		return "wasm"
	case o.Rows > 0:
		return "rows"
	}
	return string(o.App)
}

// transferCall sends 1 unit to to: through the native token module, or
// through the token contract at wasmToken.
func transferCall(to address.Address, wasmToken *address.Address) (tx.Call, error) {
	if wasmToken != nil {
		args, err := codec.Marshal(struct {
			To     address.Address
			Amount codec.U128
		}{to, codec.NewU128(1)})
		return tx.Call{Contract: *wasmToken, Method: "send", Args: args}, err
	}
	args, err := codec.Marshal(token.SendArgs{Token: "VSYS", To: to, Amount: codec.NewU128(1)})
	return tx.Call{Contract: token.Address, Method: "send", Args: args}, err
}

// deployToken uploads the token contract at path, instantiates it, issues
// its supply to the deployer and gives every bench account a balance.
func deployToken(ctx context.Context, c *client.Client, deployer ed25519.PrivateKey, keys []ed25519.PrivateKey, path string) (address.Address, error) {
	var zero address.Address
	wasmCode, err := os.ReadFile(path)
	if err != nil {
		return zero, err
	}
	mk := func(method string, args any) (tx.Call, error) {
		b, err := codec.Marshal(args)
		return tx.Call{Contract: wasm.Address, Method: method, Args: b}, err
	}
	up, err := mk("upload", wasm.UploadArgs{Code: wasmCode})
	if err != nil {
		return zero, err
	}
	if err := sendOK(ctx, c, deployer, []tx.Call{up}); err != nil {
		return zero, fmt.Errorf("upload: %w", err)
	}
	hash := sha256.Sum256(wasmCode)
	initArgs, err := codec.Marshal(struct {
		Name, Symbol string
		Decimals     uint8
		MaxSupply    codec.U128
	}{"Bench", "BEN", 0, codec.MaxU128})
	if err != nil {
		return zero, err
	}
	inst, err := mk("instantiate", wasm.InstantiateArgs{CodeHash: hash[:], Label: "bench", Args: initArgs})
	if err != nil {
		return zero, err
	}
	// The contract pays the storage deposit of its own state (its record,
	// then a balance row for every account it funds), so it needs native
	// coins from the start: the deployer gives it far more than that.
	inst.Funds = []tx.Coin{{Token: "VSYS", Amount: codec.NewU128(1 << 40)}}
	me := address.FromPubKey(deployer.Public().(ed25519.PublicKey))
	tokAddr := address.Derive("wasm/contract", me[:], hash[:], []byte("bench"))
	issueArgs, _ := codec.Marshal(struct{ Amount codec.U128 }{codec.NewU128(1 << 62)})
	calls := []tx.Call{inst, {Contract: tokAddr, Method: "issue", Args: issueArgs}}
	if err := sendOK(ctx, c, deployer, calls); err != nil {
		return zero, fmt.Errorf("instantiate: %w", err)
	}
	for i := 0; i < len(keys); i += tx.MaxCalls {
		var calls []tx.Call
		for _, k := range keys[i:min(i+tx.MaxCalls, len(keys))] {
			args, _ := codec.Marshal(struct {
				To     address.Address
				Amount codec.U128
			}{address.FromPubKey(k.Public().(ed25519.PublicKey)), codec.NewU128(1 << 40)})
			calls = append(calls, tx.Call{Contract: tokAddr, Method: "send", Args: args})
		}
		if err := sendOK(ctx, c, deployer, calls); err != nil {
			return zero, fmt.Errorf("fund accounts: %w", err)
		}
	}
	return tokAddr, nil
}

func sendOK(ctx context.Context, c *client.Client, key ed25519.PrivateKey, calls []tx.Call) error {
	sent, err := c.Send(ctx, key, calls, client.SendOptions{})
	if err != nil {
		return err
	}
	if sent.Tx != nil && sent.Tx.Status != "ok" {
		return fmt.Errorf("%s", sent.Tx.Log)
	}
	return nil
}

// benchSchema is the rows mode's table: about 100 bytes a row (u64 id,
// address, 60-byte payload) with one secondary index.
var benchSchema = database.Schema{
	Columns:    []database.Column{{Name: "id", Type: "u64"}, {Name: "owner", Type: "address"}, {Name: "payload", Type: "bytes"}},
	PrimaryKey: []string{"id"},
	Indexes:    []database.Index{{Name: "by_owner", Columns: []string{"owner"}}},
}

// rowOwner spreads rows over 16 owners, so an index page holds many rows.
func rowOwner(id uint64) address.Address { return address.Derive("bench-owner", []byte{byte(id % 16)}) }

// insertCalls inserts rows ids [n*rows, (n+1)*rows) into table bench of owner.
func insertCalls(owner address.Address, n uint64, rows int) ([]tx.Call, error) {
	payload := make([]byte, 60)
	calls := make([]tx.Call, rows)
	for r := range calls {
		id := n*uint64(rows) + uint64(r)
		row, err := codec.Marshal(struct {
			ID      uint64
			Owner   address.Address
			Payload []byte
		}{id, rowOwner(id), payload})
		if err != nil {
			return nil, err
		}
		args, err := codec.Marshal(database.RowArgs{Owner: owner, Table: "bench", Row: row})
		if err != nil {
			return nil, err
		}
		calls[r] = tx.Call{Contract: database.Address, Method: "insert", Args: args}
	}
	return calls, nil
}

// createTables has every account create its bench table (nonce 0), all in
// flight at once, and waits for them to commit.
func createTables(ctx context.Context, c *client.Client, keys []ed25519.PrivateKey) error {
	args, err := codec.Marshal(database.CreateTableArgs{Name: "bench", Schema: benchSchema})
	if err != nil {
		return err
	}
	var hashes [][]byte
	for _, k := range keys {
		t, err := tx.Sign(tx.Body{ChainID: "bench", GasLimit: 2_000_000, GasPrice: codec.NewU128(1),
			Calls: []tx.Call{{Contract: database.Address, Method: "create_table", Args: args}}}, k)
		if err != nil {
			return err
		}
		h, err := c.SendRawTransaction(ctx, t.Bytes())
		if err != nil {
			return err
		}
		hashes = append(hashes, h)
	}
	for _, h := range hashes {
		t, err := c.WaitTx(ctx, h)
		if err != nil {
			return err
		}
		if t.Status != "ok" {
			return fmt.Errorf("%s", t.Log)
		}
	}
	return nil
}

// checkRows counts the first account's rows: the load is only a result if
// every insert landed.
func checkRows(ctx context.Context, c *client.Client, o Options) error {
	owner := address.FromPubKey(seedKey(0).Public().(ed25519.PublicKey))
	want := ((o.Txs + o.Accounts - 1) / o.Accounts) * o.Rows
	q := rpc.QueryRequest{TableRef: rpc.TableRef{Owner: owner, Table: "bench"}, Limit: 1000}
	res, err := c.QueryAll(ctx, q)
	if err != nil {
		return fmt.Errorf("count rows: %w", err)
	}
	if got := len(res.Rows); got != want {
		return fmt.Errorf("account 0's table has %d rows, want %d: inserts failed", got, want)
	}
	return nil
}

// startNode starts one vsysd process on a fresh home (the single-node run).
func startNode(ctx context.Context, o Options, home string, accounts []genesis.Account) (*client.Client, func(), error) {
	ports, err := freePorts(5)
	if err != nil {
		return nil, nil, err
	}
	ac := config.Default()
	ac.RPC.Address = fmt.Sprintf("127.0.0.1:%d", ports[0])
	ac.Consensus.BlockInterval = o.BlockInterval.String()
	ac.Metrics.Address = fmt.Sprintf("127.0.0.1:%d", ports[3])
	ac.Log.Level = "error"
	if _, err := node.Init(home, node.InitOptions{
		ChainID: "bench", Accounts: accounts, App: ac,
		CometRPCAddr: fmt.Sprintf("tcp://127.0.0.1:%d", ports[1]),
		P2PAddr:      fmt.Sprintf("tcp://127.0.0.1:%d", ports[2]),
		PprofAddr:    pprofAddr(o, o.pprofPort),
	}); err != nil {
		return nil, nil, err
	}
	stop, err := startProcess(ctx, o, home)
	if err != nil {
		return nil, nil, err
	}
	c := client.New(ac.RPC.Address)
	if err := waitHeight(ctx, c, 1, 60*time.Second); err != nil {
		stop()
		return nil, nil, fmt.Errorf("node did not start (log: %s): %w", filepath.Join(home, "node.log"), err)
	}
	return c, stop, nil
}

// startNetwork starts o.Validators vsysd processes (`vsysd testnet`
// homes under home) and returns a client of node0, which gets the load.
func startNetwork(ctx context.Context, o Options, home string, accounts []genesis.Account) (*client.Client, func(), error) {
	base, err := node.FreeBasePort(o.Validators)
	if err != nil {
		return nil, nil, err
	}
	nodes, err := node.InitTestnet(home, node.TestnetOptions{ChainID: "bench", Validators: o.Validators, BasePort: base,
		BlockInterval: o.BlockInterval.String(), Accounts: accounts})
	if err != nil {
		return nil, nil, err
	}
	var stops []func()
	stop := func() {
		for _, s := range stops {
			s()
		}
	}
	for _, n := range nodes {
		s, err := startProcess(ctx, o, n.Home)
		if err != nil {
			stop()
			return nil, nil, err
		}
		stops = append(stops, s)
	}
	c := client.New(nodes[0].RPCAddr)
	if err := waitHeight(ctx, c, 1, 60*time.Second); err != nil {
		stop()
		return nil, nil, fmt.Errorf("network did not start: %w", err)
	}
	return c, stop, nil
}

// startProcess runs vsysd start on home, logging to home/node.log, and
// returns how to stop it (SIGINT, then kill after 20 s).
func startProcess(ctx context.Context, o Options, home string) (func(), error) {
	cmd := exec.CommandContext(ctx, o.Binary, "start", "--home", home, "--app", string(o.App))
	logFile, err := os.Create(filepath.Join(home, "node.log"))
	if err != nil {
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, fmt.Errorf("start node: %w", err)
	}
	pids.Store(home, cmd.Process.Pid)
	return func() {
		_ = cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			_ = cmd.Process.Kill()
		}
		logFile.Close()
	}, nil
}

// pids maps a home to its node's pid, for peak memory.
var pids sync.Map

// peakRSSOf is the largest peak RSS of the nodes under home.
func peakRSSOf(home string) int64 {
	var peak int64
	pids.Range(func(k, v any) bool {
		if strings.HasPrefix(k.(string), home) {
			peak = max(peak, peakRSS(v.(int)))
		}
		return true
	})
	return peak
}
