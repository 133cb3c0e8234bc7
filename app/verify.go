package app

import (
	"container/list"
	"crypto/sha256"
	"fmt"
	"runtime"
	"sync"

	"github.com/vsys/vsys/core/tx"
)

// Decoding and signature verification, the part of ante that needs no
// state: a pure function of the tx's bytes, so it may run ahead, in
// parallel and outside ABCI's lock, and its result may be cached.

// decode returns the decoded, signature-checked tx for raw, from the cache
// when it was verified before. Only verified txs are cached, keyed by the
// hash of all their bytes, so a hit is exactly as good as a fresh check.
// decode does not cache: callers add what passes their checks.
func (a *App) decode(raw []byte, maxBytes uint32) (*tx.Tx, error) {
	if err := checkSize(raw, maxBytes); err != nil {
		return nil, err
	}
	if t, ok := a.txCache.get(sha256.Sum256(raw)); ok {
		return t, nil
	}
	return decodeVerify(raw)
}

func checkSize(raw []byte, maxBytes uint32) error {
	if len(raw) > int(maxBytes) {
		return fmt.Errorf("%w: %d bytes, limit %d", ErrTxTooLarge, len(raw), maxBytes)
	}
	return nil
}

func decodeVerify(raw []byte) (*tx.Tx, error) {
	t, err := tx.Decode(raw)
	if err != nil {
		return nil, err
	}
	if err := t.VerifySignature(); err != nil {
		return nil, err
	}
	return t, nil
}

// decodeUnverified decodes a simulation's probe: its signature is a
// placeholder, so it is not checked (the only check Simulate skips).
func decodeUnverified(raw []byte, maxBytes uint32) (*tx.Tx, error) {
	if err := checkSize(raw, maxBytes); err != nil {
		return nil, err
	}
	return tx.Decode(raw)
}

// decodeBlock decodes a decided block's txs, taking them out of the cache
// (they are committed now, or fail for good), and verifies uncached
// signatures in parallel: verification is a pure function, so parallelism
// cannot change any result.
func (a *App) decodeBlock(txs [][]byte, maxBytes uint32) ([]*tx.Tx, []error) {
	return a.decodeAll(txs, maxBytes, true)
}

// decodeAll decodes txs like decode, in parallel for the uncached ones;
// take removes the cached ones from the cache.
func (a *App) decodeAll(txs [][]byte, maxBytes uint32, take bool) ([]*tx.Tx, []error) {
	out := make([]*tx.Tx, len(txs))
	errs := make([]error, len(txs))
	var missing []int
	for i, raw := range txs {
		if errs[i] = checkSize(raw, maxBytes); errs[i] != nil {
			continue
		}
		h := sha256.Sum256(raw)
		var ok bool
		if take {
			out[i], ok = a.txCache.take(h)
		} else {
			out[i], ok = a.txCache.get(h)
		}
		if !ok {
			missing = append(missing, i)
		}
	}
	if len(missing) == 0 {
		return out, errs
	}
	workers := min(runtime.GOMAXPROCS(0), len(missing))
	var wg sync.WaitGroup
	next := make(chan int, len(missing))
	for _, i := range missing {
		next <- i
	}
	close(next)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i], errs[i] = decodeVerify(txs[i])
			}
		}()
	}
	wg.Wait()
	return out, errs
}

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
