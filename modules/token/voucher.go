package token

import (
	"errors"
	"fmt"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/core/state"
)

// Vouchers stand for coins escrowed on another chain (ICS-20): their
// symbol is "ibc/" and the upper-case hex of sha256 of the denom's trace
// ("transfer/07-tendermint-0/VSYS"), as ibc-go names them. A voucher's
// record is made on its first mint, with no issuer (nobody issues it by
// tx) and the largest max supply: the coins it stands for are bounded on
// their home chain. Once it exists it is a token like any other: send,
// balance and burn work on it.

// ErrNotVoucher is a voucher mint or burn of a denom that is not a
// voucher's.
var ErrNotVoucher = errors.New("not a voucher denom")

// VoucherPrefix begins every voucher's symbol.
const VoucherPrefix = "ibc/"

// IsVoucher reports whether s is a voucher symbol: "ibc/" and 64
// upper-case hex digits.
func IsVoucher(s string) bool {
	if len(s) != len(VoucherPrefix)+64 || s[:len(VoucherPrefix)] != VoucherPrefix {
		return false
	}
	for i := len(VoucherPrefix); i < len(s); i++ {
		if !(s[i] >= '0' && s[i] <= '9' || s[i] >= 'A' && s[i] <= 'F') {
			return false
		}
	}
	return true
}

// Vouchers implements router.VoucherBank: the voucher mint on root.
func (*Module) Vouchers(root state.KV) router.Vouchers { return vouchers{ledgerAt(root)} }

// vouchers mints and burns voucher denoms only.
type vouchers struct{ l ledger }

// MintVoucher implements router.Vouchers: it creates the voucher's record
// on first use.
func (v vouchers) MintVoucher(to address.Address, denom string, amount codec.U128) error {
	if !IsVoucher(denom) {
		return fmt.Errorf("%w: %q", ErrNotVoucher, denom)
	}
	b, err := v.l.kv.Get(infoKey(denom))
	if err != nil {
		return err
	}
	if b == nil {
		// Not through Create: a voucher's symbol is outside ValidSymbol
		// on purpose, so no tx can create one.
		if err := v.l.putInfo(Info{Symbol: denom, Name: "interchain voucher", MaxSupply: codec.MaxU128}); err != nil {
			return err
		}
	}
	return v.l.Mint(to, denom, amount)
}

// BurnVoucher implements router.Vouchers.
func (v vouchers) BurnVoucher(from address.Address, denom string, amount codec.U128) error {
	if !IsVoucher(denom) {
		return fmt.Errorf("%w: %q", ErrNotVoucher, denom)
	}
	return v.l.Burn(from, denom, amount)
}
