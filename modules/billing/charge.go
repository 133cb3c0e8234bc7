package billing

import (
	"encoding/binary"
	"fmt"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/state"
)

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
	ledger := m.bank.Ledger(root)
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
