package router

import (
	"errors"
	"fmt"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/state"
)

// What a module may do to state that is not its own is declared here, in
// the spirit of go-ethereum's core/vm/interface.go: each cross-module
// dependency is a small interface that the owning module implements and
// the app wires once (app.newRouter). A module never gets the whole state
// of a call: it gets its own store (Context.Store, BilledStore,
// UnmeteredStore), the ledger bound to the call (Context.Ledger), and
// whatever interface it was built with. So nothing outside modules/token
// writes a balance, and nothing outside modules/billing writes a bill.

// ErrNoLedger is returned by the ledger of a router without a Bank: no
// token module was wired, so no coin can move.
var ErrNoLedger = errors.New("no token ledger wired")

// Ledger is the token ledger bound to one state: balances and transfers of
// any token. Transfer checks the sender's balance and the token's
// existence; a zero amount moves nothing but still needs a known token.
type Ledger interface {
	Balance(a address.Address, symbol string) (codec.U128, error)
	// Balances returns every non-zero balance of a, ordered by symbol.
	Balances(a address.Address) ([]Coin, error)
	Transfer(from, to address.Address, symbol string, amount codec.U128) error
}

// Minter creates coins within a token's max supply: the staking module's
// block reward. Only code outside any call (the end of a block) is given
// one; a call's context offers none.
type Minter interface {
	// Supply returns a token's current and maximum supply.
	Supply(symbol string) (supply, max codec.U128, err error)
	Mint(to address.Address, symbol string, amount codec.U128) error
}

// Bank opens the token ledger on a state: kv is a root store (a call's,
// a tx's, a committed view). The token module implements it; the router
// moves attached funds with it and binds it to each call (Context.Ledger).
type Bank interface {
	Ledger(kv state.KV) Ledger
	Minter(kv state.KV) Minter
}

// Biller charges for the state a call adds: the billing module implements
// it. Charge gets the change in bytes (key plus value) a write made for
// payer under category, on the call's root store: a positive delta locks
// a deposit from payer, a negative one returns it. An error fails the
// write, and with it the call.
//
// ChargeKey bills one key of state that holder keeps but does not pay
// for: the key of scope's store (scope: the contract or module whose
// store it is) went from oldSize to newSize bytes (0: absent), and the
// deposit comes from signer, the tx's signer, who gets it back when the
// key goes (see docs/billing.md).
type Biller interface {
	Charge(root state.KV, payer address.Address, category string, delta int64) error
	ChargeKey(root state.KV, holder address.Address, category string, scope address.Address, key []byte, oldSize, newSize int64, signer address.Address) error
}

// SetBank installs the token ledger: attached funds move through it, and
// every call's Context.Ledger is it bound to the call's state.
func (r *Router) SetBank(b Bank) { r.bank = b }

// Bank returns the installed token ledger (nil before SetBank).
func (r *Router) Bank() Bank { return r.bank }

// SetBiller installs the biller; without one nothing is billed.
func (r *Router) SetBiller(b Biller) { r.biller = b }

// noLedger is the ledger of a router without a Bank.
type noLedger struct{}

func (noLedger) Balance(address.Address, string) (codec.U128, error) {
	return codec.U128{}, ErrNoLedger
}
func (noLedger) Balances(address.Address) ([]Coin, error) { return nil, ErrNoLedger }
func (noLedger) Transfer(address.Address, address.Address, string, codec.U128) error {
	return ErrNoLedger
}

// ErrNoVouchers is returned by Context.Vouchers to every contract but the
// one the vouchers were granted to, and in read-only calls.
var ErrNoVouchers = errors.New("vouchers not granted to this contract")

// Vouchers mints and burns the tokens that stand for coins escrowed on
// another chain ("ibc/…" denoms, docs/interchain.md): minted when coins
// arrive, burned when they go back. Only voucher denoms: it cannot touch
// the native coin or a user token.
type Vouchers interface {
	MintVoucher(to address.Address, denom string, amount codec.U128) error
	BurnVoucher(from address.Address, denom string, amount codec.U128) error
}

// VoucherBank opens Vouchers on a root store; the token module
// implements it.
type VoucherBank interface {
	Vouchers(root state.KV) Vouchers
}

// voucherGrant is who may mint vouchers: one module.
type voucherGrant struct {
	holder address.Address
	bank   VoucherBank
}

// SetVouchers lets the module at holder (the interchain module's transfer
// app) mint and burn vouchers through Context.Vouchers; no other contract
// can.
func (r *Router) SetVouchers(holder address.Address, vb VoucherBank) {
	r.vouchers = voucherGrant{holder: holder, bank: vb}
}

// Vouchers is the voucher mint on this call's state, reverted with the
// call, for the module SetVouchers named only.
func (c *Context) Vouchers() (Vouchers, error) {
	g := c.router.vouchers
	if g.bank == nil || c.Self != g.holder || c.readOnly {
		return nil, fmt.Errorf("%w: %s", ErrNoVouchers, c.Self)
	}
	return g.bank.Vouchers(c.root), nil
}
