package app

import (
	"crypto/ed25519"
	"math/rand"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/tx"
	"github.com/vsys/vsys/modules/token"
	"github.com/vsys/vsys/modules/wasm"
)

type escrowDeposit struct{ Beneficiary address.Address }
type escrowSeq struct{ Seq uint64 }
type escrowCost struct {
	Depositor address.Address
	Token     string
}

// deployEscrow instantiates contracts/escrow the way a newcomer would:
// with no coins of its own.
func deployEscrow(t *testing.T, h *harness) address.Address {
	t.Helper()
	hash := h.upload(alice, artifact(t, "escrow"))
	res := h.ok(alice, 2_000_000, wasmTx("instantiate", wasm.InstantiateArgs{CodeHash: hash, Label: "escrow", Args: mustMarshal(tokenModuleInit{token.Address})}))
	var a address.Address
	require.NoError(t, codec.Unmarshal(res.Data, &a))
	require.True(t, h.balance(a, "VSYS").IsZero())
	return a
}

// TestEscrowCancelReturnsAll is issue 9 §3.2: storage deposits came out
// of the escrowed coins, so a 5,000 escrow could not be cancelled (the
// contract held 4,942 after paying for the record). The signer pays the
// record's deposit, the contract's balance is exactly the escrow, cancel
// returns all of it, the record's deposit comes back to the signer, and
// vsys_estimateGas reports exactly what the signer locks and gets back,
// which the contract's deposit_cost (sdk-rust's billing::deposit_for)
// predicts.
func TestEscrowCancelReturnsAll(t *testing.T) {
	h := newRichHarness(t)
	esc := deployEscrow(t, h)
	h.ok(alice, 100_000, send(addr(carol), 5_000_000))

	var predicted codec.U128
	h.query(esc, "deposit_cost", escrowCost{addr(carol), "VSYS"}, &predicted)
	require.Equal(t, codec.NewU128(30+44+22+8), predicted, "record and first counter at 1 a byte")

	before := h.holdings(addr(carol))
	lockedBefore := h.bill(addr(carol)).Funded
	deposit := withFunds(contractCall(esc, "deposit", escrowDeposit{addr(bob)}), 5_000)
	est, err := h.estimate(h.probe(carol, []tx.Call{deposit}))
	require.NoError(t, err)
	require.NoError(t, est.Err)
	require.Equal(t, predicted, est.DepositLocked, "vsys_estimateGas: what carol will lock")
	r1 := h.ok(carol, est.GasUsed, deposit)
	require.Equal(t, int64(est.GasUsed), r1.GasUsed)
	locked, _ := h.bill(addr(carol)).Funded.Sub(lockedBefore)
	require.Equal(t, predicted, locked, "carol locked what was predicted")
	require.Equal(t, codec.NewU128(5_000), h.balance(esc, "VSYS"), "the contract holds the escrow, all of it")

	cancel := contractCall(esc, "cancel", escrowSeq{0})
	est, err = h.estimate(h.probe(carol, []tx.Call{cancel}))
	require.NoError(t, err)
	require.NoError(t, est.Err)
	require.Equal(t, codec.NewU128(30+44), est.DepositReturned, "the record's deposit comes back")
	r2 := h.ok(carol, est.GasUsed, cancel)
	var back codec.U128
	require.NoError(t, codec.Unmarshal(r2.Data, &back))
	require.Equal(t, codec.NewU128(5_000), back, "cancel returns exactly what was escrowed")
	require.True(t, h.balance(esc, "VSYS").IsZero())
	want, _ := before.Sub(codec.NewU128(uint64(r1.GasUsed + r2.GasUsed)))
	require.Equal(t, want, h.holdings(addr(carol)), "carol lost only fees (the counter's deposit stays locked, hers)")
}

// TestEscrowManyStayWhole: many escrows by several depositors, released
// and cancelled in random order; after every tx the contract holds
// exactly the open escrows (it pays no deposit, so it never runs low),
// every close pays exactly its amount, and the billing invariants hold.
func TestEscrowManyStayWhole(t *testing.T) {
	h := newRichHarness(t)
	esc := deployEscrow(t, h)
	rng := rand.New(rand.NewSource(3))
	var users []ed25519.PrivateKey
	for i := 0; i < 5; i++ {
		k := key(byte(60 + i))
		users = append(users, k)
		h.ok(alice, 100_000, send(addr(k), 50_000_000))
	}
	type open struct {
		k      ed25519.PrivateKey
		seq    uint64
		to     address.Address
		amount uint64
	}
	var live []open
	next := map[address.Address]uint64{}
	var held uint64
	for step := 0; step < 160; step++ {
		if len(live) == 0 || (rng.Intn(3) > 0 && len(live) < 60) {
			k := users[rng.Intn(len(users))]
			to := addr(users[rng.Intn(len(users))])
			amount := uint64(1 + rng.Intn(20_000))
			res := h.ok(k, 1_000_000, withFunds(contractCall(esc, "deposit", escrowDeposit{to}), amount))
			var seq uint64
			require.NoError(t, codec.Unmarshal(res.Data, &seq))
			require.Equal(t, next[addr(k)], seq)
			next[addr(k)]++
			live = append(live, open{k, seq, to, amount})
			held += amount
		} else {
			i := rng.Intn(len(live))
			e := live[i]
			live = append(live[:i], live[i+1:]...)
			release := rng.Intn(2) == 0
			method, payee := "cancel", addr(e.k)
			if release {
				method, payee = "release", e.to
			}
			before := h.balance(payee, "VSYS")
			res := h.ok(e.k, 1_000_000, contractCall(esc, method, escrowSeq{e.seq}))
			var paid codec.U128
			require.NoError(t, codec.Unmarshal(res.Data, &paid))
			require.Equal(t, codec.NewU128(e.amount), paid, "step %d: %s pays exactly the escrow", step, method)
			if payee != addr(e.k) { // the signer's balance also moved by its fee and the record's deposit
				got, _ := h.balance(payee, "VSYS").Sub(before)
				require.Equal(t, codec.NewU128(e.amount), got, "step %d", step)
			}
			held -= e.amount
		}
		require.Equal(t, codec.NewU128(held), h.balance(esc, "VSYS"), "step %d: the contract holds exactly the open escrows", step)
	}
	// The contract's bill: the bytes of its state and their deposit,
	// which its users funded, none of it from its balance.
	b := h.bill(esc)
	require.Positive(t, b.Bytes)
	var funded codec.U128
	for _, k := range append(users, alice) {
		funded, _ = funded.Add(h.bill(addr(k)).Funded)
	}
	require.Equal(t, b.Deposit, funded, "users funded exactly the contract's deposit")
	require.Equal(t, codec.NewU128(held), h.balance(esc, "VSYS"))
}
