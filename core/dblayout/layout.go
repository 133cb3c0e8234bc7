// Package layout is the database module's storage layout: where a table's
// record and rows live in the state tree, the order-preserving key
// encoding of column values, and the schema types a table record holds.
//
// It is a leaf package (it needs only the codec and addresses) so that a
// client verifying a proven row computes the row's key with the very code
// the module writes it with, without importing the node: see
// docs/proofs.md for the full key layout and a worked example.
package dblayout

import (
	"encoding/binary"
	"fmt"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/moduleid"
)

// Address is the database module's reserved address.
var Address = address.Module(moduleid.Database)

// Storage layout, under the module's own store prefix (StorePrefix). One-
// byte tags keep keys short; every component is fixed width or last, so no
// key is ambiguous.
//
//	'n'                                  -> u64 BE: the last table id assigned
//	't' owner(20) name                   -> TableRecord (id and schema)
//	'g' id(8 BE) grantee(20)             -> empty: grantee may write the table
//	'r' id(8 BE) pk-key                  -> row (canonical row struct)
//	'x' id(8 BE) index(1) index-key pk-key -> empty
//
// pk-key and index-key are the order-preserving key encodings (keys.go) of
// the primary-key and index columns.
const (
	TagCounter = 'n'
	TagTable   = 't'
	TagGrant   = 'g'
	TagRow     = 'r'
	TagIndex   = 'x'
)

// StorePrefix is the prefix of every key of the module in the state tree:
// 'c' followed by Address, as every contract's storage (router.StorePrefix,
// which a test checks this equals).
func StorePrefix() []byte {
	return append([]byte{'c'}, Address[:]...)
}

// TableKey is the module-store key of owner's table record name.
func TableKey(owner address.Address, name string) []byte {
	k := make([]byte, 0, 1+address.Len+len(name))
	return append(append(append(k, TagTable), owner[:]...), name...)
}

// IDKey is tag followed by the table id, with room for extra more bytes.
func IDKey(tag byte, id uint64, extra int) []byte {
	k := make([]byte, 0, 9+extra)
	return binary.BigEndian.AppendUint64(append(k, tag), id)
}

// GrantKey is the module-store key of a write grant of table id to to.
func GrantKey(id uint64, to address.Address) []byte {
	return append(IDKey(TagGrant, id, address.Len), to[:]...)
}

// RowPrefix is the prefix of every row of table id.
func RowPrefix(id uint64) []byte { return IDKey(TagRow, id, 0) }

// RowKey is the module-store key of the row of table id whose primary key
// encodes (key encoding) to pkKey.
func RowKey(id uint64, pkKey []byte) []byte {
	return append(IDKey(TagRow, id, len(pkKey)), pkKey...)
}

// IndexPrefix is the prefix of every entry of index i of table id.
func IndexPrefix(id uint64, i int) []byte {
	return append(IDKey(TagIndex, id, 1), byte(i))
}

// IndexEntry is the module-store key of one entry of index i of table id.
func IndexEntry(id uint64, i int, ikey, pkKey []byte) []byte {
	k := make([]byte, 0, 10+len(ikey)+len(pkKey))
	k = append(binary.BigEndian.AppendUint64(append(k, TagIndex), id), byte(i))
	return append(append(k, ikey...), pkKey...)
}

// InTree prefixes a module-store key with StorePrefix: the key in the state
// tree, which is what an ICS23 proof proves.
func InTree(moduleKey []byte) []byte {
	return append(StorePrefix(), moduleKey...)
}

// Column is one typed column of a table. Type is the type's text form, e.g.
// "u64", "string", "option<address>", "list<u32>".
type Column struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// Index is a secondary index over 1..MaxKeyColumns columns, each keyable or
// option<keyable>. A unique index refuses two rows with the same values in
// its columns, except that rows with none in any indexed column never
// conflict (as SQL treats NULL).
type Index struct {
	Name    string   `json:"name"`
	Columns []string `json:"columns"`
	Unique  bool     `json:"unique"`
}

// Schema describes a table: its columns in storage order, its primary key
// (1..MaxKeyColumns keyable columns) and its secondary indexes.
type Schema struct {
	Columns    []Column `json:"columns"`
	PrimaryKey []string `json:"primary_key"`
	Indexes    []Index  `json:"indexes"`
}

// TableRecord is what a table's 't' key holds, in the canonical encoding
// (codec.Marshal): the table id and its schema.
type TableRecord struct {
	ID     uint64
	Schema Schema
}

// ColumnTypes parses the types of s's columns, in storage order.
func ColumnTypes(s *Schema) ([]*codec.Type, error) {
	out := make([]*codec.Type, len(s.Columns))
	for i, c := range s.Columns {
		t, err := codec.ParseType(c.Type)
		if err != nil {
			return nil, fmt.Errorf("column %q: type %q: %w", c.Name, c.Type, err)
		}
		out[i] = t
	}
	return out, nil
}

// PrimaryKeyTypes returns the positions and types of s's primary-key
// columns, in key order.
func PrimaryKeyTypes(s *Schema, cols []*codec.Type) ([]int, []*codec.Type, error) {
	pos := make([]int, len(s.PrimaryKey))
	ts := make([]*codec.Type, len(s.PrimaryKey))
	for i, name := range s.PrimaryKey {
		found := false
		for j, c := range s.Columns {
			if c.Name == name {
				pos[i], ts[i], found = j, cols[j], true
				break
			}
		}
		if !found {
			return nil, nil, fmt.Errorf("primary key column %q is not a column", name)
		}
	}
	return pos, ts, nil
}

// PKKey is the key encoding of a canonical primary-key struct (the values
// of pkTypes, concatenated): each column's key encoding, concatenated.
func PKKey(pkTypes []*codec.Type, canonKey []byte) ([]byte, error) {
	vals, err := SplitValues(canonKey, pkTypes)
	if err != nil {
		return nil, err
	}
	var out []byte
	for i, v := range vals {
		if out, err = AppendKey(out, pkTypes[i], v); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// PadRow reads a row as stored with columns cols and returns the row with
// every column, and each column's bytes. Rows written before alter_table
// added columns lack those trailing (option) columns; they read as none.
func PadRow(cols []*codec.Type, stored []byte) (row []byte, colBytes [][]byte, err error) {
	r := codec.NewReader(stored)
	colBytes = make([][]byte, len(cols))
	row = stored
	for i, ct := range cols {
		if r.Remaining() == 0 && i > 0 && r.Err() == nil && ct.Kind == codec.KindOption {
			// A row from before column i was added: pad with none.
			row = append(append([]byte(nil), stored...), make([]byte, len(cols)-i)...)
			for j := i; j < len(cols); j++ {
				if cols[j].Kind != codec.KindOption {
					return nil, nil, fmt.Errorf("stored row lacks non-option column %d", j)
				}
				colBytes[j] = row[len(stored)+j-i : len(stored)+j-i+1]
			}
			break
		}
		start := len(stored) - r.Remaining()
		skipValue(r, ct)
		colBytes[i] = stored[start : len(stored)-r.Remaining()]
	}
	if err := r.Finish(); err != nil {
		return nil, nil, err
	}
	// colBytes before the padding alias stored, which is a prefix of row.
	return row, colBytes, nil
}
