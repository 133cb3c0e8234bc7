package state

// prefixKV maps every key k to prefix+k in its parent.
type prefixKV struct {
	parent KV
	prefix []byte
}

// NewPrefix returns the part of parent whose keys start with prefix, with
// the prefix stripped.
func NewPrefix(parent KV, prefix []byte) KV {
	return prefixKV{parent: parent, prefix: append([]byte(nil), prefix...)}
}

func (p prefixKV) key(k []byte) []byte {
	out := make([]byte, len(p.prefix)+len(k))
	copy(out, p.prefix)
	copy(out[len(p.prefix):], k)
	return out
}

func (p prefixKV) Get(k []byte) ([]byte, error) { return p.parent.Get(p.key(k)) }
func (p prefixKV) Has(k []byte) (bool, error)   { return p.parent.Has(p.key(k)) }
func (p prefixKV) Set(k, v []byte) error {
	if len(k) == 0 {
		return ErrEmptyKey
	}
	return p.parent.Set(p.key(k), v)
}
func (p prefixKV) Delete(k []byte) error {
	if len(k) == 0 {
		return ErrEmptyKey
	}
	return p.parent.Delete(p.key(k))
}

func (p prefixKV) Iterator(start, end []byte, ascending bool) (Iterator, error) {
	s := p.key(start)
	var e []byte
	if end != nil {
		e = p.key(end)
	} else {
		e = PrefixEnd(p.prefix)
	}
	it, err := p.parent.Iterator(s, e, ascending)
	if err != nil {
		return nil, err
	}
	return prefixIterator{Iterator: it, n: len(p.prefix)}, nil
}

type prefixIterator struct {
	Iterator
	n int
}

func (it prefixIterator) Key() []byte { return it.Iterator.Key()[it.n:] }

// PrefixEnd returns the smallest key greater than every key starting with
// prefix, or nil (unbounded) when the prefix is all 0xff bytes.
func PrefixEnd(prefix []byte) []byte {
	end := append([]byte(nil), prefix...)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}
