package app

import (
	"math/rand"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/core/state"
	"github.com/vsys/vsys/modules/billing"
	"github.com/vsys/vsys/modules/database"
	"github.com/vsys/vsys/modules/token"
	"github.com/vsys/vsys/modules/wasm"
)

type noteRow struct {
	ID   uint64
	Text string
}

var noteSchema = database.Schema{
	Columns:    []database.Column{{Name: "id", Type: "u64"}, {Name: "text", Type: "string"}},
	PrimaryKey: []string{"id"},
	Indexes:    []database.Index{{Name: "by_text", Columns: []string{"text"}}},
}

// TestBillingInvariants runs seeded random inserts, updates, deletes,
// code uploads and contract calls, and after every block checks that each
// bill's bytes are exactly the bytes stored for its payer, that the
// deposits held equal the sum of the bills' deposits, and that the native
// supply equals the sum of all balances (nothing created or lost).
func TestBillingInvariants(t *testing.T) {
	h := newRichHarness(t)
	hash := h.upload(alice, artifact(t, "counter"))
	counter := h.instantiate(alice, hash, "c", nil, counterInit{1})
	h.ok(alice, 1_000_000, dbTx("create_table", database.CreateTableArgs{Name: "notes", Schema: noteSchema}))
	rng := rand.New(rand.NewSource(42))
	live := map[uint64]bool{}
	for step := 0; step < 150; step++ {
		id := uint64(rng.Intn(40))
		text := string(make([]byte, rng.Intn(200)))
		var c = contractCall(counter, "increment", counterBy{By: uint64(rng.Intn(5))})
		switch op := rng.Intn(5); {
		case op <= 1 && !live[id]:
			c = dbTx("insert", database.RowArgs{Owner: addr(alice), Table: "notes", Row: mustMarshal(noteRow{id, text})})
			live[id] = true
		case op <= 2 && live[id]:
			c = dbTx("update", database.RowArgs{Owner: addr(alice), Table: "notes", Row: mustMarshal(noteRow{id, text})})
		case op == 3 && live[id]:
			c = dbTx("delete", database.KeyArgs{Owner: addr(alice), Table: "notes", Key: mustMarshal(struct{ ID uint64 }{id})})
			delete(live, id)
		}
		h.ok(alice, 5_000_000, c)
		if step%10 == 0 {
			h.checkBilling(t, counter)
		}
	}
	h.checkBilling(t, counter)
}

func (h *harness) checkBilling(t *testing.T, counter address.Address) {
	t.Helper()
	kv, _, err := h.app.View(0)
	require.NoError(t, err)
	bill := func(a address.Address) billing.Bill {
		b, err := billing.ReadBill(kv, a)
		require.NoError(t, err)
		return b
	}
	category := func(b billing.Bill, c string) uint64 {
		for _, x := range b.Categories {
			if x.Category == c {
				return x.Bytes
			}
		}
		return 0
	}
	// The contract's own storage, byte for byte.
	require.Equal(t, storedBytes(t, state.NewPrefix(kv, router.StorePrefix(counter)), nil), bill(counter).Bytes)
	// alice's table: its record, rows and index entries in the db module.
	dbkv := state.NewPrefix(kv, router.StorePrefix(database.Address))
	tableBytes := storedBytes(t, dbkv, []byte{'t'}) + storedBytes(t, dbkv, []byte{'r'}) + storedBytes(t, dbkv, []byte{'x'})
	a := bill(addr(alice))
	require.Equal(t, tableBytes, category(a, "table/notes"))
	// alice's code and contract record in the wasm module.
	wkv := state.NewPrefix(kv, router.StorePrefix(wasm.Address))
	require.Equal(t, storedBytes(t, wkv, []byte("c/"))+storedBytes(t, wkv, []byte("i/")), category(a, "code"))
	require.Equal(t, storedBytes(t, wkv, []byte("k/")), category(a, "contracts"))
	require.Equal(t, a.Bytes, category(a, "code")+category(a, "contracts")+category(a, "table/notes"))

	// Deposits: the billing module holds exactly what the bills say, at
	// the price per byte.
	price := h.app.Params().Billing.StoragePricePerByte
	var deposits codec.U128
	for _, b := range []billing.Bill{a, bill(counter)} {
		want, _ := price.Mul64(b.Bytes)
		require.Equal(t, want, b.Deposit, "%s: deposit = bytes x price", b.Address)
		deposits, _ = deposits.Add(b.Deposit)
	}
	require.Equal(t, deposits, h.balance(billing.Address, "VSYS"))

	// Supply = every balance (the fee collector and the deposits included).
	var sum codec.U128
	tk := state.NewPrefix(kv, router.StorePrefix(token.Address))
	it, err := tk.Iterator([]byte{'b'}, []byte{'c'}, true)
	require.NoError(t, err)
	for ; it.Valid(); it.Next() {
		if string(it.Key()[21:]) != "VSYS" {
			continue
		}
		var v codec.U128
		require.NoError(t, codec.Unmarshal(it.Value(), &v))
		sum, _ = sum.Add(v)
	}
	it.Close()
	supply, _, err := h.app.Router().Bank().Minter(kv).Supply("VSYS")
	require.NoError(t, err)
	require.Equal(t, supply, sum, "native supply = sum of balances")
}

// storedBytes sums len(key)+len(value) under prefix (nil: everything).
func storedBytes(t *testing.T, kv state.KV, prefix []byte) uint64 {
	t.Helper()
	var end []byte
	if prefix != nil {
		end = state.PrefixEnd(prefix)
	}
	it, err := kv.Iterator(prefix, end, true)
	require.NoError(t, err)
	defer it.Close()
	var n uint64
	for ; it.Valid(); it.Next() {
		n += uint64(len(it.Key()) + len(it.Value()))
	}
	return n
}

// TestDepositNotCoveredWritesNothing: a write its payer cannot cover
// fails cleanly and leaves state as it was; deleting returns exactly the
// deposit.
func TestDepositNotCoveredWritesNothing(t *testing.T) {
	h := newHarness(t)
	h.ok(alice, 1_000_000, send(addr(carol), 2_000_000))
	blobs := database.Schema{Columns: []database.Column{{Name: "id", Type: "u64"}, {Name: "text", Type: "string"}}, PrimaryKey: []string{"id"}}
	h.ok(carol, 100_000, dbTx("create_table", database.CreateTableArgs{Name: "notes", Schema: blobs}))
	before := h.holdings(addr(carol))
	stateBefore := h.app.Store().Hash()
	// Carol sends all but 10,000 of her coins away, then inserts a row
	// needing a deposit of some 20,000: the calls fail, and the fee comes
	// from her balance before them.
	big := mustMarshal(noteRow{1, string(make([]byte, 20_000))})
	res := h.block(h.sign(carol, 1_000_000, send(addr(bob), h.balance(addr(carol), "VSYS").Lo-10_000),
		dbTx("insert", database.RowArgs{Owner: addr(carol), Table: "notes", Row: big})))[0]
	require.NotZero(t, res.Code)
	require.Contains(t, res.Log, "storage deposit not covered")
	require.NotEqual(t, stateBefore, h.app.Store().Hash(), "the fee is paid")
	kv, _, _ := h.app.View(0)
	row, _, err := database.NewReader(kv).Get(addr(carol), "notes", mustMarshal(struct{ ID uint64 }{1}))
	require.NoError(t, err)
	require.Nil(t, row, "nothing written")
	after, _ := before.Sub(codec.NewU128(uint64(res.GasUsed)))
	require.Equal(t, after, h.holdings(addr(carol)), "only the fee left")

	// A small row locks its bytes' deposit; deleting it returns all of it.
	small := mustMarshal(noteRow{2, "hello"})
	b0 := h.balance(addr(carol), "VSYS")
	r1 := h.ok(carol, 100_000, dbTx("insert", database.RowArgs{Owner: addr(carol), Table: "notes", Row: small}))
	r2 := h.ok(carol, 100_000, dbTx("delete", database.KeyArgs{Owner: addr(carol), Table: "notes", Key: mustMarshal(struct{ ID uint64 }{2})}))
	want, _ := b0.Sub(codec.NewU128(uint64(r1.GasUsed + r2.GasUsed)))
	require.Equal(t, want, h.balance(addr(carol), "VSYS"), "the deposit came back exactly")
}

// TestFeesGoToValidators: a block's fees leave the fee collector for the
// proposer (proposer_percent plus its power share) and the validators
// that signed the last block, by power, to the last unit.
func TestFeesGoToValidators(t *testing.T) {
	h := newHarness(t)
	v1, v2 := address.Derive("validator", []byte{1}), address.Derive("validator", []byte{2})
	raw := h.sign(alice, 100_000, send(addr(carol), 5))
	res := h.FinalizeWith(func(req *abci.RequestFinalizeBlock) {
		req.ProposerAddress = v1[:]
		req.DecidedLastCommit = abci.CommitInfo{Votes: []abci.VoteInfo{
			{Validator: abci.Validator{Address: v1[:], Power: 30}, BlockIdFlag: 2},
			{Validator: abci.Validator{Address: v2[:], Power: 10}, BlockIdFlag: 2},
		}}
	}, raw)
	fee := uint64(res.TxResults[0].GasUsed)
	// 20 % to the proposer, 80 % by power 3:1.
	rest := fee - fee*20/100
	toV2 := rest * 10 / 40
	require.Equal(t, codec.NewU128(fee-toV2), h.balance(v1, "VSYS"))
	require.Equal(t, codec.NewU128(toV2), h.balance(v2, "VSYS"))
	require.True(t, h.balance(FeeCollector, "VSYS").IsZero())
}

// TestContractReadsItsBill: a contract reads its own bill and balance
// (sdk-rust's billing module) and sees what the chain charged it.
func TestContractReadsItsBill(t *testing.T) {
	h := newRichHarness(t) // an upload pays for compiling
	c := h.instantiate(alice, h.upload(alice, artifact(t, "counter")), "c", nil, counterInit{7})
	var got struct {
		Bytes   uint64
		Deposit codec.U128
		Balance codec.U128
	}
	h.query(c, "storage_bill", struct{}{}, &got)
	kv, _, err := h.app.View(0)
	require.NoError(t, err)
	bill, err := billing.ReadBill(kv, c)
	require.NoError(t, err)
	require.Positive(t, got.Bytes)
	require.Equal(t, bill.Bytes, got.Bytes)
	require.Equal(t, bill.Deposit, got.Deposit)
	require.Equal(t, codec.NewU128(contractFunds), got.Balance, "funded at instantiate; its state's deposit came from alice")
	require.Equal(t, got.Deposit, h.bill(addr(alice)).Funded, "alice funded it")
}
