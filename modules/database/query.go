package database

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"

	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/state"
)

// Filter keeps the rows whose column compares to Value with Op: one of eq,
// ne, lt, le, gt, ge. Value is a canonical value of the column's type.
// Ordering is the key order (keys.go; for option columns none sorts before
// every value), so lt..ge need an indexable column; eq and ne work on any
// column (canonical encodings are unique).
type Filter struct {
	Column string `json:"column"`
	Op     string `json:"op"`
	Value  []byte `json:"value"`
}

// QueryArgs is a scan over the primary key or one index of a table.
//
//   - Index: "" for the primary key, else a secondary index's name.
//   - Prefix: canonical values of the first k columns of that key,
//     concatenated (k is however many whole values it holds; a partial
//     value is an error). Only entries with those values are scanned.
//   - Lower, Upper: one canonical value of column k+1, an inclusive lower
//     and an exclusive upper bound on it.
//   - Reverse: scan in descending key order.
//   - Filters: all must hold for a row to be returned.
//   - Limit: rows to return, 1..MaxLimit; 0 means DefaultLimit.
//   - Cursor: the Cursor of the previous page, empty for the first page.
//
// A query scans at most min(ScanFactor×limit, MaxScan) entries; when it
// stops there it returns what it found and a cursor to continue.
type QueryArgs struct {
	Index   string   `json:"index"`
	Prefix  []byte   `json:"prefix"`
	Lower   *[]byte  `json:"lower"`
	Upper   *[]byte  `json:"upper"`
	Reverse bool     `json:"reverse"`
	Filters []Filter `json:"filters"`
	Limit   uint32   `json:"limit"`
	Cursor  []byte   `json:"cursor"`
}

// QueryResult is one page of a query: rows (canonical row structs) in scan
// order, and the cursor of the next page, empty when the scan is done.
type QueryResult struct {
	Rows   [][]byte `json:"rows"`
	Cursor []byte   `json:"cursor"`
}

// cursorVersion is the first byte of every cursor.
const cursorVersion = 1

// cursorSum binds a cursor to a table, index and direction. It is a
// checksum, not a MAC: it catches corrupted and foreign cursors; a forged
// one can only name a position within the query's own range, which is
// checked separately.
func cursorSum(id uint64, index string, reverse bool, last []byte) []byte {
	h := sha256.New()
	h.Write([]byte("vsys-db-cursor"))
	h.Write(binary.BigEndian.AppendUint64(nil, id))
	h.Write([]byte(index))
	if reverse {
		h.Write([]byte{0, 1})
	} else {
		h.Write([]byte{0, 0})
	}
	h.Write(last)
	return h.Sum(nil)[:8]
}

func encodeCursor(id uint64, index string, reverse bool, last []byte) []byte {
	c := make([]byte, 0, 1+len(last)+8)
	c = append(append(c, cursorVersion), last...)
	return append(c, cursorSum(id, index, reverse, last)...)
}

func decodeCursor(id uint64, index string, reverse bool, c []byte) ([]byte, error) {
	if len(c) < 1+1+8 || c[0] != cursorVersion {
		return nil, fmt.Errorf("%w: malformed cursor", ErrQuery)
	}
	last := c[1 : len(c)-8]
	if !bytes.Equal(c[len(c)-8:], cursorSum(id, index, reverse, last)) {
		return nil, fmt.Errorf("%w: cursor does not belong to this query", ErrQuery)
	}
	return last, nil
}

type filter struct {
	col int
	op  string
	val []byte // key encoding, or canonical bytes for eq/ne on a non-indexable column
	raw bool
}

func (t *table) compileFilters(fs []Filter) ([]filter, error) {
	if len(fs) > MaxFilters {
		return nil, fmt.Errorf("%w: %d filters, limit %d", ErrQuery, len(fs), MaxFilters)
	}
	out := make([]filter, len(fs))
	for i, f := range fs {
		c, ok := t.colIdx[f.Column]
		if !ok {
			return nil, fmt.Errorf("%w: filter %d: no column %q", ErrQuery, i, f.Column)
		}
		switch f.Op {
		case "eq", "ne", "lt", "le", "gt", "ge":
		default:
			return nil, fmt.Errorf("%w: filter %d: op %q, want eq ne lt le gt ge", ErrQuery, i, f.Op)
		}
		ct := t.cols[c]
		if err := ct.Validate(f.Value); err != nil {
			return nil, fmt.Errorf("%w: filter %d: value is not a %s: %v", ErrQuery, i, ct, err)
		}
		out[i] = filter{col: c, op: f.Op}
		if Indexable(ct) {
			out[i].val, _ = AppendKey(nil, ct, f.Value)
		} else if f.Op == "eq" || f.Op == "ne" {
			out[i].val, out[i].raw = f.Value, true
		} else {
			return nil, fmt.Errorf("%w: filter %d: column %q of type %s is unordered; only eq and ne apply", ErrQuery, i, f.Column, ct)
		}
	}
	return out, nil
}

func (t *table) match(fs []filter, cols [][]byte) bool {
	var buf []byte
	for _, f := range fs {
		v := cols[f.col]
		if !f.raw {
			buf, _ = AppendKey(buf[:0], t.cols[f.col], v)
			v = buf
		}
		c := bytes.Compare(v, f.val)
		var ok bool
		switch f.op {
		case "eq":
			ok = c == 0
		case "ne":
			ok = c != 0
		case "lt":
			ok = c < 0
		case "le":
			ok = c <= 0
		case "gt":
			ok = c > 0
		case "ge":
			ok = c >= 0
		}
		if !ok {
			return false
		}
	}
	return true
}

// query runs q on t. Keys in the scan are relative to base (the row prefix
// or the index's prefix); the cursor holds the last relative key scanned.
func (d db) query(t *table, q QueryArgs) (QueryResult, error) {
	res := QueryResult{Rows: [][]byte{}, Cursor: []byte{}}
	limit := int(q.Limit)
	if limit == 0 {
		limit = DefaultLimit
	}
	if limit > MaxLimit {
		return res, fmt.Errorf("%w: limit %d, at most %d", ErrQuery, limit, MaxLimit)
	}
	maxScan := min(ScanFactor*limit, MaxScan)

	var cols []int
	var base []byte
	ix := -1
	if q.Index == "" {
		cols, base = t.pk, rowPrefix(t.id)
	} else {
		i, ok := t.index(q.Index)
		if !ok {
			return res, fmt.Errorf("%w: table %q has no index %q", ErrQuery, t.name, q.Index)
		}
		ix, cols, base = i, t.indexes[i].cols, indexPrefix(t.id, i)
	}
	fs, err := t.compileFilters(q.Filters)
	if err != nil {
		return res, err
	}

	// The scan range [lo, hi) relative to base; hi nil = to the end of base.
	r := codec.NewReader(q.Prefix)
	var prefix []byte
	k := 0
	for r.Remaining() > 0 {
		if k == len(cols) {
			return res, fmt.Errorf("%w: prefix holds more than the %d key columns", ErrQuery, len(cols))
		}
		prefix = appendKey(prefix, r, t.cols[cols[k]])
		if r.Err() != nil {
			return res, fmt.Errorf("%w: prefix: column %q: %v", ErrQuery, t.schema.Columns[cols[k]].Name, r.Err())
		}
		k++
	}
	lo, hi := prefix, state.PrefixEnd(prefix)
	if q.Lower != nil || q.Upper != nil {
		if k >= len(cols) {
			return res, fmt.Errorf("%w: bounds need a key column after the %d prefix columns; the key has %d", ErrQuery, k, len(cols))
		}
		ct := t.cols[cols[k]]
		if q.Lower != nil {
			if lo, err = AppendKey(append([]byte(nil), prefix...), ct, *q.Lower); err != nil {
				return res, fmt.Errorf("%w: lower: %v", ErrQuery, err)
			}
		}
		if q.Upper != nil {
			if hi, err = AppendKey(append([]byte(nil), prefix...), ct, *q.Upper); err != nil {
				return res, fmt.Errorf("%w: upper: %v", ErrQuery, err)
			}
		}
	}
	if len(q.Cursor) > 0 {
		last, err := decodeCursor(t.id, q.Index, q.Reverse, q.Cursor)
		if err != nil {
			return res, err
		}
		if bytes.Compare(last, lo) < 0 || hi != nil && bytes.Compare(last, hi) >= 0 {
			return res, fmt.Errorf("%w: cursor is outside the query's range", ErrQuery)
		}
		if q.Reverse {
			hi = last
		} else {
			lo = append(append([]byte(nil), last...), 0)
		}
	}
	if hi != nil && bytes.Compare(lo, hi) >= 0 {
		return res, nil
	}
	start := append(append([]byte(nil), base...), lo...)
	var end []byte
	if hi != nil {
		end = append(append([]byte(nil), base...), hi...)
	} else {
		end = state.PrefixEnd(base)
	}

	it, err := d.kv.Iterator(start, end, !q.Reverse)
	if err != nil {
		return res, err
	}
	defer it.Close()
	var last []byte
	more, scanned := false, 0
	for ; it.Valid(); it.Next() {
		if scanned == maxScan {
			more = true
			break
		}
		scanned++
		rel := it.Key()[len(base):]
		last = append(last[:0], rel...)
		var rd *rowData
		if ix < 0 {
			if rd, err = t.storedRow(it.Value()); err != nil {
				return res, err
			}
		} else {
			n, err := t.entryKeyLen(ix, rel)
			if err != nil {
				return res, fmt.Errorf("index %s of %q: entry: %w", q.Index, t.name, err)
			}
			if rd, err = d.loadRow(t, rel[n:]); err != nil {
				return res, err
			}
			if rd == nil {
				return res, fmt.Errorf("index %s of %q: entry names a missing row", q.Index, t.name)
			}
		}
		if !t.match(fs, rd.cols) {
			continue
		}
		res.Rows = append(res.Rows, append([]byte(nil), rd.row...))
		if len(res.Rows) == limit {
			it.Next()
			more = it.Valid()
			break
		}
	}
	if err := it.Error(); err != nil {
		return res, err
	}
	if more {
		res.Cursor = encodeCursor(t.id, q.Index, q.Reverse, last)
	}
	return res, nil
}

// entryKeyLen is the length of the index key at the start of an entry of
// index i (relative to the index prefix); the pk-key follows it.
func (t *table) entryKeyLen(i int, rel []byte) (int, error) {
	n := 0
	for _, c := range t.indexes[i].cols {
		l, err := keyLen(t.cols[c], rel[n:])
		if err != nil {
			return 0, err
		}
		n += l
	}
	return n, nil
}
