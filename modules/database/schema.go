package database

import (
	"errors"
	"fmt"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/dblayout"
)

// Sentinel errors callers test for. Every error the module returns wraps
// one of them with detail.
var (
	// ErrSchema: a schema (or an alter_table change) breaks the rules:
	// names, types, key and index columns, limits.
	ErrSchema = errors.New("invalid schema")
	// ErrTableExists: create_table of a name the owner has already.
	ErrTableExists = errors.New("table already exists")
	// ErrNoTable: the owner has no table of that name.
	ErrNoTable = errors.New("no such table")
	// ErrUnauthorized: a write by neither the table's owner nor a writer
	// it granted.
	ErrUnauthorized = errors.New("not allowed to write this table")
	// ErrDuplicate: an insert whose primary key, or unique index key, is
	// taken.
	ErrDuplicate = errors.New("duplicate key")
	// ErrNotFound: update or delete of a row that is not there.
	ErrNotFound = errors.New("row not found")
	// ErrRow: a row or key that is not the canonical encoding of the
	// table's row or key type, or is over the limits.
	ErrRow = errors.New("invalid row")
	// ErrQuery: a query naming unknown columns or indexes, or with a bad
	// range, limit or cursor.
	ErrQuery = errors.New("invalid query")
)

// Limits. They bound every table, row and query so that no call can do
// unbounded work; gas bounds the rest.
const (
	MaxNameLen    = 64       // table, column and index names
	MaxColumns    = 64       // columns of a table
	MaxKeyColumns = 4        // columns of the primary key and of each index
	MaxIndexes    = 8        // secondary indexes of a table
	MaxTypeLen    = 512      // bytes of one column's type string
	MaxTables     = 1024     // tables one owner may have
	MaxRowBytes   = 64 << 10 // canonical encoding of one row
	MaxKeyBytes   = 1024     // key encoding of one primary key or one index key
	MaxLimit      = 1000     // rows one query may return
	DefaultLimit  = 100      // rows a query returns when it gives limit 0
	ScanFactor    = 10       // a query scans at most ScanFactor×limit entries
	MaxScan       = 10_000   // and never more than this
	MaxFilters    = 16       // filters of one query
)

// Column is one typed column of a table (dblayout.Column).
type Column = dblayout.Column

// Index is a secondary index of a table (dblayout.Index).
type Index = dblayout.Index

// Schema describes a table: columns, primary key, indexes (dblayout.Schema).
type Schema = dblayout.Schema

// validName reports whether s matches ^[a-z][a-z0-9_]{0,63}$.
func validName(s string) bool {
	if len(s) == 0 || len(s) > MaxNameLen || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// table is a table's record compiled for use: parsed column types and the
// positions of key and index columns.
type table struct {
	owner  address.Address
	name   string
	id     uint64
	schema Schema

	cols    []*codec.Type
	colIdx  map[string]int
	rowType *codec.Type
	keyType *codec.Type
	pk      []int
	indexes []index
}

type index struct {
	name   string
	cols   []int
	unique bool
}

// compile checks s and builds its table. Every error wraps ErrSchema.
func compile(s Schema) (*table, error) {
	if len(s.Columns) == 0 || len(s.Columns) > MaxColumns {
		return nil, fmt.Errorf("%w: %d columns, want 1..%d", ErrSchema, len(s.Columns), MaxColumns)
	}
	t := &table{schema: s, colIdx: make(map[string]int, len(s.Columns))}
	fields := make([]codec.Field, len(s.Columns))
	for i, c := range s.Columns {
		if !validName(c.Name) {
			return nil, fmt.Errorf("%w: column name %q must match ^[a-z][a-z0-9_]{0,63}$", ErrSchema, c.Name)
		}
		if _, dup := t.colIdx[c.Name]; dup {
			return nil, fmt.Errorf("%w: duplicate column %q", ErrSchema, c.Name)
		}
		if len(c.Type) > MaxTypeLen {
			return nil, fmt.Errorf("%w: column %q: type is %d bytes, limit %d", ErrSchema, c.Name, len(c.Type), MaxTypeLen)
		}
		ct, err := codec.ParseType(c.Type)
		if err != nil {
			return nil, fmt.Errorf("%w: column %q: unknown type %q: %v", ErrSchema, c.Name, c.Type, err)
		}
		t.colIdx[c.Name] = i
		t.cols = append(t.cols, ct)
		fields[i] = codec.Field{Name: c.Name, Type: ct}
	}
	t.rowType = codec.Struct(fields...)

	var err error
	if t.pk, err = t.keyColumns("primary key", s.PrimaryKey, Keyable); err != nil {
		return nil, err
	}
	kf := make([]codec.Field, len(t.pk))
	for i, c := range t.pk {
		kf[i] = fields[c]
	}
	t.keyType = codec.Struct(kf...)

	if len(s.Indexes) > MaxIndexes {
		return nil, fmt.Errorf("%w: %d indexes, limit %d", ErrSchema, len(s.Indexes), MaxIndexes)
	}
	seen := map[string]bool{}
	for _, ix := range s.Indexes {
		if !validName(ix.Name) {
			return nil, fmt.Errorf("%w: index name %q must match ^[a-z][a-z0-9_]{0,63}$", ErrSchema, ix.Name)
		}
		if seen[ix.Name] {
			return nil, fmt.Errorf("%w: duplicate index %q", ErrSchema, ix.Name)
		}
		seen[ix.Name] = true
		cols, err := t.keyColumns("index "+ix.Name, ix.Columns, Indexable)
		if err != nil {
			return nil, err
		}
		t.indexes = append(t.indexes, index{name: ix.Name, cols: cols, unique: ix.Unique})
	}
	return t, nil
}

// keyColumns resolves the columns of a key or index.
func (t *table) keyColumns(what string, names []string, ok func(*codec.Type) bool) ([]int, error) {
	if len(names) == 0 || len(names) > MaxKeyColumns {
		return nil, fmt.Errorf("%w: %s has %d columns, want 1..%d", ErrSchema, what, len(names), MaxKeyColumns)
	}
	out := make([]int, len(names))
	for i, n := range names {
		c, found := t.colIdx[n]
		if !found {
			return nil, fmt.Errorf("%w: %s: no column %q", ErrSchema, what, n)
		}
		for _, prev := range out[:i] {
			if prev == c {
				return nil, fmt.Errorf("%w: %s: column %q listed twice", ErrSchema, what, n)
			}
		}
		if !ok(t.cols[c]) {
			return nil, fmt.Errorf("%w: %s: column %q has type %s, which cannot be a key", ErrSchema, what, n, t.cols[c])
		}
		out[i] = c
	}
	return out, nil
}

// index returns the position of the index called name.
func (t *table) index(name string) (int, bool) {
	for i, ix := range t.indexes {
		if ix.name == name {
			return i, true
		}
	}
	return 0, false
}

// RowType returns the struct type of a row of a table with schema s: one
// field per column, in order. Rows are canonical values of it; use it with
// codec.FromJSON / codec.ToJSON to convert rows to and from JSON.
func RowType(s *Schema) (*codec.Type, error) {
	t, err := compile(*s)
	if err != nil {
		return nil, err
	}
	return t.rowType, nil
}

// KeyType returns the struct type of a primary key of a table with schema
// s: the primary-key columns, in key order. get and delete take canonical
// values of it, and events carry them.
func KeyType(s *Schema) (*codec.Type, error) {
	t, err := compile(*s)
	if err != nil {
		return nil, err
	}
	return t.keyType, nil
}

// rowData is a row split into its columns, with its primary key.
type rowData struct {
	row     []byte   // canonical row, every column present
	cols    [][]byte // canonical value of each column, aliasing row
	pkKey   []byte   // key encoding of the primary key
	pkCanon []byte   // canonical encoding of the key struct
}

// parseRow checks a row given by a caller: exactly one canonical value of
// the row type, within the size limits. Errors wrap ErrRow.
func (t *table) parseRow(row []byte) (*rowData, error) {
	if len(row) > MaxRowBytes {
		return nil, fmt.Errorf("%w: %d bytes, limit %d", ErrRow, len(row), MaxRowBytes)
	}
	cols, err := splitValues(row, t.cols)
	if err != nil {
		return nil, fmt.Errorf("%w: not a %s: %v", ErrRow, t.rowType, err)
	}
	rd := &rowData{row: row, cols: cols}
	if err := t.fillKey(rd); err != nil {
		return nil, err
	}
	if len(rd.pkKey) > MaxKeyBytes {
		return nil, fmt.Errorf("%w: primary key is %d bytes encoded, limit %d", ErrRow, len(rd.pkKey), MaxKeyBytes)
	}
	return rd, nil
}

// storedRow reads a row as stored. Rows written before alter_table added
// columns lack those trailing (option) columns; they read as none, so the
// row returned always has every current column.
func (t *table) storedRow(stored []byte) (*rowData, error) {
	row, cols, err := dblayout.PadRow(t.cols, stored)
	if err != nil {
		return nil, fmt.Errorf("stored row of %s: %w", t.name, err)
	}
	rd := &rowData{row: row, cols: cols}
	return rd, t.fillKey(rd)
}

// fillKey computes the key encoding and canonical form of rd's primary key.
func (t *table) fillKey(rd *rowData) error {
	for _, c := range t.pk {
		var err error
		if rd.pkKey, err = AppendKey(rd.pkKey, t.cols[c], rd.cols[c]); err != nil {
			return fmt.Errorf("%w: key column %q: %v", ErrRow, t.schema.Columns[c].Name, err)
		}
		rd.pkCanon = append(rd.pkCanon, rd.cols[c]...)
	}
	return nil
}

// pkFromCanon turns a canonical key struct (as get and delete take) into
// its key encoding. Errors wrap ErrRow.
func (t *table) pkFromCanon(key []byte) ([]byte, error) {
	ts := make([]*codec.Type, len(t.pk))
	for i, c := range t.pk {
		ts[i] = t.cols[c]
	}
	vals, err := splitValues(key, ts)
	if err != nil {
		return nil, fmt.Errorf("%w: key is not a %s: %v", ErrRow, t.keyType, err)
	}
	var out []byte
	for i, v := range vals {
		if out, err = AppendKey(out, ts[i], v); err != nil {
			return nil, fmt.Errorf("%w: key: %v", ErrRow, err)
		}
	}
	if len(out) > MaxKeyBytes {
		return nil, fmt.Errorf("%w: key is %d bytes encoded, limit %d", ErrRow, len(out), MaxKeyBytes)
	}
	return out, nil
}

// indexKey returns the key encoding of a row's values in index i, and
// whether any of them is none.
func (t *table) indexKey(i int, cols [][]byte) (key []byte, hasNone bool, err error) {
	for _, c := range t.indexes[i].cols {
		if t.cols[c].Kind == codec.KindOption && len(cols[c]) == 1 && cols[c][0] == 0 {
			hasNone = true
		}
		if key, err = AppendKey(key, t.cols[c], cols[c]); err != nil {
			return nil, false, fmt.Errorf("%w: index %s: %v", ErrRow, t.indexes[i].name, err)
		}
	}
	if len(key) > MaxKeyBytes {
		return nil, false, fmt.Errorf("%w: index %s key is %d bytes encoded, limit %d", ErrRow, t.indexes[i].name, len(key), MaxKeyBytes)
	}
	return key, hasNone, nil
}
