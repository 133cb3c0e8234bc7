package state

import (
	"bytes"
	"sort"
)

// Cache buffers writes over a parent KV; nothing reaches the parent until
// Write. Caches nest: a tx's cache over the block's tree, a call's cache
// over the tx's, so a failed call or tx is undone by dropping its cache.
type Cache struct {
	parent KV
	writes map[string]entry
}

type entry struct {
	value   []byte
	deleted bool
}

// NewCache returns an empty cache over parent.
func NewCache(parent KV) *Cache { return &Cache{parent: parent} }

// Get implements KV.
func (c *Cache) Get(key []byte) ([]byte, error) {
	if e, ok := c.writes[string(key)]; ok {
		if e.deleted {
			return nil, nil
		}
		return e.value, nil
	}
	return c.parent.Get(key)
}

// Has implements KV.
func (c *Cache) Has(key []byte) (bool, error) {
	if e, ok := c.writes[string(key)]; ok {
		return !e.deleted, nil
	}
	return c.parent.Has(key)
}

// Set implements KV. The value is copied: callers may reuse their buffer.
func (c *Cache) Set(key, value []byte) error {
	if err := checkSet(key, value); err != nil {
		return err
	}
	if c.writes == nil {
		c.writes = make(map[string]entry)
	}
	v := make([]byte, len(value))
	copy(v, value)
	c.writes[string(key)] = entry{value: v}
	return nil
}

// Delete implements KV.
func (c *Cache) Delete(key []byte) error {
	if len(key) == 0 {
		return ErrEmptyKey
	}
	if c.writes == nil {
		c.writes = make(map[string]entry)
	}
	c.writes[string(key)] = entry{deleted: true}
	return nil
}

// Len is the number of buffered writes and deletes.
func (c *Cache) Len() int { return len(c.writes) }

// Write flushes buffered changes to the parent in sorted key order — the
// tree's shape, hence the app hash, depends on insertion order, and Go's
// map order is random — then empties the cache for reuse.
func (c *Cache) Write() error {
	keys := c.sortedKeys(nil, nil)
	for _, k := range keys {
		e := c.writes[k]
		var err error
		if e.deleted {
			err = c.parent.Delete([]byte(k))
		} else {
			err = c.parent.Set([]byte(k), e.value)
		}
		if err != nil {
			return err
		}
	}
	c.writes = nil
	return nil
}

// Discard drops every buffered change.
func (c *Cache) Discard() { c.writes = nil }

func (c *Cache) sortedKeys(start, end []byte) []string {
	keys := make([]string, 0, len(c.writes))
	for k := range c.writes {
		if inRange([]byte(k), start, end) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

func inRange(k, start, end []byte) bool {
	return (start == nil || bytes.Compare(k, start) >= 0) && (end == nil || bytes.Compare(k, end) < 0)
}

// Iterator implements KV: the parent's keys merged with buffered writes,
// buffered deletes hidden.
func (c *Cache) Iterator(start, end []byte, ascending bool) (Iterator, error) {
	p, err := c.parent.Iterator(start, end, ascending)
	if err != nil {
		return nil, err
	}
	keys := c.sortedKeys(start, end)
	if !ascending {
		for i, j := 0, len(keys)-1; i < j; i, j = i+1, j-1 {
			keys[i], keys[j] = keys[j], keys[i]
		}
	}
	it := &mergeIterator{parent: p, cache: c, keys: keys, ascending: ascending}
	it.settle()
	return it, nil
}

type mergeIterator struct {
	parent    Iterator
	cache     *Cache
	keys      []string // buffered keys in range, in iteration order
	ascending bool
	// current item
	key, value []byte
	valid      bool
}

// cmp orders a and b in iteration order.
func (it *mergeIterator) cmp(a, b []byte) int {
	c := bytes.Compare(a, b)
	if !it.ascending {
		c = -c
	}
	return c
}

// settle moves to the next visible item at or after the current positions.
func (it *mergeIterator) settle() {
	for {
		pValid := it.parent.Valid()
		cValid := len(it.keys) > 0
		if !pValid && !cValid {
			it.valid = false
			return
		}
		var useCache bool
		if pValid && cValid {
			switch it.cmp([]byte(it.keys[0]), it.parent.Key()) {
			case -1:
				useCache = true
			case 0: // the buffer shadows the parent
				it.parent.Next()
				useCache = true
			default:
				useCache = false
			}
		} else {
			useCache = cValid
		}
		if useCache {
			k := it.keys[0]
			it.keys = it.keys[1:]
			e := it.cache.writes[k]
			if e.deleted {
				continue
			}
			it.key, it.value, it.valid = []byte(k), e.value, true
			return
		}
		it.key, it.value, it.valid = it.parent.Key(), it.parent.Value(), true
		it.parent.Next()
		return
	}
}

func (it *mergeIterator) Valid() bool { return it.valid }
func (it *mergeIterator) Next() {
	if it.valid {
		it.settle()
	}
}
func (it *mergeIterator) Key() []byte   { return it.key }
func (it *mergeIterator) Value() []byte { return it.value }
func (it *mergeIterator) Error() error  { return it.parent.Error() }
func (it *mergeIterator) Close() error  { return it.parent.Close() }
