package app

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"

	"github.com/vsys/vsys/app/genesis"
	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/tx"
	"github.com/vsys/vsys/internal/testkit"
	"github.com/vsys/vsys/modules/database"
	"github.com/vsys/vsys/modules/wasm"
)

// benchChain is an app at height 1 with senders funded, on IAVL on disk.
func benchChain(b *testing.B, senders int) (*App, []*harnessKey) {
	b.Helper()
	return benchChainWith(b, senders, nil)
}

// benchChainWith is benchChain with genesis adjusted by edit.
func benchChainWith(b *testing.B, senders int, edit func(*genesis.State)) (*App, []*harnessKey) {
	b.Helper()
	store := testkit.OpenStore(b)
	a, err := New(store, Options{})
	if err != nil {
		b.Fatal(err)
	}
	gs := genesis.Default()
	keys := make([]*harnessKey, senders)
	for i := range keys {
		k := key(byte(i)) // distinct seeds for i < 256
		keys[i] = &harnessKey{priv: k, addr: addr(k)}
		gs.Accounts = append(gs.Accounts, genesis.Account{Address: keys[i].addr, Balance: codec.NewU128(1 << 60)})
	}
	if edit != nil {
		edit(&gs)
	}
	appState, _ := json.Marshal(gs)
	if _, err := a.InitChain(context.Background(), &abci.RequestInitChain{ChainId: chainID, AppStateBytes: appState, Validators: testValidators()}); err != nil {
		b.Fatal(err)
	}
	commitBlock(b, a, 1, nil)
	return a, keys
}

type harnessKey struct {
	priv  []byte
	addr  address.Address
	nonce uint64
}

func commitBlock(b *testing.B, a *App, height int64, txs [][]byte) {
	res, err := a.FinalizeBlock(context.Background(), &abci.RequestFinalizeBlock{Height: height, Time: time.Unix(height, 0), Txs: txs})
	if err != nil {
		b.Fatal(err)
	}
	for i, r := range res.TxResults {
		if r.Code != 0 {
			b.Fatalf("tx %d: %s", i, r.Log)
		}
	}
	if _, err := a.Commit(context.Background(), &abci.RequestCommit{}); err != nil {
		b.Fatal(err)
	}
}

func signTransfers(b *testing.B, keys []*harnessKey, n int) [][]byte {
	txs := make([][]byte, n)
	for i := range txs {
		k := keys[i%len(keys)]
		t, err := tx.Sign(tx.Body{ChainID: chainID, Nonce: k.nonce, GasLimit: 100_000, GasPrice: codec.NewU128(1),
			Calls: []tx.Call{send(address.Derive("bench", []byte{byte(i), byte(i >> 8)}), 1)}}, k.priv)
		if err != nil {
			b.Fatal(err)
		}
		k.nonce++
		txs[i] = t.Bytes()
	}
	return txs
}

// BenchmarkCheckTx is mempool admission of a fresh transfer: decode,
// signature, nonce and fee checks.
func BenchmarkCheckTx(b *testing.B) {
	a, keys := benchChain(b, 100)
	txs := signTransfers(b, keys, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, _ := a.CheckTx(context.Background(), &abci.RequestCheckTx{Tx: txs[i]})
		if res.Code != 0 {
			b.Fatal(res.Log)
		}
	}
}

// BenchmarkBlock5k executes and commits blocks of 5,000 transfers whose
// signatures CheckTx already verified (the normal path); ns/op is per tx.
func BenchmarkBlock5k(b *testing.B) {
	benchBlock(b, true)
}

// BenchmarkBlock5kNoDeposit is BenchmarkBlock5k with the storage price at
// 0: what billing costs transfers (fee records and distribution stay on).
func BenchmarkBlock5kNoDeposit(b *testing.B) {
	benchBlockWith(b, true, func(gs *genesis.State) { gs.Params.Billing.StoragePricePerByte = codec.U128{} })
}

// BenchmarkBlock5kUncached is the same with signatures verified in
// FinalizeBlock (a node that did not see the txs in its mempool).
func BenchmarkBlock5kUncached(b *testing.B) {
	benchBlock(b, false)
}

func benchBlock(b *testing.B, cached bool) { benchBlockWith(b, cached, nil) }

func benchBlockWith(b *testing.B, cached bool, edit func(*genesis.State)) {
	const perBlock = 5000
	a, keys := benchChainWith(b, 100, edit)
	blocks := (b.N + perBlock - 1) / perBlock
	all := make([][][]byte, blocks)
	for i := range all {
		all[i] = signTransfers(b, keys, perBlock)
	}
	b.ResetTimer()
	for i, txs := range all {
		if cached {
			b.StopTimer()
			for _, raw := range txs {
				if err := a.Precheck(raw); err != nil { // verifies and caches, as the JSON-RPC path does
					b.Fatal(err)
				}
			}
			b.StartTimer()
		}
		commitBlock(b, a, int64(i+2), txs)
	}
	b.StopTimer()
	b.ReportMetric(float64(blocks*perBlock)/b.Elapsed().Seconds(), "tx/s")
}

// BenchmarkTransferNative and BenchmarkTransferWasm execute and commit
// blocks of 1,000 token transfers (signatures cached, as in a node):
// through the native token module, and through the token contract built
// from contracts/token. ns/op is per transfer; compare the two.
func BenchmarkTransferNative(b *testing.B) { benchTransfers(b, false) }

// BenchmarkTransferWasm: see BenchmarkTransferNative.
func BenchmarkTransferWasm(b *testing.B) { benchTransfers(b, true) }

func benchTransfers(b *testing.B, wasm bool) {
	const perBlock = 1000
	a, keys := benchChain(b, 100)
	height := int64(2)
	var tok address.Address
	if wasm {
		tok = deployBenchToken(b, a, keys, &height)
	}
	blocks := (b.N + perBlock - 1) / perBlock
	all := make([][][]byte, blocks)
	for i := range all {
		txs := make([][]byte, perBlock)
		for j := range txs {
			k := keys[j%len(keys)]
			to := address.Derive("bench", []byte{byte(j), byte(j >> 8)})
			c := send(to, 1)
			if wasm {
				c = contractCall(tok, "send", tokenSend{To: to, Amount: codec.NewU128(1)})
			}
			t, err := tx.Sign(tx.Body{ChainID: chainID, Nonce: k.nonce, GasLimit: 1_000_000, GasPrice: codec.NewU128(1), Calls: []tx.Call{c}}, k.priv)
			if err != nil {
				b.Fatal(err)
			}
			k.nonce++
			txs[j] = t.Bytes()
			if err := a.Precheck(txs[j]); err != nil { // verifies and caches, as the JSON-RPC path does
				b.Fatal(err)
			}
		}
		all[i] = txs
	}
	b.ResetTimer()
	for _, txs := range all {
		commitBlock(b, a, height, txs)
		height++
	}
	b.StopTimer()
	b.ReportMetric(float64(blocks*perBlock)/b.Elapsed().Seconds(), "tx/s")
}

// deployBenchToken uploads and instantiates the token contract and gives
// every bench key a balance.
func deployBenchToken(b *testing.B, a *App, keys []*harnessKey, height *int64) address.Address {
	b.Helper()
	issuer := keys[0]
	signed := func(k *harnessKey, c tx.Call) []byte {
		t, err := tx.Sign(tx.Body{ChainID: chainID, Nonce: k.nonce, GasLimit: 50_000_000, GasPrice: codec.NewU128(1), Calls: []tx.Call{c}}, k.priv)
		if err != nil {
			b.Fatal(err)
		}
		k.nonce++
		return t.Bytes()
	}
	wasmCode := artifact(b, "token")
	hash := sha256.Sum256(wasmCode)
	commitBlock(b, a, *height, [][]byte{signed(issuer, wasmTx("upload", wasm.UploadArgs{Code: wasmCode}))})
	*height++
	tok := address.Derive("wasm/contract", issuer.addr[:], hash[:], []byte("bench"))
	commitBlock(b, a, *height, [][]byte{
		signed(issuer, withFunds(wasmTx("instantiate", wasm.InstantiateArgs{CodeHash: hash[:], Label: "bench",
			Args: mustMarshal(tokenInit{Name: "Bench", Symbol: "BEN", Decimals: 0, MaxSupply: codec.MaxU128})}), 1<<40)),
		signed(issuer, contractCall(tok, "issue", tokenAmount{codec.NewU128(1 << 40)})),
	})
	*height++
	var txs [][]byte
	for _, k := range keys[1:] {
		txs = append(txs, signed(issuer, contractCall(tok, "send", tokenSend{To: k.addr, Amount: codec.NewU128(1 << 30)})))
	}
	commitBlock(b, a, *height, txs)
	*height++
	return tok
}

type benchRow struct {
	ID      uint64
	Owner   address.Address
	Payload []byte
}

// BenchmarkInsertRows executes and commits blocks of txs that each insert
// 50 rows of about 100 bytes (u64 key, address, 60-byte payload) into the
// sender's table, which has one secondary index. ns/op is per row.
func BenchmarkInsertRows(b *testing.B) { benchInsertRows(b, true) }

// BenchmarkInsertRowsNoDeposit is BenchmarkInsertRows with the storage
// price at 0: the difference is what storage deposits cost.
func BenchmarkInsertRowsNoDeposit(b *testing.B) { benchInsertRows(b, false) }

func benchInsertRows(b *testing.B, deposit bool) {
	const rowsPerTx, txsPerBlock = 50, 100
	a, keys := benchChainWith(b, 20, func(gs *genesis.State) {
		if !deposit {
			gs.Params.Billing.StoragePricePerByte = codec.U128{}
		}
	})
	height := int64(2)
	schema := database.Schema{
		Columns:    []database.Column{{Name: "id", Type: "u64"}, {Name: "owner", Type: "address"}, {Name: "payload", Type: "bytes"}},
		PrimaryKey: []string{"id"},
		Indexes:    []database.Index{{Name: "by_owner", Columns: []string{"owner"}}},
	}
	sign := func(k *harnessKey, calls []tx.Call) []byte {
		t, err := tx.Sign(tx.Body{ChainID: chainID, Nonce: k.nonce, GasLimit: 50_000_000, GasPrice: codec.NewU128(1), Calls: calls}, k.priv)
		if err != nil {
			b.Fatal(err)
		}
		k.nonce++
		raw := t.Bytes()
		_, _ = a.decode(raw, 1<<20)
		return raw
	}
	var setup [][]byte
	for _, k := range keys {
		setup = append(setup, sign(k, []tx.Call{dbTx("create_table", database.CreateTableArgs{Name: "t", Schema: schema})}))
	}
	commitBlock(b, a, height, setup)
	height++
	perBlock := rowsPerTx * txsPerBlock
	blocks := (b.N + perBlock - 1) / perBlock
	all := make([][][]byte, blocks)
	next := make([]uint64, len(keys))
	payload := make([]byte, 60)
	for i := range all {
		for j := 0; j < txsPerBlock; j++ {
			k := keys[j%len(keys)]
			calls := make([]tx.Call, rowsPerTx)
			for r := range calls {
				id := next[j%len(keys)]
				next[j%len(keys)]++
				row := mustMarshal(benchRow{ID: id, Owner: address.Derive("owner", []byte{byte(id % 16)}), Payload: payload})
				calls[r] = dbTx("insert", database.RowArgs{Owner: k.addr, Table: "t", Row: row})
			}
			all[i] = append(all[i], sign(k, calls))
		}
	}
	b.ResetTimer()
	for _, txs := range all {
		commitBlock(b, a, height, txs)
		height++
	}
	b.StopTimer()
	b.ReportMetric(float64(blocks*perBlock)/b.Elapsed().Seconds(), "rows/s")
}
