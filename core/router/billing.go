package router

import (
	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/state"
)

// billedKV bills every write through it to payer: it reads the old value
// first (unmetered: the bookkeeping is the chain's, not the caller's) and
// charges the difference in size. With perKey, payer is a contract that
// holds the state and signer pays for it, key by key (Biller.ChargeKey).
type billedKV struct {
	state.KV
	root     state.KV
	biller   Biller
	payer    address.Address
	category string
	perKey   bool
	scope    address.Address
	signer   address.Address
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
	if b.perKey {
		return b.biller.ChargeKey(b.root, b.payer, b.category, b.scope, key, size(key, old), size(key, value), b.signer)
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
	if b.perKey {
		return b.biller.ChargeKey(b.root, b.payer, b.category, b.scope, key, size(key, old), 0, b.signer)
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

// billedToSigner wraps kv, the store of scope, so that writes are held by
// holder, a contract, under category, and paid for by the tx's signer key
// by key: a contract's balance is its users' coins (escrows, locks), and
// never pays storage deposits.
func (r *Router) billedToSigner(kv, root state.KV, holder address.Address, category string, scope, signer address.Address) state.KV {
	if r.biller == nil {
		return kv
	}
	return billedKV{KV: kv, root: root, biller: r.biller, payer: holder, category: category, perKey: true, scope: scope, signer: signer}
}

// CategoryStorage is the bill category of a contract's own storage.
const CategoryStorage = "storage"

// BilledStore is this contract's store like Store, but with every write
// billed to payer under category: a native module that keeps state on
// someone's behalf (table rows, uploaded code) makes them pay for it.
// When payer is the contract calling the module (a contract writing its
// own table), the state is still payer's, but the tx's signer pays for
// it, key by key, as for a contract's own storage.
func (c *Context) BilledStore(payer address.Address, category string) state.KV {
	prefixed := StoreOf(c.root, c.Self)
	kv := c.router.billed(prefixed, c.root, payer, category)
	if payer == c.Caller && payer != c.Env.Origin && c.Env.Origin != address.Zero {
		kv = c.router.billedToSigner(prefixed, c.root, payer, category, c.Self, c.Env.Origin)
	}
	return state.NewGasKV(kv, c.Env.Gas, &c.router.costs)
}
