package app

import (
	"container/list"
	"sync"

	"github.com/vsys/vsys/core/tx"
)

// txCacheOverhead is what one cached tx costs beyond its bytes: the decoded
// struct, its calls, the list element and the map entry. It is counted so
// that a flood of tiny txs is bounded too.
const txCacheOverhead = 512

// DefaultTxCacheBytes is the tx cache's default size.
const DefaultTxCacheBytes = 128 << 20

// txCache keeps decoded, signature-checked txs by the sha256 of their bytes,
// so that a tx verified once (in Precheck, CheckTx or ProcessProposal) is
// not verified again at CheckTx, recheck or FinalizeBlock. It is bounded in
// bytes, not entries (one 1 MB tx weighs as much as thousands of
// transfers), and evicts the least recently used. Entries leave when their
// tx is decided in a block or refused by CheckTx; eviction only costs a
// second verification, never a different result.
//
// Safe for concurrent use: Precheck runs on the JSON-RPC goroutines.
type txCache struct {
	mu    sync.Mutex
	max   int64
	bytes int64
	order *list.List // of *txCacheEntry, most recently used first
	byKey map[[32]byte]*list.Element
}

type txCacheEntry struct {
	hash [32]byte
	tx   *tx.Tx
	size int64
}

func newTxCache(maxBytes int64) *txCache {
	return &txCache{max: maxBytes, order: list.New(), byKey: map[[32]byte]*list.Element{}}
}

func (c *txCache) get(h [32]byte) (*tx.Tx, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byKey[h]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*txCacheEntry).tx, true
}

// add caches t, evicting the least recently used entries past the bound.
// A tx larger than the whole cache is not kept.
func (c *txCache) add(t *tx.Tx) {
	size := int64(len(t.Bytes())) + txCacheOverhead
	if size > c.max {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byKey[t.Hash()]; ok {
		c.order.MoveToFront(e)
		return
	}
	c.byKey[t.Hash()] = c.order.PushFront(&txCacheEntry{hash: t.Hash(), tx: t, size: size})
	c.bytes += size
	for c.bytes > c.max {
		c.removeElement(c.order.Back())
	}
}

func (c *txCache) remove(h [32]byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byKey[h]; ok {
		c.removeElement(e)
	}
}

// take returns the cached tx for h and removes it: its block is decided.
func (c *txCache) take(h [32]byte) (*tx.Tx, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byKey[h]
	if !ok {
		return nil, false
	}
	c.removeElement(e)
	return e.Value.(*txCacheEntry).tx, true
}

func (c *txCache) removeElement(e *list.Element) {
	ent := c.order.Remove(e).(*txCacheEntry)
	delete(c.byKey, ent.hash)
	c.bytes -= ent.size
}

// stats returns the number of cached txs and the bytes they are counted as.
func (c *txCache) stats() (n int, bytes int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len(), c.bytes
}
