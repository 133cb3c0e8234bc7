package token_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/gas"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/modules/native"
	"github.com/vsys/vsys/modules/token"
)

var voucher = "ibc/" + strings.Repeat("AB", 32)

// minterModule is a native module whose one method mints or burns a
// voucher through its call's Context.Vouchers.
func minterModule() *native.Module {
	type args struct {
		Burn   bool
		Denom  string
		Holder address.Address
		Amount codec.U128
	}
	m := native.New("minter")
	native.Method(m, "run", "", false, func(ctx *router.Context, a args) (native.Empty, error) {
		v, err := ctx.Vouchers()
		if err != nil {
			return native.Empty{}, err
		}
		if a.Burn {
			return native.Empty{}, v.BurnVoucher(a.Holder, a.Denom, a.Amount)
		}
		return native.Empty{}, v.MintVoucher(a.Holder, a.Denom, a.Amount)
	})
	return m
}

// TestVouchers: the module granted the vouchers mints one (its record
// made on first use), the holder sends and burns it like any token; no
// other contract gets the mint, and no denom but a voucher's is minted.
func TestVouchers(t *testing.T) {
	h := newHarness(t)
	granted, other := address.Module(0x60), address.Module(0x61)
	h.r.Register("minter", granted, minterModule())
	h.r.Register("other", other, minterModule())
	h.r.SetVouchers(granted, token.New())
	run := func(at address.Address, burn bool, denom string, holder address.Address, amount uint64) error {
		env := &router.Env{Origin: alice, Gas: gas.NewMeter(10_000_000)}
		args := marshal(t, struct {
			Burn   bool
			Denom  string
			Holder address.Address
			Amount codec.U128
		}{burn, denom, holder, u(amount)})
		_, err := h.r.Call(env, h.kv, alice, at, "run", args, nil)
		return err
	}
	require.ErrorIs(t, run(other, false, voucher, bob, 5), router.ErrNoVouchers)
	require.ErrorIs(t, run(granted, false, coin, bob, 5), token.ErrNotVoucher)
	require.ErrorIs(t, run(granted, false, "ibc/"+strings.Repeat("ab", 32), bob, 5), token.ErrNotVoucher, "lower-case hex is not ibc-go's")
	require.NoError(t, run(granted, false, voucher, bob, 70))
	require.NoError(t, run(granted, false, voucher, bob, 30))

	var info token.Info
	require.NoError(t, h.query("info", token.TokenArgs{Token: voucher}, &info))
	require.Equal(t, token.Info{Symbol: voucher, Name: "interchain voucher", MaxSupply: codec.MaxU128, Supply: u(100)}, info)
	_, _, err := h.call(bob, "send", token.SendArgs{Token: voucher, To: carol, Amount: u(40)})
	require.NoError(t, err)
	_, _, err = h.call(bob, "issue", token.IssueArgs{Token: voucher, Amount: u(1)})
	require.ErrorIs(t, err, token.ErrNotIssuer, "nobody issues a voucher by tx")

	require.ErrorIs(t, run(granted, true, voucher, bob, 61), token.ErrInsufficientFunds)
	require.NoError(t, run(granted, true, voucher, bob, 60))
	var bal codec.U128
	require.NoError(t, h.query("balance", token.BalanceArgs{Address: carol, Token: voucher}, &bal))
	require.Equal(t, u(40), bal)
	require.NoError(t, h.query("supply", token.TokenArgs{Token: voucher}, &bal))
	require.Equal(t, u(40), bal)
	require.True(t, token.IsVoucher(voucher))
	require.False(t, token.IsVoucher(voucher[:len(voucher)-1]))
}
