package router

import (
	"github.com/vsys/vsys/app/address"
	"github.com/vsys/vsys/app/state"
)

// Biller charges for the state a call adds: the billing module implements
// it. Charge gets the change in bytes (key plus value) a write made for
// payer under category, on the call's root store: a positive delta locks
// a deposit from payer, a negative one returns it. An error fails the
// write, and with it the call.
type Biller interface {
	Charge(root state.KV, payer address.Address, category string, delta int64) error
}

// SetBiller installs the biller; without one nothing is billed.
func (r *Router) SetBiller(b Biller) { r.biller = b }

// billedKV bills every write through it to payer: it reads the old value
// first (unmetered: the bookkeeping is the chain's, not the caller's) and
// charges the difference in size.
type billedKV struct {
	state.KV
	root     state.KV
	biller   Biller
	payer    address.Address
	category string
}

func size(key, value []byte) int64 {
	if value == nil {
		return 0
	}
	return int64(len(key) + len(value))
}

func (b billedKV) Set(key, value []byte) error {
	old, err := b.KV.Get(key)
	if err != nil {
		return err
	}
	if err := b.KV.Set(key, value); err != nil {
		return err
	}
	if delta := size(key, value) - size(key, old); delta != 0 {
		return b.biller.Charge(b.root, b.payer, b.category, delta)
	}
	return nil
}

func (b billedKV) Delete(key []byte) error {
	old, err := b.KV.Get(key)
	if err != nil || old == nil {
		return err
	}
	if err := b.KV.Delete(key); err != nil {
		return err
	}
	return b.biller.Charge(b.root, b.payer, b.category, -size(key, old))
}

// billed wraps kv so that writes are charged to payer under category.
func (r *Router) billed(kv, root state.KV, payer address.Address, category string) state.KV {
	if r.biller == nil {
		return kv
	}
	return billedKV{KV: kv, root: root, biller: r.biller, payer: payer, category: category}
}

// CategoryStorage is the bill category of a contract's own storage.
const CategoryStorage = "storage"

// BilledStore is this contract's store like Store, but with every write
// billed to payer under category: a native module that keeps state on
// someone's behalf (table rows, uploaded code) makes them pay for it.
func (c *Context) BilledStore(payer address.Address, category string) state.KV {
	prefixed := state.NewPrefix(c.root, StorePrefix(c.Self))
	return state.NewGasKV(c.router.billed(prefixed, c.root, payer, category), c.Env.Gas, &c.router.costs)
}
