package database

import (
	"fmt"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/dblayout"
	"github.com/vsys/vsys/core/moduleid"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/core/state"
	"github.com/vsys/vsys/modules/native"
)

// Address is the database module's reserved address.
var Address = dblayout.Address

// Name is the database module's router name.
const Name = moduleid.NameDatabase

// CreateTableArgs are the arguments of create_table; the caller owns the
// new table.
type CreateTableArgs struct {
	Name   string
	Schema Schema
}

// AlterTableArgs are the arguments of alter_table: columns (each option<T>)
// and indexes to append to the caller's table Name.
type AlterTableArgs struct {
	Name       string
	AddColumns []Column
	AddIndexes []Index
}

// GrantArgs are the arguments of grant: Write true lets To write the
// caller's table Table, false takes that right back.
type GrantArgs struct {
	Table string
	To    address.Address
	Write bool
}

// RowArgs are the arguments of insert, update and upsert: Row is a
// canonical value of the table's row type (RowType).
type RowArgs struct {
	Owner address.Address
	Table string
	Row   []byte
}

// KeyArgs are the arguments of get and delete: Key is a canonical value of
// the table's key type (KeyType).
type KeyArgs struct {
	Owner address.Address
	Table string
	Key   []byte
}

// TableArgs name one table.
type TableArgs struct {
	Owner address.Address
	Table string
}

// TablesArgs are the arguments of tables.
type TablesArgs struct {
	Owner address.Address
}

// QueryCall are the arguments of query: the table, then QueryArgs's
// fields.
type QueryCall struct {
	Owner   address.Address
	Table   string
	Index   string
	Prefix  []byte
	Lower   *[]byte
	Upper   *[]byte
	Reverse bool
	Filters []Filter
	Limit   uint32
	Cursor  []byte
}

// Query returns the query part of the call.
func (c QueryCall) Query() QueryArgs {
	return QueryArgs{Index: c.Index, Prefix: c.Prefix, Lower: c.Lower, Upper: c.Upper,
		Reverse: c.Reverse, Filters: c.Filters, Limit: c.Limit, Cursor: c.Cursor}
}

// RowEvent is the data of row_inserted, row_updated and row_deleted; Key
// is the canonical key struct of the row.
type RowEvent struct {
	Owner address.Address
	Table string
	Key   []byte
}

// TableEvent is the data of table_created.
type TableEvent struct {
	Owner address.Address
	Table string
}

// Event names.
const (
	EventTableCreated = "table_created"
	EventRowInserted  = "row_inserted"
	EventRowUpdated   = "row_updated"
	EventRowDeleted   = "row_deleted"
)

// New returns the database module as a native contract. Its methods and
// the Reader share one implementation; in a call it runs on ctx.Store(),
// so every read, write and scanned entry is charged gas.
func New() router.Contract {
	c := native.New(Name)
	native.EventType[TableEvent](c, EventTableCreated)
	native.EventType[RowEvent](c, EventRowInserted)
	native.EventType[RowEvent](c, EventRowUpdated)
	native.EventType[RowEvent](c, EventRowDeleted)

	native.Method(c, "create_table", "Create a table owned by the caller.", false,
		func(ctx *router.Context, a CreateTableArgs) (native.Empty, error) {
			if _, err := billedDB(ctx, ctx.Caller, a.Name).createTable(ctx.Caller, a.Name, a.Schema); err != nil {
				return native.Empty{}, err
			}
			return native.Empty{}, native.Emit(ctx, EventTableCreated, TableEvent{Owner: ctx.Caller, Table: a.Name})
		})
	native.Method(c, "alter_table", "Append option columns and indexes to the caller's table; new indexes are built over existing rows.", false,
		func(ctx *router.Context, a AlterTableArgs) (native.Empty, error) {
			d := billedDB(ctx, ctx.Caller, a.Name)
			t, err := d.table(ctx.Caller, a.Name)
			if err != nil {
				return native.Empty{}, err
			}
			return native.Empty{}, d.alterTable(t, a.AddColumns, a.AddIndexes)
		})
	native.Method(c, "grant", "Grant (write=true) or revoke (write=false) an address's right to write the caller's table.", false,
		func(ctx *router.Context, a GrantArgs) (native.Empty, error) {
			d := billedDB(ctx, ctx.Caller, a.Table)
			t, err := d.table(ctx.Caller, a.Table)
			if err != nil {
				return native.Empty{}, err
			}
			return native.Empty{}, d.grant(t, a.To, a.Write)
		})
	rowMethod := func(name, doc string, op func(d db, t *table, row []byte) (*rowData, string, error)) {
		native.Method(c, name, doc, false,
			func(ctx *router.Context, a RowArgs) (native.Empty, error) {
				d := billedDB(ctx, a.Owner, a.Table)
				t, err := d.writable(ctx.Caller, a.Owner, a.Table)
				if err != nil {
					return native.Empty{}, err
				}
				rd, event, err := op(d, t, a.Row)
				if err != nil {
					return native.Empty{}, err
				}
				return native.Empty{}, native.Emit(ctx, event, RowEvent{Owner: a.Owner, Table: a.Table, Key: rd.pkCanon})
			})
	}
	rowMethod("insert", "Insert a row; its primary key and unique index values must be new.",
		func(d db, t *table, row []byte) (*rowData, string, error) {
			rd, err := d.insert(t, row)
			return rd, EventRowInserted, err
		})
	rowMethod("update", "Replace the row with the same primary key, which must exist.",
		func(d db, t *table, row []byte) (*rowData, string, error) {
			rd, err := d.update(t, row)
			return rd, EventRowUpdated, err
		})
	rowMethod("upsert", "Insert the row, or replace the row with the same primary key.",
		func(d db, t *table, row []byte) (*rowData, string, error) {
			rd, inserted, err := d.upsert(t, row)
			if inserted {
				return rd, EventRowInserted, err
			}
			return rd, EventRowUpdated, err
		})
	native.Method(c, "delete", "Delete the row with this primary key, which must exist.", false,
		func(ctx *router.Context, a KeyArgs) (native.Empty, error) {
			d := billedDB(ctx, a.Owner, a.Table)
			t, err := d.writable(ctx.Caller, a.Owner, a.Table)
			if err != nil {
				return native.Empty{}, err
			}
			rd, err := d.delete(t, a.Key)
			if err != nil {
				return native.Empty{}, err
			}
			return native.Empty{}, native.Emit(ctx, EventRowDeleted, RowEvent{Owner: a.Owner, Table: a.Table, Key: rd.pkCanon})
		})
	native.Method(c, "get", "The row with this primary key, if any.", true,
		func(ctx *router.Context, a KeyArgs) (*[]byte, error) {
			row, _, err := viewOf(ctx).Get(a.Owner, a.Table, a.Key)
			if err != nil || row == nil {
				return nil, err
			}
			return &row, nil
		})
	native.Method(c, "query", "Scan a table by primary key or index: prefix, range, filters, order, limit and cursor.", true,
		func(ctx *router.Context, a QueryCall) (QueryResult, error) {
			return viewOf(ctx).Query(a.Owner, a.Table, a.Query())
		})
	native.Method(c, "schema", "A table's schema.", true,
		func(ctx *router.Context, a TableArgs) (Schema, error) {
			s, _, _, err := viewOf(ctx).Schema(a.Owner, a.Table)
			if err != nil {
				return Schema{}, err
			}
			return *s, nil
		})
	native.Method(c, "tables", "The names of an owner's tables, sorted.", true,
		func(ctx *router.Context, a TablesArgs) ([]string, error) {
			return viewOf(ctx).Tables(a.Owner)
		})
	return c
}

// writable loads a table the caller may write.
func (d db) writable(caller, owner address.Address, name string) (*table, error) {
	t, err := d.table(owner, name)
	if err != nil {
		return nil, err
	}
	return t, d.canWrite(t, caller)
}

func viewOf(ctx *router.Context) *Reader { return &Reader{d: db{kv: ctx.Store()}} }

// billedDB writes table of owner: its bytes are billed to the owner (the
// account or contract that created it), whoever writes them.
func billedDB(ctx *router.Context, owner address.Address, table string) db {
	return db{kv: ctx.BilledStore(owner, "table/"+table), meta: ctx.Store()}
}

// Reader reads tables. The JSON-RPC reads through it from a committed
// view; the module's read methods read through it from ctx.Store().
type Reader struct {
	d db
}

// NewReader reads tables from the whole-state view kv (the unprefixed
// root, e.g. a committed version of the tree). It never writes.
func NewReader(kv state.KV) *Reader {
	return &Reader{d: db{kv: router.StoreOf(kv, Address)}}
}

// Schema returns a table's schema, its row type and its key type.
func (r *Reader) Schema(owner address.Address, table string) (*Schema, *codec.Type, *codec.Type, error) {
	t, err := r.d.table(owner, table)
	if err != nil {
		return nil, nil, nil, err
	}
	s := t.schema
	return &s, t.rowType, t.keyType, nil
}

// Tables returns the names of owner's tables, sorted.
func (r *Reader) Tables(owner address.Address) ([]string, error) { return r.d.tables(owner) }

// Get returns the row (nil if absent) whose canonical key struct is key,
// and the full unprefixed key it is stored under, for proofs. The value
// under storeKey is row, except that a row written before alter_table
// added columns is stored without those trailing columns (they read as
// none): see NormalizeRow.
func (r *Reader) Get(owner address.Address, table string, key []byte) (row, storeKey []byte, err error) {
	t, err := r.d.table(owner, table)
	if err != nil {
		return nil, nil, err
	}
	row, k, err := r.d.get(t, key)
	if err != nil {
		return nil, nil, err
	}
	return row, append(router.StorePrefix(Address), k...), nil
}

// Query runs q on owner's table.
func (r *Reader) Query(owner address.Address, table string, q QueryArgs) (QueryResult, error) {
	t, err := r.d.table(owner, table)
	if err != nil {
		return QueryResult{}, err
	}
	return r.d.query(t, q)
}

// NormalizeRow turns a row as stored (e.g. a value proven under a Get's
// storeKey) into the row with every column of schema s: columns that
// alter_table added after the row was written read as none.
func NormalizeRow(s *Schema, stored []byte) ([]byte, error) {
	t, err := compile(*s)
	if err != nil {
		return nil, err
	}
	rd, err := t.storedRow(stored)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrRow, err)
	}
	return rd.row, nil
}
