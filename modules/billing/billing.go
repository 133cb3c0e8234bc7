package billing

import (
	"errors"
	"fmt"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/moduleid"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/modules/native"
)

// Address holds every storage deposit; its store holds the bills.
var Address = address.Module(moduleid.Billing)

// Name is the module's router name.
const Name = moduleid.NameBilling

// Sentinel errors callers test for. Each fails the write that caused it,
// and with it the call.
var (
	// ErrDeposit: the payer cannot lock the deposit for the bytes a write
	// adds (its native balance is short).
	ErrDeposit = errors.New("storage deposit not covered")
	// ErrQuota: a write would make its payer hold more than quota_bytes.
	ErrQuota = errors.New("storage quota exceeded")
)

// Params are the chain's economics, fixed in genesis.
type Params struct {
	// StoragePricePerByte is locked from the payer for each byte of key and
	// value its writes add to state, and returned when they go. 0 turns
	// deposits off (bytes are still counted).
	StoragePricePerByte codec.U128 `json:"storage_price_per_byte"`
	// ProposerPercent of a block's fees goes to its proposer; the rest is
	// shared among the validators that signed the previous block, by voting
	// power (rounding remainders go to the proposer too).
	ProposerPercent uint32 `json:"proposer_percent"`
	// QuotaBytes caps the bytes one payer may hold; 0 means no quota.
	QuotaBytes uint64 `json:"quota_bytes"`
}

// DefaultParams returns the billing defaults: 1 unit of the native coin a
// byte, 20 % to the proposer.
func DefaultParams() Params {
	return Params{StoragePricePerByte: codec.NewU128(1), ProposerPercent: 20}
}

// Validate checks the params are usable.
func (p Params) Validate() error {
	if p.ProposerPercent > 100 {
		return fmt.Errorf("billing: proposer_percent %d > 100", p.ProposerPercent)
	}
	return nil
}

// DepositFor is the deposit a key and value of these lengths lock at the
// chain's price (what sdk-rust's billing::deposit_for computes).
func (p Params) DepositFor(keyLen, valueLen int) (codec.U128, error) {
	return p.StoragePricePerByte.Mul64(uint64(keyLen + valueLen))
}

// Module is the billing module: the router's Biller, the app's fee
// bookkeeping (RecordFee, Distribute) and the native contract that answers
// bill and params. It moves coins only through the bank it was built with.
type Module struct {
	*native.Module // bill, params: the router.Contract side
	params         Params
	native         string
	bank           router.Bank
}

var _ router.Biller = (*Module)(nil)

// New builds the module for the native coin symbol over bank, the token
// ledger.
func New(p Params, nativeSymbol string, bank router.Bank) *Module {
	m := &Module{params: p, native: nativeSymbol, bank: bank}
	c := native.New(Name)
	native.Method(c, "bill", "What an address holds in state and has paid: bytes by category, deposit locked, fees, gas.", true,
		func(ctx *router.Context, a struct{ Address address.Address }) (Bill, error) {
			// Unmetered, as it always was: the bill is the chain's
			// bookkeeping, read whole.
			return readBill(ctx.UnmeteredStore(), a.Address)
		})
	native.Method(c, "params", "The chain's billing parameters.", true,
		func(*router.Context, native.Empty) (Params, error) { return m.params, nil })
	m.Module = c
	return m
}

// Params returns the module's parameters.
func (m *Module) Params() Params { return m.params }
