package billing

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/state"
	"github.com/vsys/vsys/internal/testkit"
	"github.com/vsys/vsys/modules/token"
)

// bank is the token module, the ledger billing moves deposits and fees
// with, as the app wires it.
var bank = token.New()

// newRoot is a real IAVL working tree with the native coin, of which
// payer holds balance and each of more its amount.
func newRoot(t *testing.T, payer address.Address, balance uint64, more ...token.Allocation) state.KV {
	t.Helper()
	s := testkit.OpenStore(t)
	kv := s.Working()
	allocs := append([]token.Allocation{{Address: payer, Amount: codec.NewU128(balance)}}, more...)
	require.NoError(t, token.Genesis(kv, token.Info{Symbol: "VSYS", Name: "V", Decimals: 8, MaxSupply: codec.MaxU128}, allocs))
	return kv
}

func TestChargeAndRefund(t *testing.T) {
	payer := address.Derive("billing-test", []byte("payer"))
	kv := newRoot(t, payer, 1000)
	m := New(Params{StoragePricePerByte: codec.NewU128(3), ProposerPercent: 20}, "VSYS", bank)
	require.NoError(t, m.Charge(kv, payer, "table/a", 100))
	require.NoError(t, m.Charge(kv, payer, "storage", 50))
	b, err := ReadBill(kv, payer)
	require.NoError(t, err)
	require.Equal(t, uint64(150), b.Bytes)
	require.Equal(t, codec.NewU128(450), b.Deposit)
	require.Equal(t, []CategoryBytes{{"storage", 50}, {"table/a", 100}}, b.Categories)
	bal, _ := bank.Ledger(kv).Balance(payer, "VSYS")
	require.Equal(t, codec.NewU128(550), bal)

	// Not enough left for 200 more bytes: refused, nothing moves.
	err = m.Charge(kv, payer, "table/a", 200)
	require.ErrorIs(t, err, ErrDeposit)
	again, _ := ReadBill(kv, payer)
	require.Equal(t, b, again)

	// Freeing everything returns exactly what was locked.
	require.NoError(t, m.Charge(kv, payer, "table/a", -100))
	require.NoError(t, m.Charge(kv, payer, "storage", -50))
	bal, _ = bank.Ledger(kv).Balance(payer, "VSYS")
	require.Equal(t, codec.NewU128(1000), bal)
	b, _ = ReadBill(kv, payer)
	require.Zero(t, b.Bytes)
	require.True(t, b.Deposit.IsZero())
	require.Empty(t, b.Categories)

	// Freeing what was never held is a bug, not a refund.
	require.Error(t, m.Charge(kv, payer, "storage", -1))
}

func TestQuota(t *testing.T) {
	payer := address.Derive("billing-test", []byte("quota"))
	kv := newRoot(t, payer, 1_000_000)
	m := New(Params{StoragePricePerByte: codec.NewU128(1), QuotaBytes: 500}, "VSYS", bank)
	require.NoError(t, m.Charge(kv, payer, "storage", 500))
	require.ErrorIs(t, m.Charge(kv, payer, "storage", 1), ErrQuota)
	require.NoError(t, m.Charge(kv, payer, "storage", -10))
	require.NoError(t, m.Charge(kv, payer, "storage", 10))
}

func TestDistributeSumsExactly(t *testing.T) {
	collector := address.Derive("billing-test", []byte("fees"))
	for _, total := range []uint64{0, 1, 7, 99, 1_000_003} {
		kv := newRoot(t, collector, total)
		m := New(Params{ProposerPercent: 20}, "VSYS", bank)
		vs := []Validator{{address.Derive("v", []byte{1}), 3}, {address.Derive("v", []byte{2}), 5}, {address.Derive("v", []byte{3}), 0}}
		paid, err := m.Distribute(kv, collector, vs[0].Address, vs)
		require.NoError(t, err)
		var sum codec.U128
		for _, amt := range paid {
			sum, _ = sum.Add(amt)
		}
		require.Equal(t, codec.NewU128(total), sum, "total %d", total)
		left, _ := bank.Ledger(kv).Balance(collector, "VSYS")
		require.True(t, left.IsZero())
		require.Zero(t, paid[vs[2].Address].Lo, "no power, no share")
	}
}

// TestChargeKeyRefundsThePayer: a contract's key is paid for by the
// signer that wrote it; another signer rewriting it takes the whole
// deposit over and the first gets all of its back; deleting returns it to
// whoever paid; the contract's own balance never moves.
func TestChargeKeyRefundsThePayer(t *testing.T) {
	alice, bob := address.Derive("billing-test", []byte("alice")), address.Derive("billing-test", []byte("bob"))
	contract := address.Derive("billing-test", []byte("contract"))
	kv := newRoot(t, alice, 1000, token.Allocation{Address: bob, Amount: codec.NewU128(1000)}, token.Allocation{Address: contract, Amount: codec.NewU128(7)})
	l := bank.Ledger(kv)
	m := New(Params{StoragePricePerByte: codec.NewU128(2), ProposerPercent: 20}, "VSYS", bank)
	bal := func(a address.Address) uint64 { b, _ := l.Balance(a, "VSYS"); return b.Lo }
	funded := func(a address.Address) uint64 { b, err := ReadBill(kv, a); require.NoError(t, err); return b.Funded.Lo }
	key := []byte("k1")

	require.NoError(t, m.ChargeKey(kv, contract, "storage", contract, key, 0, 10, alice))
	require.Equal(t, []uint64{980, 20, 1000}, []uint64{bal(alice), funded(alice), bal(bob)})
	require.NoError(t, m.ChargeKey(kv, contract, "storage", contract, key, 10, 14, alice)) // alice grows her key
	require.Equal(t, []uint64{972, 28}, []uint64{bal(alice), funded(alice)})
	require.NoError(t, m.ChargeKey(kv, contract, "storage", contract, key, 14, 12, bob)) // bob rewrites it
	require.Equal(t, []uint64{1000, 0, 976, 24}, []uint64{bal(alice), funded(alice), bal(bob), funded(bob)})
	require.NoError(t, m.ChargeKey(kv, contract, "storage", contract, key, 12, 0, alice)) // alice deletes bob's key
	require.Equal(t, []uint64{1000, 0, 1000, 0}, []uint64{bal(alice), funded(alice), bal(bob), funded(bob)})

	c, err := ReadBill(kv, contract)
	require.NoError(t, err)
	require.Zero(t, c.Bytes)
	require.True(t, c.Deposit.IsZero())
	require.Equal(t, uint64(7), bal(contract), "the contract's coins never paid")
	require.Equal(t, uint64(0), bal(Address))

	// A signer who cannot pay: refused with ErrDeposit.
	poor := address.Derive("billing-test", []byte("poor"))
	require.ErrorIs(t, m.ChargeKey(kv, contract, "storage", contract, key, 0, 10, poor), ErrDeposit)
}
