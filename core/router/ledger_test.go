package router_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/gas"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/core/state"
	"github.com/vsys/vsys/modules/native"
	"github.com/vsys/vsys/modules/token"
)

var payerAt = address.Derive("router-test", []byte("payer"))

// PayArgs are the arguments of the payer contract's pay.
type PayArgs struct {
	To     address.Address
	Amount uint64
	Fail   bool // fail after paying
}

// payer reaches balances the only way a module can: Context.Ledger.
func payer() router.Contract {
	c := native.New("payer")
	pay := func(ctx *router.Context, a PayArgs) (native.Empty, error) {
		if err := ctx.Ledger().Transfer(ctx.Self, a.To, coin, codec.NewU128(a.Amount)); err != nil {
			return native.Empty{}, err
		}
		if a.Fail {
			return native.Empty{}, errBoom
		}
		return native.Empty{}, nil
	}
	native.Method(c, "pay", "Pay from the contract's own balance.", false, pay)
	native.Method(c, "pay_in_a_view", "The same, declared read-only.", true, pay)
	native.Method(c, "balance", "A balance, read through the ledger.", true,
		func(ctx *router.Context, a struct{ Of address.Address }) (codec.U128, error) {
			return ctx.Ledger().Balance(a.Of, coin)
		})
	native.Method(c, "note", "Write a key to the contract's store.", false,
		func(ctx *router.Context, a KV) (native.Empty, error) {
			return native.Empty{}, ctx.Store().Set([]byte(a.Key), []byte(a.Value))
		})
	native.Method(c, "raw", "Read a key unmetered, then try to write through the same store.", false,
		func(ctx *router.Context, a KV) (string, error) {
			v, err := ctx.UnmeteredStore().Get([]byte(a.Key))
			if err != nil {
				return "", err
			}
			return string(v), ctx.UnmeteredStore().Set([]byte(a.Key), []byte(a.Value))
		})
	return c
}

func (f *fixture) callPayer(t *testing.T, method string, args any, funds []router.Coin) error {
	t.Helper()
	_, err := f.r.Call(txEnv(), f.kv, alice, payerAt, method, mustMarshal(t, args), funds)
	return err
}

// TestContextLedger: a call's ledger moves coins on the call's state, so
// they move back when the call fails, and cannot move in a read-only call;
// reads work in both.
func TestContextLedger(t *testing.T) {
	f := newFixture(t, testLims)
	f.r.Register("payer", payerAt, payer())
	require.NoError(t, f.callPayer(t, "pay", PayArgs{To: bob}, []router.Coin{{Token: coin, Amount: codec.NewU128(100)}}))
	require.Equal(t, []uint64{900, 100, 0}, []uint64{f.balance(t, alice), f.balance(t, payerAt), f.balance(t, bob)})

	require.NoError(t, f.callPayer(t, "pay", PayArgs{To: bob, Amount: 30}, nil))
	require.Equal(t, []uint64{70, 30}, []uint64{f.balance(t, payerAt), f.balance(t, bob)})

	require.ErrorIs(t, f.callPayer(t, "pay", PayArgs{To: bob, Amount: 30, Fail: true}, nil), errBoom)
	require.Equal(t, []uint64{70, 30}, []uint64{f.balance(t, payerAt), f.balance(t, bob)}, "a failed call's transfer is reverted")

	require.ErrorIs(t, f.callPayer(t, "pay", PayArgs{To: bob, Amount: 71}, nil), token.ErrInsufficientFunds)

	// A read-only method reads balances but moves nothing, even when a tx
	// calls it.
	require.ErrorIs(t, f.callPayer(t, "pay_in_a_view", PayArgs{To: bob, Amount: 1}, nil), state.ErrReadOnly)
	env := &router.Env{Gas: gas.NewMeter(1_000_000), ReadOnly: true}
	out, err := f.r.Call(env, state.NewReadOnly(f.kv), address.Zero, payerAt, "balance", mustMarshal(t, struct{ Of address.Address }{bob}), nil)
	require.NoError(t, err)
	require.Equal(t, mustMarshal(t, codec.NewU128(30)), out)
	require.Equal(t, []uint64{70, 30}, []uint64{f.balance(t, payerAt), f.balance(t, bob)})
}

// TestNoBank: a router nobody wired a bank into moves no coin, by either
// path, and says why.
func TestNoBank(t *testing.T) {
	store, err := state.Open(t.TempDir(), state.Options{})
	require.NoError(t, err)
	t.Cleanup(func() { store.Close() })
	r := router.New(gas.DefaultCosts(), testLims)
	r.Register("payer", payerAt, payer())
	require.Nil(t, r.Bank())
	_, err = r.Call(txEnv(), store.Working(), alice, payerAt, "pay", mustMarshal(t, PayArgs{To: bob}), nil)
	require.ErrorIs(t, err, router.ErrNoLedger)
	_, err = r.Call(txEnv(), store.Working(), alice, payerAt, "note", mustMarshal(t, KV{"k", "v"}), []router.Coin{{Token: coin, Amount: codec.NewU128(1)}})
	require.ErrorContains(t, err, "no token module")
}

// TestUnmeteredStore: the contract's own store, read without gas and never
// written.
func TestUnmeteredStore(t *testing.T) {
	f := newFixture(t, testLims)
	f.r.Register("payer", payerAt, payer())
	require.NoError(t, f.callPayer(t, "note", KV{"k", "stored"}, nil))

	unmetered := txEnv()
	out, err := f.r.Call(unmetered, f.kv, alice, payerAt, "raw", mustMarshal(t, KV{"k", "overwritten"}), nil)
	require.ErrorIs(t, err, state.ErrReadOnly)
	require.Nil(t, out)
	require.Equal(t, "stored", f.getAt(t, payerAt, "k"))

	// Reading through UnmeteredStore costs what a call with no reads costs.
	idle := txEnv()
	_, err = f.r.Call(idle, f.kv, alice, payerAt, "raw", mustMarshal(t, KV{"absent", ""}), nil)
	require.Error(t, err) // the write is refused, whatever it is
	require.Equal(t, idle.Gas.Used(), unmetered.Gas.Used(), "a present key and an absent one cost the same: no read was metered")
}
