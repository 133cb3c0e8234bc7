package database

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/dblayout"
	"github.com/vsys/vsys/core/state"
	"github.com/vsys/vsys/modules/native"
)

// Storage layout: see package layout, which every key here comes from.
const (
	tagCounter = dblayout.TagCounter
	tagIndex   = dblayout.TagIndex
)

// tableRecord is what 't' keys hold.
type tableRecord = dblayout.TableRecord

func tableKey(owner address.Address, name string) []byte { return dblayout.TableKey(owner, name) }
func idKey(tag byte, id uint64, extra int) []byte        { return dblayout.IDKey(tag, id, extra) }
func grantKey(id uint64, to address.Address) []byte      { return dblayout.GrantKey(id, to) }
func rowPrefix(id uint64) []byte                         { return dblayout.RowPrefix(id) }
func rowKey(id uint64, pkKey []byte) []byte              { return dblayout.RowKey(id, pkKey) }
func indexPrefix(id uint64, i int) []byte                { return dblayout.IndexPrefix(id, i) }
func indexEntry(id uint64, i int, ikey, pkKey []byte) []byte {
	return dblayout.IndexEntry(id, i, ikey, pkKey)
}

// db is the database over one module store (prefixed by the module's
// address): gas-metered ctx.Store() in calls, an unmetered view in RPC.
// Every operation checks everything before it writes anything.
type db struct {
	kv   state.KV // rows, indexes, table records, grants: billed to the table's owner
	meta state.KV // the table id counter: the module's own, unbilled (nil: kv)
}

func (d db) counter() state.KV {
	if d.meta != nil {
		return d.meta
	}
	return d.kv
}

// table loads the table (owner, name).
func (d db) table(owner address.Address, name string) (*table, error) {
	var rec tableRecord
	if ok, err := native.GetRecord(d.kv, tableKey(owner, name), &rec); err != nil {
		return nil, fmt.Errorf("table %q of %s: %w", name, owner, err)
	} else if !ok {
		return nil, fmt.Errorf("%w: %q of %s", ErrNoTable, name, owner)
	}
	t, err := compile(rec.Schema)
	if err != nil {
		return nil, fmt.Errorf("table %q of %s: stored schema: %w", name, owner, err)
	}
	t.owner, t.name, t.id = owner, name, rec.ID
	return t, nil
}

func (d db) putTable(t *table) error {
	return native.PutRecord(d.kv, tableKey(t.owner, t.name), tableRecord{ID: t.id, Schema: t.schema})
}

// createTable creates table name owned by owner.
func (d db) createTable(owner address.Address, name string, s Schema) (*table, error) {
	if !validName(name) {
		return nil, fmt.Errorf("%w: table name %q must match ^[a-z][a-z0-9_]{0,63}$", ErrSchema, name)
	}
	t, err := compile(s)
	if err != nil {
		return nil, err
	}
	if ok, err := d.kv.Has(tableKey(owner, name)); err != nil {
		return nil, err
	} else if ok {
		return nil, fmt.Errorf("%w: %q of %s", ErrTableExists, name, owner)
	}
	names, err := d.tables(owner)
	if err != nil {
		return nil, err
	}
	if len(names) >= MaxTables {
		return nil, fmt.Errorf("%w: %s already has %d tables, limit %d", ErrSchema, owner, len(names), MaxTables)
	}
	var last uint64
	if b, err := d.counter().Get([]byte{tagCounter}); err != nil {
		return nil, err
	} else if len(b) == 8 {
		last = binary.BigEndian.Uint64(b)
	}
	t.owner, t.name, t.id = owner, name, last+1
	if err := d.counter().Set([]byte{tagCounter}, binary.BigEndian.AppendUint64(nil, t.id)); err != nil {
		return nil, err
	}
	return t, d.putTable(t)
}

// tables lists owner's table names in byte (= sorted) order.
func (d db) tables(owner address.Address) ([]string, error) {
	p := tableKey(owner, "")
	it, err := d.kv.Iterator(p, state.PrefixEnd(p), true)
	if err != nil {
		return nil, err
	}
	defer it.Close()
	names := []string{}
	for ; it.Valid(); it.Next() {
		names = append(names, string(it.Key()[len(p):]))
	}
	return names, it.Error()
}

// alterTable appends option columns and indexes to t. Existing rows are
// not rewritten: a stored row lacking trailing columns reads them as none
// (table.storedRow). New indexes are built over every existing row.
func (d db) alterTable(t *table, cols []Column, idxs []Index) error {
	s := t.schema
	s.Columns = append(append([]Column(nil), s.Columns...), cols...)
	s.Indexes = append(append([]Index(nil), s.Indexes...), idxs...)
	for _, c := range cols {
		ct, err := codec.ParseType(c.Type)
		if err == nil && ct.Kind != codec.KindOption {
			return fmt.Errorf("%w: added column %q has type %s; added columns must be option<T>", ErrSchema, c.Name, ct)
		}
	}
	nt, err := compile(s)
	if err != nil {
		return err
	}
	nt.owner, nt.name, nt.id = t.owner, t.name, t.id
	if len(idxs) > 0 {
		if err := d.buildIndexes(nt, len(t.indexes)); err != nil {
			return err
		}
	}
	return d.putTable(nt)
}

// buildIndexes adds entries for indexes from..end of t for every row. It
// reads rows in batches and writes between them, never while an iterator
// is open.
func (d db) buildIndexes(t *table, from int) error {
	const batch = 256
	start, end := rowPrefix(t.id), state.PrefixEnd(rowPrefix(t.id))
	for {
		var stored [][]byte
		it, err := d.kv.Iterator(start, end, true)
		if err != nil {
			return err
		}
		for ; it.Valid() && len(stored) < batch; it.Next() {
			stored = append(stored, append([]byte(nil), it.Value()...))
			start = append(append(start[:0:0], it.Key()...), 0)
		}
		err = it.Error()
		it.Close()
		if err != nil {
			return err
		}
		for _, b := range stored {
			rd, err := t.storedRow(b)
			if err != nil {
				return err
			}
			for i := from; i < len(t.indexes); i++ {
				ikey, hasNone, err := t.indexKey(i, rd.cols)
				if err != nil {
					return err
				}
				if t.indexes[i].unique && !hasNone {
					if err := d.checkUnique(t, i, ikey, rd.pkKey); err != nil {
						return err
					}
				}
				if err := d.kv.Set(indexEntry(t.id, i, ikey, rd.pkKey), []byte{}); err != nil {
					return err
				}
			}
		}
		if len(stored) < batch {
			return nil
		}
	}
}

// canWrite reports whether caller may write t: its owner or a grantee.
func (d db) canWrite(t *table, caller address.Address) error {
	if caller == t.owner {
		return nil
	}
	ok, err := d.kv.Has(grantKey(t.id, caller))
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("%w: %s may not write %q of %s", ErrUnauthorized, caller, t.name, t.owner)
	}
	return nil
}

// grant gives (write) or takes away (!write) to's right to write t.
func (d db) grant(t *table, to address.Address, write bool) error {
	if write {
		return d.kv.Set(grantKey(t.id, to), []byte{})
	}
	return d.kv.Delete(grantKey(t.id, to))
}

// checkUnique fails with ErrDuplicate if index i of t has an entry with
// index key ikey for a row other than pkKey.
func (d db) checkUnique(t *table, i int, ikey, pkKey []byte) error {
	p := indexEntry(t.id, i, ikey, nil)
	it, err := d.kv.Iterator(p, state.PrefixEnd(p), true)
	if err != nil {
		return err
	}
	defer it.Close()
	for ; it.Valid(); it.Next() {
		if !bytes.Equal(it.Key()[len(p):], pkKey) {
			return fmt.Errorf("%w: unique index %s of %q already has this value", ErrDuplicate, t.indexes[i].name, t.name)
		}
	}
	return it.Error()
}

// loadRow reads the stored row with primary key pkKey, or nil.
func (d db) loadRow(t *table, pkKey []byte) (*rowData, error) {
	b, err := d.kv.Get(rowKey(t.id, pkKey))
	if err != nil || b == nil {
		return nil, err
	}
	return t.storedRow(b)
}

// write stores row nw in place of old (nil: a new row), maintaining every
// index. It checks unique indexes before it writes anything.
func (d db) write(t *table, old, nw *rowData) error {
	type change struct{ del, add []byte }
	changes := make([]change, 0, len(t.indexes))
	for i := range t.indexes {
		nk, hasNone, err := t.indexKey(i, nw.cols)
		if err != nil {
			return err
		}
		var ok []byte
		if old != nil {
			if ok, _, err = t.indexKey(i, old.cols); err != nil {
				return err
			}
			if bytes.Equal(ok, nk) {
				continue
			}
		}
		if t.indexes[i].unique && !hasNone {
			if err := d.checkUnique(t, i, nk, nw.pkKey); err != nil {
				return err
			}
		}
		c := change{add: indexEntry(t.id, i, nk, nw.pkKey)}
		if old != nil {
			c.del = indexEntry(t.id, i, ok, old.pkKey)
		}
		changes = append(changes, c)
	}
	for _, c := range changes {
		if c.del != nil {
			if err := d.kv.Delete(c.del); err != nil {
				return err
			}
		}
		if err := d.kv.Set(c.add, []byte{}); err != nil {
			return err
		}
	}
	return d.kv.Set(rowKey(t.id, nw.pkKey), nw.row)
}

// insert adds a row; its primary key must be new.
func (d db) insert(t *table, row []byte) (*rowData, error) {
	rd, err := t.parseRow(row)
	if err != nil {
		return nil, err
	}
	if ok, err := d.kv.Has(rowKey(t.id, rd.pkKey)); err != nil {
		return nil, err
	} else if ok {
		return nil, fmt.Errorf("%w: %q already has a row with this primary key", ErrDuplicate, t.name)
	}
	return rd, d.write(t, nil, rd)
}

// update replaces the row with the same primary key, which must exist.
func (d db) update(t *table, row []byte) (*rowData, error) {
	rd, err := t.parseRow(row)
	if err != nil {
		return nil, err
	}
	old, err := d.loadRow(t, rd.pkKey)
	if err != nil {
		return nil, err
	}
	if old == nil {
		return nil, fmt.Errorf("%w: %q has no row with this primary key", ErrNotFound, t.name)
	}
	return rd, d.write(t, old, rd)
}

// upsert inserts or replaces the row; inserted tells which.
func (d db) upsert(t *table, row []byte) (rd *rowData, inserted bool, err error) {
	if rd, err = t.parseRow(row); err != nil {
		return nil, false, err
	}
	old, err := d.loadRow(t, rd.pkKey)
	if err != nil {
		return nil, false, err
	}
	return rd, old == nil, d.write(t, old, rd)
}

// delete removes the row with canonical key struct key, which must exist.
func (d db) delete(t *table, key []byte) (*rowData, error) {
	pk, err := t.pkFromCanon(key)
	if err != nil {
		return nil, err
	}
	old, err := d.loadRow(t, pk)
	if err != nil {
		return nil, err
	}
	if old == nil {
		return nil, fmt.Errorf("%w: %q has no row with this primary key", ErrNotFound, t.name)
	}
	for i := range t.indexes {
		ikey, _, err := t.indexKey(i, old.cols)
		if err != nil {
			return nil, err
		}
		if err := d.kv.Delete(indexEntry(t.id, i, ikey, pk)); err != nil {
			return nil, err
		}
	}
	return old, d.kv.Delete(rowKey(t.id, pk))
}

// get returns the row with canonical key struct key (nil if absent) and
// the key it is stored under in the module store.
func (d db) get(t *table, key []byte) (row, storeKey []byte, err error) {
	pk, err := t.pkFromCanon(key)
	if err != nil {
		return nil, nil, err
	}
	storeKey = rowKey(t.id, pk)
	rd, err := d.loadRow(t, pk)
	if err != nil || rd == nil {
		return nil, storeKey, err
	}
	return rd.row, storeKey, nil
}
