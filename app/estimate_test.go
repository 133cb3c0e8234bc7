package app

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"math/rand"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/tx"
	"github.com/vsys/vsys/internal/testkit/wasmasm"
	"github.com/vsys/vsys/modules/database"
	"github.com/vsys/vsys/modules/token"
	"github.com/vsys/vsys/modules/wasm"
	wasmvm "github.com/vsys/vsys/vm/wasm"
)

// probe is the unsigned tx a client sends to vsys_estimateGas: the body
// it will sign, a zero signature. Its gas limit is what the client used
// to put there (the most the balance pays for, capped at 50M); the rule
// of docs/transactions.md is that the limit does not matter.
func (h *harness) probe(k ed25519.PrivateKey, calls []tx.Call) tx.Body {
	h.t.Helper()
	a := addr(k)
	limit := min(uint64(50_000_000), h.app.Params().MaxGasPerTx)
	if b := h.balance(a, "VSYS"); b.Hi == 0 {
		limit = min(limit, b.Lo)
	}
	return tx.Body{ChainID: chainID, PubKey: k.Public().(ed25519.PublicKey), Nonce: h.nonces[a], GasLimit: limit,
		GasPrice: codec.NewU128(1), Calls: calls}
}

// estimate runs vsys_estimateGas's simulation of body.
func (h *harness) estimate(body tx.Body) (Outcome, error) {
	h.t.Helper()
	p, err := tx.WithSignature(body, make([]byte, tx.SignatureLen))
	require.NoError(h.t, err)
	return h.app.Simulate(context.Background(), p.Bytes())
}

// signLimit signs body with gasLimit and the harness's next nonce.
func (h *harness) signLimit(k ed25519.PrivateKey, body tx.Body, gasLimit uint64) []byte {
	h.t.Helper()
	body.GasLimit, body.Nonce = gasLimit, h.nonces[addr(k)]
	s, err := tx.Sign(body, k)
	require.NoError(h.t, err)
	h.nonces[addr(k)]++
	return s.Bytes()
}

type lockArgs struct {
	UntilHeight uint64
	UntilTime   int64
}

// TestEstimateExactProperty is the property of issue 9 §3.1 over seeded
// random txs — native funds attached to a contract, a contract paying
// native coin back to its sender, deletes, payments to self, storage
// deposits locked and returned, accounts with small balances, several
// calls in one tx — on the real app (IAVL on disk, real wasm): for every
// tx the simulation says succeeds, the tx signed with gas_limit =
// estimate succeeds using exactly the estimate, and with estimate − 1 it
// fails out of gas.
func TestEstimateExactProperty(t *testing.T) {
	h := newRichHarness(t)
	lock := h.instantiate(alice, h.upload(alice, artifact(t, "lock")), "lock", nil, tokenModuleInit{token.Address})
	esc := deployEscrow(t, h)
	blobs := database.Schema{Columns: []database.Column{{Name: "id", Type: "u64"}, {Name: "text", Type: "string"}}, PrimaryKey: []string{"id"}}
	rng := rand.New(rand.NewSource(9))
	var actors []ed25519.PrivateKey
	for i := 0; i < 6; i++ {
		k := key(byte(40 + i))
		actors = append(actors, k)
		// Small balances: from a few transfers' worth of gas to ~50 calls'.
		h.ok(alice, 100_000, send(addr(k), uint64(60_000+rng.Intn(3_000_000))))
		h.ok(k, 200_000, dbTx("create_table", database.CreateTableArgs{Name: "t", Schema: blobs}))
	}
	locked := map[address.Address]bool{}
	escrows := map[address.Address][]uint64{} // open escrow seqs by depositor
	rows := map[address.Address]map[uint64]bool{}
	kinds, refused := map[string]int{}, map[string]int{}
	checked := 0
	for step := 0; step < 200; step++ {
		k := actors[rng.Intn(len(actors))]
		a := addr(k)
		if h.balance(a, "VSYS").Lo < 150_000 { // keep it small, but able to pay
			h.ok(alice, 100_000, send(a, uint64(100_000+rng.Intn(1_000_000))))
		}
		bal := h.balance(a, "VSYS").Lo
		some := func() uint64 { return 1 + uint64(rng.Int63n(int64(max(bal/2, 1)))) }
		var calls []tx.Call
		var kind string
		id := uint64(rng.Intn(8))
		switch op := rng.Intn(10); {
		case op == 7:
			kind, calls = "escrow (funds, contract storage deposit)", []tx.Call{withFunds(contractCall(esc, "deposit", escrowDeposit{addr(actors[rng.Intn(len(actors))])}), some())}
		case op == 8 && len(escrows[a]) > 0:
			method := []string{"cancel", "release"}[rng.Intn(2)]
			kind, calls = "escrow "+method+" (payout, delete, deposit back)", []tx.Call{contractCall(esc, method, escrowSeq{escrows[a][0]})}
		case op == 0:
			kind, calls = "send", []tx.Call{send(addr(actors[rng.Intn(len(actors))]), some())}
		case op == 1:
			kind, calls = "send to self", []tx.Call{send(a, some())}
		case op == 2 && !locked[a]:
			kind, calls = "funds attached", []tx.Call{withFunds(contractCall(lock, "lock", lockArgs{}), some())}
		case op == 3 && locked[a]:
			kind, calls = "refund to sender + delete", []tx.Call{contractCall(lock, "withdraw", struct{}{})}
		case op == 4:
			if rows[a][id] {
				kind, calls = "delete row (deposit back)", []tx.Call{dbTx("delete", database.KeyArgs{Owner: a, Table: "t", Key: mustMarshal(struct{ ID uint64 }{id})})}
			} else {
				kind, calls = "insert row (deposit)", []tx.Call{dbTx("insert", database.RowArgs{Owner: a, Table: "t",
					Row: mustMarshal(noteRow{id, string(make([]byte, rng.Intn(400)))})})}
			}
		case op == 5 && locked[a]:
			kind, calls = "refund then pay self", []tx.Call{contractCall(lock, "withdraw", struct{}{}), send(a, some())}
		case op == 6 && !locked[a]:
			kind, calls = "pay self then attach", []tx.Call{send(a, some()), withFunds(contractCall(lock, "lock", lockArgs{}), some())}
		default:
			// Nearly all of the balance away: what is left must pay the fee.
			kind, calls = "send almost all", []tx.Call{send(addr(carol), bal-min(bal, uint64(30_000+rng.Intn(40_000))))}
		}
		body := h.probe(k, calls)
		// The probe's gas limit is ignored: the old client's (the balance's
		// worth), 0, the chain's maximum, or anything.
		body.GasLimit = []uint64{body.GasLimit, 0, h.app.Params().MaxGasPerTx, rng.Uint64()}[rng.Intn(4)]
		out, err := h.estimate(body)
		if err == nil {
			err = out.Err
		}
		if err != nil {
			refused[kind]++
			t.Logf("step %d (%s, balance %d): the simulation refuses: %v", step, kind, bal, err)
			continue // the simulation says it would fail: nothing to check
		}
		est := out.GasUsed
		name := fmt.Sprintf("step %d (%s, balance %d, estimate %d)", step, kind, bal, est)

		short := h.block(h.signLimit(k, body, est-1))[0]
		require.Equal(t, CodeOutOfGas, short.Code, "%s: one gas less must run out of gas: %s", name, short.Log)

		// The short tx paid its fee: estimate again on the state as it is now.
		body = h.probe(k, calls)
		out, err = h.estimate(body)
		if err != nil || out.Err != nil {
			continue // the fee it paid left too little
		}
		est = out.GasUsed
		name = fmt.Sprintf("step %d (%s, balance %d, estimate %d)", step, kind, h.balance(a, "VSYS").Lo, est)
		res := h.block(h.signLimit(k, body, est))[0]
		require.Zero(t, res.Code, "%s: %s", name, res.Log)
		require.Equal(t, int64(est), res.GasUsed, "%s: gas used = estimate", name)
		kinds[kind]++
		checked++
		switch kind {
		case "escrow (funds, contract storage deposit)":
			var seq uint64
			var results [][]byte
			require.NoError(t, codec.Unmarshal(res.Data, &results))
			require.NoError(t, codec.Unmarshal(results[0], &seq))
			escrows[a] = append(escrows[a], seq)
		case "escrow cancel (payout, delete, deposit back)", "escrow release (payout, delete, deposit back)":
			escrows[a] = escrows[a][1:]
		case "funds attached", "pay self then attach":
			locked[a] = true
		case "refund to sender + delete", "refund then pay self":
			locked[a] = false
		case "insert row (deposit)":
			if rows[a] == nil {
				rows[a] = map[uint64]bool{}
			}
			rows[a][id] = true
		case "delete row (deposit back)":
			delete(rows[a], id)
		}
	}
	t.Logf("checked %d txs: %v; refused by the simulation: %v", checked, kinds, refused)
	require.GreaterOrEqual(t, checked, 50)
	for _, k := range []string{"send", "send to self", "funds attached", "refund to sender + delete", "refund then pay self",
		"pay self then attach", "insert row (deposit)", "send almost all", "escrow (funds, contract storage deposit)",
		"escrow cancel (payout, delete, deposit back)", "escrow release (payout, delete, deposit back)"} {
		require.Positive(t, kinds[k], "no %q tx was checked", k)
	}
}

// TestEstimateRefundToSender: a contract paying native coin back to the
// tx's sender (the lock contract's withdraw), estimated the way the CLI
// does it, from an account holding less than the 50M gas a probe used to
// reserve; and attaching funds from such an account.
func TestEstimateRefundToSender(t *testing.T) {
	h := newRichHarness(t)
	lock := h.instantiate(alice, h.upload(alice, artifact(t, "lock")), "lock", nil, tokenModuleInit{token.Address})
	h.ok(alice, 100_000, send(addr(carol), 5_000_000))
	h.ok(carol, 1_000_000, withFunds(contractCall(lock, "lock", lockArgs{}), 40_000))

	run := func(calls ...tx.Call) {
		t.Helper()
		body := h.probe(carol, calls)
		out, err := h.estimate(body)
		require.NoError(t, err)
		require.NoError(t, out.Err, "the simulation must not refuse what the balance pays for")
		res := h.block(h.signLimit(carol, body, out.GasUsed))[0]
		require.Zero(t, res.Code, "gas_limit = estimate %d: %s", out.GasUsed, res.Log)
		require.Equal(t, int64(out.GasUsed), res.GasUsed)
	}
	run(contractCall(lock, "withdraw", struct{}{}))
	run(withFunds(contractCall(lock, "lock", lockArgs{}), 4_000_000)) // --funds from 5M
}

// gasLeftModule is a contract whose gas depends on its gas limit: its one
// method, run, burns a loop only when gas_left() is above 10M. Built by
// hand (the example contracts never read gas_left).
func gasLeftModule() []byte {
	body := wasmasm.Cat(
		wasmasm.Call(0), wasmasm.I64Const(10_000_000), []byte{0x56}, // gas_left() > 10_000_000
		[]byte{0x04, 0x40, 0x03, 0x40},                                  // if, loop
		wasmasm.LocalGet(0), wasmasm.I64Const(1), []byte{0x7C, 0x22, 0}, // i++
		wasmasm.I64Const(1000), []byte{0x54, 0x0D, 0}, // i < 1000: br_if loop
		[]byte{0x0B, 0x0B})
	m := wasmasm.Module{Name: "gasleft", Imports: []string{"gas_left"}, Pages: 1,
		Funcs: []wasmasm.Func{{Export: "run", Locals: []wasmvm.ValType{wasmvm.I64}, Body: body}}}
	return m.Bytes()
}

// TestEstimateGasLeftUnstable: a tx whose gas depends on its limit gets
// no estimate (it could not be exact), with a clear reason, instead of a
// figure that would fail.
func TestEstimateGasLeftUnstable(t *testing.T) {
	h := newRichHarness(t)
	hash := h.upload(alice, gasLeftModule())
	res := h.ok(alice, 2_000_000, wasmTx("instantiate", wasm.InstantiateArgs{CodeHash: hash, Label: "gl"}))
	var c address.Address
	require.NoError(t, codec.Unmarshal(res.Data, &c))
	out, err := h.estimate(h.probe(alice, []tx.Call{contractCall(c, "run", struct{}{})}))
	require.NoError(t, err)
	require.ErrorIs(t, out.Err, ErrEstimateUnstable)
	require.Contains(t, out.Err.Error(), "gas_left")
}
