package billing

import (
	"encoding/binary"
	"fmt"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/core/state"
	"github.com/vsys/vsys/modules/native"
)

// The module's store: 'b/' ‖ address → record, 'c/' ‖ address ‖ category
// → u64 BE bytes, 'f/' ‖ address → u128 funded, 'k/' ‖ scope ‖ key →
// the address that paid for the key.

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

// record is a bill as stored under 'b/' ‖ address.
type record struct {
	Bytes    uint64
	Deposit  codec.U128
	FeesPaid codec.U128
	GasUsed  uint64
}

// store is the module's part of a root store.
func store(root state.KV) state.KV { return router.StoreOf(root, Address) }

func recordKey(a address.Address) []byte { return append([]byte("b/"), a[:]...) }

func categoryKey(a address.Address, category string) []byte {
	return append(append([]byte("c/"), a[:]...), category...)
}

func load(kv state.KV, a address.Address) (record, error) {
	var r record
	_, err := native.GetRecord(kv, recordKey(a), &r)
	return r, err
}

func save(kv state.KV, a address.Address, r record) error {
	if r == (record{}) {
		return kv.Delete(recordKey(a))
	}
	return native.PutRecord(kv, recordKey(a), r)
}

func fundedKey(a address.Address) []byte { return append([]byte("f/"), a[:]...) }

func loadFunded(kv state.KV, a address.Address) (codec.U128, error) {
	var f codec.U128
	_, err := native.GetRecord(kv, fundedKey(a), &f)
	return f, err
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
	return native.PutRecord(kv, fundedKey(a), f)
}

// Locked is the native coin an address has locked in storage deposits:
// its own bill's deposit plus what it funded for contracts' state, read
// from root (a root store, a committed view too). It is what
// vsys_estimateGas reports a tx would lock or return for its sender. Bills
// are read by anyone; they are written only by the Module (its Biller side
// and RecordFee).
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

// RecordFee adds a tx's fee and gas to its sender's bill on root.
func (m *Module) RecordFee(root state.KV, sender address.Address, fee codec.U128, gasUsed uint64) error {
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
func ReadBill(root state.KV, a address.Address) (Bill, error) { return readBill(store(root), a) }

// readBill reads a bill from kv, the module's store.
func readBill(kv state.KV, a address.Address) (Bill, error) {
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
