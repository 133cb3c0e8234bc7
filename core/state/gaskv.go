package state

import "github.com/vsys/vsys/core/gas"

// gasKV charges a meter for every operation. The rule (all from the
// chain's gas.Costs):
//
//	Get     ReadFlat + ReadByte × (len(key) + len(value))
//	Has     ReadFlat + ReadByte × len(key)
//	Set     WriteFlat + WriteByte × (len(key) + len(value))
//	Delete  DeleteFlat + WriteByte × len(key)
//	each item an iterator yields: IterNext + IterByte × (len(key) + len(value))
//
// A charge that runs out of gas stops the operation before it writes.
type gasKV struct {
	parent KV
	m      *gas.Meter
	c      *gas.Costs
}

// NewGasKV meters parent with m at the prices in c.
func NewGasKV(parent KV, m *gas.Meter, c *gas.Costs) KV { return gasKV{parent, m, c} }

func (g gasKV) Get(k []byte) ([]byte, error) {
	if err := g.m.ConsumeBytes(g.c.ReadFlat, g.c.ReadByte, len(k), "read"); err != nil {
		return nil, err
	}
	v, err := g.parent.Get(k)
	if err != nil {
		return nil, err
	}
	if err := g.m.ConsumeBytes(0, g.c.ReadByte, len(v), "read value"); err != nil {
		return nil, err
	}
	return v, nil
}

func (g gasKV) Has(k []byte) (bool, error) {
	if err := g.m.ConsumeBytes(g.c.ReadFlat, g.c.ReadByte, len(k), "has"); err != nil {
		return false, err
	}
	return g.parent.Has(k)
}

func (g gasKV) Set(k, v []byte) error {
	if err := g.m.ConsumeBytes(g.c.WriteFlat, g.c.WriteByte, len(k)+len(v), "write"); err != nil {
		return err
	}
	return g.parent.Set(k, v)
}

func (g gasKV) Delete(k []byte) error {
	if err := g.m.ConsumeBytes(g.c.DeleteFlat, g.c.WriteByte, len(k), "delete"); err != nil {
		return err
	}
	return g.parent.Delete(k)
}

func (g gasKV) Iterator(start, end []byte, ascending bool) (Iterator, error) {
	it, err := g.parent.Iterator(start, end, ascending)
	if err != nil {
		return nil, err
	}
	gi := &gasIterator{Iterator: it, g: g}
	gi.charge()
	return gi, nil
}

type gasIterator struct {
	Iterator
	g   gasKV
	err error
}

func (it *gasIterator) charge() {
	if it.err == nil && it.Iterator.Valid() {
		n := len(it.Iterator.Key()) + len(it.Iterator.Value())
		it.err = it.g.m.ConsumeBytes(it.g.c.IterNext, it.g.c.IterByte, n, "iterate")
	}
}

func (it *gasIterator) Valid() bool { return it.err == nil && it.Iterator.Valid() }
func (it *gasIterator) Next() {
	if it.Valid() {
		it.Iterator.Next()
		it.charge()
	}
}
func (it *gasIterator) Error() error {
	if it.err != nil {
		return it.err
	}
	return it.Iterator.Error()
}
