package token

import (
	"errors"
	"fmt"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/moduleid"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/core/state"
	"github.com/vsys/vsys/modules/native"
)

// Address is the token module's reserved address.
var Address = address.Module(moduleid.Token)

// Sentinel errors callers test for. Whoever moves coins through the
// ledger (the router's attached funds, billing's deposits, staking's
// stakes, fees) gets these too.
var (
	// ErrInsufficientFunds: the sender's balance is short of the amount.
	ErrInsufficientFunds = errors.New("insufficient funds")
	// ErrUnknownToken: no token has that symbol.
	ErrUnknownToken = errors.New("unknown token")
	// ErrTokenExists: create of a symbol taken already.
	ErrTokenExists = errors.New("token already exists")
	// ErrNotIssuer: issue by anyone but the token's issuer (nobody issues
	// the native coin).
	ErrNotIssuer = errors.New("only the issuer may do this")
	// ErrMaxSupply: issuing would take the supply past the max supply.
	ErrMaxSupply = errors.New("max supply exceeded")
	// ErrInvalid: create's symbol, name, decimals or max supply are out of
	// range.
	ErrInvalid = errors.New("invalid token parameters")
)

// Info describes a token.
type Info struct {
	Symbol    string          `json:"symbol"`
	Name      string          `json:"name"`
	Decimals  uint8           `json:"decimals"`
	MaxSupply codec.U128      `json:"max_supply"`
	Supply    codec.U128      `json:"supply"`
	Issuer    address.Address `json:"issuer"` // zero for the native coin: nobody may issue it by tx
}

// ledger reads and writes balances and token records on the token
// module's own store. It is unexported: other packages reach it only as a
// router.Ledger or router.Minter, opened by the Module (a router.Bank)
// that the app wires once.
type ledger struct{ kv state.KV }

// ledgerAt wraps the token module's part of a root store.
func ledgerAt(root state.KV) ledger { return ledger{router.StoreOf(root, Address)} }

func infoKey(symbol string) []byte { return append([]byte{'t'}, symbol...) }

func balanceKey(a address.Address, symbol string) []byte {
	k := make([]byte, 0, 1+address.Len+len(symbol))
	k = append(append(append(k, 'b'), a[:]...), symbol...)
	return k
}

// Info returns a token's record.
func (l ledger) Info(symbol string) (Info, error) {
	var info Info
	ok, err := native.GetRecord(l.kv, infoKey(symbol), &info)
	if err == nil && !ok {
		err = fmt.Errorf("%w %q", ErrUnknownToken, symbol)
	}
	return info, err
}

// Supply implements router.Minter: a token's current and maximum supply.
func (l ledger) Supply(symbol string) (supply, max codec.U128, err error) {
	info, err := l.Info(symbol)
	return info.Supply, info.MaxSupply, err
}

func (l ledger) putInfo(info Info) error {
	return native.PutRecord(l.kv, infoKey(info.Symbol), info)
}

// Balance returns a's balance of symbol (zero when absent).
func (l ledger) Balance(a address.Address, symbol string) (codec.U128, error) {
	b, err := l.kv.Get(balanceKey(a, symbol))
	if err != nil || b == nil {
		return codec.U128{}, err
	}
	r := codec.NewReader(b)
	v := r.U128()
	return v, r.Finish()
}

func (l ledger) setBalance(a address.Address, symbol string, v codec.U128) error {
	if v.IsZero() { // keep state minimal: zero balances take no space
		return l.kv.Delete(balanceKey(a, symbol))
	}
	w := codec.NewWriter(16)
	w.U128(v)
	return l.kv.Set(balanceKey(a, symbol), w.Bytes())
}

// Balances returns every non-zero balance of a, ordered by symbol.
func (l ledger) Balances(a address.Address) ([]router.Coin, error) {
	prefix := append([]byte{'b'}, a[:]...)
	it, err := state.NewPrefix(l.kv, prefix).Iterator(nil, nil, true)
	if err != nil {
		return nil, err
	}
	defer it.Close()
	out := []router.Coin{}
	for ; it.Valid(); it.Next() {
		r := codec.NewReader(it.Value())
		v := r.U128()
		if err := r.Finish(); err != nil {
			return nil, err
		}
		out = append(out, router.Coin{Token: string(it.Key()), Amount: v})
	}
	return out, it.Error()
}

// Transfer moves amount of symbol from one account to another.
func (l ledger) Transfer(from, to address.Address, symbol string, amount codec.U128) error {
	if amount.IsZero() {
		_, err := l.Info(symbol)
		return err
	}
	fromBal, err := l.Balance(from, symbol)
	if err != nil {
		return err
	}
	if fromBal.Cmp(amount) < 0 {
		if _, err := l.Info(symbol); err != nil {
			return err
		}
		return fmt.Errorf("%w: %s has %s %s, needs %s", ErrInsufficientFunds, from, fromBal, symbol, amount)
	}
	if from == to { // nothing moves, but only a sender who could pay may say so
		return nil
	}
	toBal, err := l.Balance(to, symbol)
	if err != nil {
		return err
	}
	newTo, err := toBal.Add(amount)
	if err != nil {
		return fmt.Errorf("credit %s: %w", to, err)
	}
	newFrom, _ := fromBal.Sub(amount)
	if err := l.setBalance(from, symbol, newFrom); err != nil {
		return err
	}
	return l.setBalance(to, symbol, newTo)
}

// Mint creates amount of symbol for to, within the max supply.
func (l ledger) Mint(to address.Address, symbol string, amount codec.U128) error {
	info, err := l.Info(symbol)
	if err != nil {
		return err
	}
	supply, err := info.Supply.Add(amount)
	if err != nil {
		return fmt.Errorf("issue %s %s: %w", amount, symbol, err)
	}
	if supply.Cmp(info.MaxSupply) > 0 {
		return fmt.Errorf("%w: issuing %s %s would make supply %s, max %s", ErrMaxSupply, amount, symbol, supply, info.MaxSupply)
	}
	bal, err := l.Balance(to, symbol)
	if err != nil {
		return err
	}
	if bal, err = bal.Add(amount); err != nil {
		return fmt.Errorf("credit %s: %w", to, err)
	}
	info.Supply = supply
	if err := l.putInfo(info); err != nil {
		return err
	}
	return l.setBalance(to, symbol, bal)
}

// Burn destroys amount of symbol held by from.
func (l ledger) Burn(from address.Address, symbol string, amount codec.U128) error {
	info, err := l.Info(symbol)
	if err != nil {
		return err
	}
	bal, err := l.Balance(from, symbol)
	if err != nil {
		return err
	}
	newBal, err := bal.Sub(amount)
	if err != nil {
		return fmt.Errorf("%w: %s has %s %s, burning %s", ErrInsufficientFunds, from, bal, symbol, amount)
	}
	if info.Supply, err = info.Supply.Sub(amount); err != nil {
		return fmt.Errorf("token %s supply: %w", symbol, err)
	}
	if err := l.putInfo(info); err != nil {
		return err
	}
	return l.setBalance(from, symbol, newBal)
}

// Create registers a new token.
func (l ledger) Create(info Info) error {
	if err := validate(info); err != nil {
		return err
	}
	if b, err := l.kv.Get(infoKey(info.Symbol)); err != nil {
		return err
	} else if b != nil {
		return fmt.Errorf("%w: %s", ErrTokenExists, info.Symbol)
	}
	info.Supply = codec.U128{}
	return l.putInfo(info)
}

// ValidSymbol reports whether s is a well-formed token symbol: 2 to 12
// upper-case letters or digits, starting with a letter.
func ValidSymbol(s string) bool {
	if len(s) < 2 || len(s) > 12 || s[0] < 'A' || s[0] > 'Z' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !(s[i] >= 'A' && s[i] <= 'Z' || s[i] >= '0' && s[i] <= '9') {
			return false
		}
	}
	return true
}

func validate(info Info) error {
	switch {
	case !ValidSymbol(info.Symbol):
		return fmt.Errorf("%w: symbol %q must be 2-12 upper-case letters or digits, starting with a letter", ErrInvalid, info.Symbol)
	case len(info.Name) == 0 || len(info.Name) > 64:
		return fmt.Errorf("%w: name of %d bytes (1..64)", ErrInvalid, len(info.Name))
	case info.Decimals > 18:
		return fmt.Errorf("%w: %d decimals (at most 18)", ErrInvalid, info.Decimals)
	case info.MaxSupply.IsZero():
		return fmt.Errorf("%w: max supply must be positive", ErrInvalid)
	}
	return nil
}

// Allocation is a genesis balance of the native coin.
type Allocation struct {
	Address address.Address
	Amount  codec.U128
}

// Genesis creates the native coin (coin, with no issuer: nobody may issue
// it by tx) and credits the allocations, in order, on root. Zero amounts
// are skipped: a zero balance takes no space, and rewriting the coin's
// record for nothing would still touch the tree.
func Genesis(root state.KV, coin Info, allocs []Allocation) error {
	l := ledgerAt(root)
	coin.Issuer = address.Zero
	if err := l.Create(coin); err != nil {
		return fmt.Errorf("native coin %s: %w", coin.Symbol, err)
	}
	for _, a := range allocs {
		if a.Amount.IsZero() {
			continue
		}
		if err := l.Mint(a.Address, coin.Symbol, a.Amount); err != nil {
			return fmt.Errorf("account %s: %w", a.Address, err)
		}
	}
	return nil
}
