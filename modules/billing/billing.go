package billing

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"
	"sort"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/moduleid"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/core/state"
	"github.com/vsys/vsys/modules/native"
	"github.com/vsys/vsys/modules/token"
)

// Address holds every storage deposit; its store holds the bills.
var Address = address.Module(moduleid.Billing)

// Name is the module's router name.
const Name = moduleid.NameBilling

// Sentinel errors.
var (
	ErrDeposit = errors.New("storage deposit not covered")
	ErrQuota   = errors.New("storage quota exceeded")
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

// Bill is what an account or contract holds and has paid.
type Bill struct {
	Address    address.Address `json:"address"`
	Bytes      uint64          `json:"bytes"`     // bytes of state it pays for
	Deposit    codec.U128      `json:"deposit"`   // native coin locked for them (by whoever paid)
	FeesPaid   codec.U128      `json:"fees_paid"` // fees of its txs
	GasUsed    uint64          `json:"gas_used"`  // gas of its txs
	Categories []CategoryBytes `json:"categories"`
	// Funded is what it has locked for contracts' state its txs added
	// (counted in those contracts' deposits); it comes back to it when
	// those bytes are deleted or overwritten by someone else.
	Funded codec.U128 `json:"funded"`
}

// CategoryBytes is the bytes held under one category: "storage" (a
// contract's own), "code", "contracts", or "table/NAME".
type CategoryBytes struct {
	Category string `json:"category"`
	Bytes    uint64 `json:"bytes"`
}

type record struct {
	Bytes    uint64
	Deposit  codec.U128
	FeesPaid codec.U128
	GasUsed  uint64
}

// Module is the billing module: the router's Biller and the native
// contract that answers bill and params.
type Module struct {
	*native.Module // bill, params: the router.Contract side
	params         Params
	native         string
}

// New builds the module for the native coin symbol.
func New(p Params, nativeSymbol string) *Module {
	m := &Module{params: p, native: nativeSymbol}
	c := native.New(Name)
	native.Method(c, "bill", "What an address holds in state and has paid: bytes by category, deposit locked, fees, gas.", true,
		func(ctx *router.Context, a struct{ Address address.Address }) (Bill, error) {
			return ReadBill(ctx.Root(), a.Address)
		})
	native.Method(c, "params", "The chain's billing parameters.", true,
		func(*router.Context, native.Empty) (Params, error) { return m.params, nil })
	m.Module = c
	return m
}

// Params returns the module's parameters.
func (m *Module) Params() Params { return m.params }

func store(root state.KV) state.KV { return state.NewPrefix(root, router.StorePrefix(Address)) }

func recordKey(a address.Address) []byte { return append([]byte("b/"), a[:]...) }

func categoryKey(a address.Address, category string) []byte {
	return append(append([]byte("c/"), a[:]...), category...)
}

func load(kv state.KV, a address.Address) (record, error) {
	var r record
	b, err := kv.Get(recordKey(a))
	if err != nil || b == nil {
		return r, err
	}
	return r, codec.Unmarshal(b, &r)
}

func save(kv state.KV, a address.Address, r record) error {
	if r == (record{}) {
		return kv.Delete(recordKey(a))
	}
	b, err := codec.Marshal(r)
	if err != nil {
		return err
	}
	return kv.Set(recordKey(a), b)
}

// Charge implements router.Biller: it moves the deposit for delta bytes
// between payer and the module, and keeps the bill in step.
func (m *Module) Charge(root state.KV, payer address.Address, category string, delta int64) error {
	return m.charge(root, payer, category, delta, payer)
}

// ChargeKey implements router.Biller for state held by holder (a
// contract) but paid for by whoever adds it: the deposit for a key of
// scope's store, which held oldSize bytes (key plus value, 0: absent) and
// now holds newSize, comes from signer, and each key remembers who paid
// for it ('k/' ‖ scope ‖ key → payer), so that its deposit always goes
// back to that payer: when the key is deleted, or when another signer
// overwrites it (the new signer then pays for the whole new value). The
// holder's bill counts the bytes and the deposit; the payer's counts what
// it funded. A zero signer (no tx) bills the holder, as Charge does.
func (m *Module) ChargeKey(root state.KV, holder address.Address, category string, scope address.Address, key []byte, oldSize, newSize int64, signer address.Address) error {
	if signer == address.Zero {
		return m.charge(root, holder, category, newSize-oldSize, holder)
	}
	kv := store(root)
	pk := payerKey(scope, key)
	prev := holder // bytes written before anyone was recorded: the holder paid
	if oldSize > 0 {
		b, err := kv.Get(pk)
		if err != nil {
			return err
		}
		if len(b) == address.Len {
			prev, _ = address.FromBytes(b)
		}
	}
	switch {
	case newSize == 0 && oldSize == 0:
		return nil
	case newSize == 0:
		if err := m.charge(root, holder, category, -oldSize, prev); err != nil {
			return err
		}
		return kv.Delete(pk)
	case oldSize > 0 && prev == signer:
		if newSize == oldSize {
			return nil
		}
		return m.charge(root, holder, category, newSize-oldSize, signer)
	}
	if oldSize > 0 {
		if err := m.charge(root, holder, category, -oldSize, prev); err != nil {
			return err
		}
	}
	if err := m.charge(root, holder, category, newSize, signer); err != nil {
		return err
	}
	return kv.Set(pk, signer[:])
}

func payerKey(scope address.Address, key []byte) []byte {
	return append(append([]byte("k/"), scope[:]...), key...)
}

func fundedKey(a address.Address) []byte { return append([]byte("f/"), a[:]...) }

func loadFunded(kv state.KV, a address.Address) (codec.U128, error) {
	var f codec.U128
	b, err := kv.Get(fundedKey(a))
	if err != nil || b == nil {
		return f, err
	}
	return f, codec.Unmarshal(b, &f)
}

// addFunded adds (or, with sub, takes) amount to what a has funded of
// others' deposits.
func addFunded(kv state.KV, a address.Address, amount codec.U128, sub bool) error {
	f, err := loadFunded(kv, a)
	if err != nil {
		return err
	}
	if sub {
		if f, err = f.Sub(amount); err != nil {
			return fmt.Errorf("billing: %s gets back %s it did not fund: %w", a, amount, err)
		}
	} else if f, err = f.Add(amount); err != nil {
		return err
	}
	if f.IsZero() {
		return kv.Delete(fundedKey(a))
	}
	b, err := codec.Marshal(f)
	if err != nil {
		return err
	}
	return kv.Set(fundedKey(a), b)
}

// Locked is the native coin an address has locked in storage deposits:
// its own bill's deposit plus what it funded for contracts' state. It is
// what vsys_estimateGas reports a tx would lock or return for its sender.
func Locked(root state.KV, a address.Address) (codec.U128, error) {
	kv := store(root)
	r, err := load(kv, a)
	if err != nil {
		return codec.U128{}, err
	}
	f, err := loadFunded(kv, a)
	if err != nil {
		return codec.U128{}, err
	}
	return r.Deposit.Add(f)
}

// DepositFor is the deposit a key and value of these lengths lock at the
// chain's price (what sdk-rust's billing::deposit_for computes).
func (p Params) DepositFor(keyLen, valueLen int) (codec.U128, error) {
	return p.StoragePricePerByte.Mul64(uint64(keyLen + valueLen))
}

// charge moves the deposit for delta bytes of holder's state between
// funder and the module and keeps holder's bill (and, when funder is not
// holder, funder's funded total) in step.
func (m *Module) charge(root state.KV, holder address.Address, category string, delta int64, funder address.Address) error {
	kv := store(root)
	r, err := load(kv, holder)
	if err != nil {
		return err
	}
	ck := categoryKey(holder, category)
	var cat uint64
	if b, err := kv.Get(ck); err != nil {
		return err
	} else if len(b) == 8 {
		cat = binary.BigEndian.Uint64(b)
	}
	ledger := token.LedgerAt(root)
	if delta > 0 {
		n := uint64(delta)
		if q := m.params.QuotaBytes; q > 0 && r.Bytes+n > q {
			return fmt.Errorf("%w: %s would hold %d bytes, quota %d", ErrQuota, holder, r.Bytes+n, q)
		}
		dep, err := m.params.StoragePricePerByte.Mul64(n)
		if err != nil {
			return err
		}
		if !dep.IsZero() {
			if err := ledger.Transfer(funder, Address, m.native, dep); err != nil {
				return fmt.Errorf("%w: %d new bytes need %s %s from %s: %v", ErrDeposit, n, dep, m.native, funder, err)
			}
			if r.Deposit, err = r.Deposit.Add(dep); err != nil {
				return err
			}
			if funder != holder {
				if err := addFunded(kv, funder, dep, false); err != nil {
					return err
				}
			}
		}
		r.Bytes += n
		cat += n
	} else if delta < 0 {
		n := uint64(-delta)
		if n > r.Bytes || n > cat {
			return fmt.Errorf("billing: %s frees %d bytes of %s but holds %d", holder, n, category, cat)
		}
		// Return the deposit in proportion to the bytes freed, so that
		// freeing everything returns exactly what was locked.
		back := r.Deposit
		if n < r.Bytes {
			if back, err = m.params.StoragePricePerByte.Mul64(n); err != nil {
				return err
			}
			if back.Cmp(r.Deposit) > 0 {
				back = r.Deposit
			}
		}
		if !back.IsZero() {
			if err := ledger.Transfer(Address, funder, m.native, back); err != nil {
				return fmt.Errorf("billing: return deposit: %w", err)
			}
			if r.Deposit, err = r.Deposit.Sub(back); err != nil {
				return err
			}
			if funder != holder {
				if err := addFunded(kv, funder, back, true); err != nil {
					return err
				}
			}
		}
		r.Bytes -= n
		cat -= n
	} else {
		return nil
	}
	if cat == 0 {
		err = kv.Delete(ck)
	} else {
		err = kv.Set(ck, binary.BigEndian.AppendUint64(nil, cat))
	}
	if err != nil {
		return err
	}
	return save(kv, holder, r)
}

// RecordFee adds a tx's fee and gas to its sender's bill.
func RecordFee(root state.KV, sender address.Address, fee codec.U128, gasUsed uint64) error {
	kv := store(root)
	r, err := load(kv, sender)
	if err != nil {
		return err
	}
	if r.FeesPaid, err = r.FeesPaid.Add(fee); err != nil {
		return err
	}
	r.GasUsed += gasUsed
	return save(kv, sender, r)
}

// ReadBill reads a bill from a root store (any committed view too).
func ReadBill(root state.KV, a address.Address) (Bill, error) {
	kv := store(root)
	r, err := load(kv, a)
	if err != nil {
		return Bill{}, err
	}
	b := Bill{Address: a, Bytes: r.Bytes, Deposit: r.Deposit, FeesPaid: r.FeesPaid, GasUsed: r.GasUsed, Categories: []CategoryBytes{}}
	if b.Funded, err = loadFunded(kv, a); err != nil {
		return b, err
	}
	p := categoryKey(a, "")
	it, err := kv.Iterator(p, state.PrefixEnd(p), true)
	if err != nil {
		return b, err
	}
	defer it.Close()
	for ; it.Valid(); it.Next() {
		b.Categories = append(b.Categories, CategoryBytes{Category: string(it.Key()[len(p):]), Bytes: binary.BigEndian.Uint64(it.Value())})
	}
	return b, it.Error()
}

// Validator is one signer of a block, by its CometBFT address (which is
// its vsys address: both are the first 20 bytes of sha256(pubkey)).
type Validator struct {
	Address address.Address
	Power   int64
}

// Distribute pays out everything the fee collector holds: ProposerPercent
// to the proposer, the rest to the validators by power, and what rounding
// leaves to the proposer. It returns what each got, for events and tests.
func (m *Module) Distribute(root state.KV, collector, proposer address.Address, validators []Validator) (map[address.Address]codec.U128, error) {
	ledger := token.LedgerAt(root)
	total, err := ledger.Balance(collector, m.native)
	if err != nil || total.IsZero() {
		return nil, err
	}
	paid := map[address.Address]codec.U128{}
	pay := func(to address.Address, amt codec.U128) error {
		if amt.IsZero() {
			return nil
		}
		if err := ledger.Transfer(collector, to, m.native, amt); err != nil {
			return err
		}
		sum, err := paid[to].Add(amt)
		paid[to] = sum
		return err
	}
	var totalPower uint64
	for _, v := range validators {
		if v.Power > 0 {
			totalPower += uint64(v.Power)
		}
	}
	share := mulDiv(total, uint64(m.params.ProposerPercent), 100)
	if totalPower == 0 {
		share = total
	}
	rest, _ := total.Sub(share)
	var given codec.U128
	// In address order, so every node pays in the same order.
	vs := append([]Validator(nil), validators...)
	sort.Slice(vs, func(i, j int) bool { return string(vs[i].Address[:]) < string(vs[j].Address[:]) })
	for _, v := range vs {
		if v.Power <= 0 {
			continue
		}
		amt := mulDiv(rest, uint64(v.Power), totalPower)
		if err := pay(v.Address, amt); err != nil {
			return nil, err
		}
		given, _ = given.Add(amt)
	}
	left, _ := total.Sub(given)
	return paid, pay(proposer, left)
}

// mulDiv returns x*num/den for small num and den (both below 2^32 in
// practice), exactly, without overflowing u128.
func mulDiv(x codec.U128, num, den uint64) codec.U128 {
	if den == 0 {
		return codec.U128{}
	}
	q, r := divmod(x, den)
	a, _ := q.Mul64(num)
	rem, _ := codec.NewU128(r).Mul64(num)
	b, _ := divmod(rem, den)
	sum, _ := a.Add(b)
	return sum
}

// divmod divides a u128 by a u64.
func divmod(x codec.U128, d uint64) (codec.U128, uint64) {
	qHi, rHi := x.Hi/d, x.Hi%d
	qLo, r := bits.Div64(rHi, x.Lo, d)
	return codec.U128{Hi: qHi, Lo: qLo}, r
}
