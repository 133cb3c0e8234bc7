package token

import (
	"errors"
	"fmt"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/moduleid"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/core/state"
)

// Address is the token module's reserved address.
var Address = address.Module(moduleid.Token)

// Sentinel errors callers test for.
var (
	ErrInsufficientFunds = errors.New("insufficient funds")
	ErrUnknownToken      = errors.New("unknown token")
	ErrTokenExists       = errors.New("token already exists")
	ErrNotIssuer         = errors.New("only the issuer may do this")
	ErrMaxSupply         = errors.New("max supply exceeded")
	ErrInvalid           = errors.New("invalid token parameters")
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

// Ledger reads and writes balances and token records on the token module's
// own store. The app uses it for fees and genesis; the module's methods
// use it for everything else.
type Ledger struct{ kv state.KV }

// NewLedger wraps the token module's store (already prefixed).
func NewLedger(kv state.KV) Ledger { return Ledger{kv} }

// LedgerAt wraps the token module's part of a root store.
func LedgerAt(root state.KV) Ledger {
	return Ledger{state.NewPrefix(root, router.StorePrefix(Address))}
}

func infoKey(symbol string) []byte { return append([]byte{'t'}, symbol...) }

func balanceKey(a address.Address, symbol string) []byte {
	k := make([]byte, 0, 1+address.Len+len(symbol))
	k = append(append(append(k, 'b'), a[:]...), symbol...)
	return k
}

// Info returns a token's record.
func (l Ledger) Info(symbol string) (Info, error) {
	var info Info
	b, err := l.kv.Get(infoKey(symbol))
	if err != nil {
		return info, err
	}
	if b == nil {
		return info, fmt.Errorf("%w %q", ErrUnknownToken, symbol)
	}
	if err := codec.Unmarshal(b, &info); err != nil {
		return info, fmt.Errorf("token %s record: %w", symbol, err)
	}
	return info, nil
}

func (l Ledger) putInfo(info Info) error {
	b, err := codec.Marshal(info)
	if err != nil {
		return err
	}
	return l.kv.Set(infoKey(info.Symbol), b)
}

// Balance returns a's balance of symbol (zero when absent).
func (l Ledger) Balance(a address.Address, symbol string) (codec.U128, error) {
	b, err := l.kv.Get(balanceKey(a, symbol))
	if err != nil || b == nil {
		return codec.U128{}, err
	}
	r := codec.NewReader(b)
	v := r.U128()
	return v, r.Finish()
}

func (l Ledger) setBalance(a address.Address, symbol string, v codec.U128) error {
	if v.IsZero() { // keep state minimal: zero balances take no space
		return l.kv.Delete(balanceKey(a, symbol))
	}
	w := codec.NewWriter(16)
	w.U128(v)
	return l.kv.Set(balanceKey(a, symbol), w.Bytes())
}

// Balances returns every non-zero balance of a, ordered by symbol.
func (l Ledger) Balances(a address.Address) ([]router.Coin, error) {
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
func (l Ledger) Transfer(from, to address.Address, symbol string, amount codec.U128) error {
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
func (l Ledger) Mint(to address.Address, symbol string, amount codec.U128) error {
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
func (l Ledger) Burn(from address.Address, symbol string, amount codec.U128) error {
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
func (l Ledger) Create(info Info) error {
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

// MoveFunds is the router's FundsMover: it moves attached coins from the
// caller to the called contract.
func MoveFunds(kv state.KV, from, to address.Address, coins []router.Coin) error {
	l := LedgerAt(kv)
	for _, c := range coins {
		if err := l.Transfer(from, to, c.Token, c.Amount); err != nil {
			return err
		}
	}
	return nil
}
