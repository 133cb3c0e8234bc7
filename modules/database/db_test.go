package database

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/router"
)

func createItems(t *testing.T, f *fixture) {
	t.Helper()
	f.must(t, alice, "create_table", CreateTableArgs{Name: "items", Schema: itemSchema})
}

func TestCreateTableAndSchema(t *testing.T) {
	f := newFixture(t)
	createItems(t, f)
	require.Len(t, f.events, 1)
	require.Equal(t, EventTableCreated, f.events[0].Name)
	var ev TableEvent
	require.NoError(t, codec.Unmarshal(f.events[0].Data, &ev))
	require.Equal(t, TableEvent{Owner: alice, Table: "items"}, ev)

	f.must(t, alice, "create_table", CreateTableArgs{Name: "a_first", Schema: itemSchema})
	f.must(t, bob, "create_table", CreateTableArgs{Name: "items", Schema: itemSchema}) // same name, other owner

	var names []string
	require.NoError(t, codec.Unmarshal(f.must(t, carol, "tables", TablesArgs{Owner: alice}), &names))
	require.Equal(t, []string{"a_first", "items"}, names)
	require.NoError(t, codec.Unmarshal(f.must(t, carol, "tables", TablesArgs{Owner: carol}), &names))
	require.Empty(t, names)

	var s Schema
	require.NoError(t, codec.Unmarshal(f.must(t, carol, "schema", TableArgs{Owner: alice, Table: "items"}), &s))
	require.Equal(t, itemSchema, s)

	_, err := f.call(t, alice, "create_table", CreateTableArgs{Name: "items", Schema: itemSchema})
	require.ErrorIs(t, err, ErrTableExists)
	_, err = f.call(t, carol, "schema", TableArgs{Owner: carol, Table: "items"})
	require.ErrorIs(t, err, ErrNoTable)

	// The Reader sees the same, and gives the row and key types.
	rs, rowT, keyT, err := NewReader(f.kv).Schema(alice, "items")
	require.NoError(t, err)
	require.Equal(t, itemSchema, *rs)
	require.Equal(t, "struct{id:u64,name:string,score:i64,tag:option<string>,data:bytes}", rowT.String())
	require.Equal(t, "struct{id:u64}", keyT.String())
	goRow, err := codec.TypeOf(item{})
	require.NoError(t, err)
	require.True(t, goRow.Equal(rowT))
}

func TestCreateTableRejects(t *testing.T) {
	cols := func(cs ...string) []Column {
		var out []Column
		for _, c := range cs {
			name, typ, _ := strings.Cut(c, " ")
			out = append(out, Column{Name: name, Type: typ})
		}
		return out
	}
	base := func() Schema {
		return Schema{Columns: cols("id u64", "name string", "maybe option<u32>", "list list<u8>"), PrimaryKey: []string{"id"}}
	}
	many := make([]Column, MaxColumns+1)
	for i := range many {
		many[i] = Column{Name: "c" + strings.Repeat("x", i), Type: "u8"}
	}
	for _, tc := range []struct {
		name   string
		table  string
		mutate func(*Schema)
		msg    string
	}{
		{"bad table name", "Items", func(*Schema) {}, "table name"},
		{"empty table name", "", func(*Schema) {}, "table name"},
		{"long table name", strings.Repeat("a", 65), func(*Schema) {}, "table name"},
		{"no columns", "t", func(s *Schema) { s.Columns = nil }, "0 columns"},
		{"too many columns", "t", func(s *Schema) { s.Columns = many }, "65 columns"},
		{"unknown type", "t", func(s *Schema) { s.Columns[1].Type = "text" }, `unknown type "text"`},
		{"long type", "t", func(s *Schema) { s.Columns[1].Type = strings.Repeat("list<", 200) + "u8" + strings.Repeat(">", 200) }, "limit"},
		{"bad column name", "t", func(s *Schema) { s.Columns[1].Name = "Name" }, "column name"},
		{"duplicate column", "t", func(s *Schema) { s.Columns[1].Name = "id" }, `duplicate column "id"`},
		{"no pk", "t", func(s *Schema) { s.PrimaryKey = nil }, "primary key has 0 columns"},
		{"pk too wide", "t", func(s *Schema) { s.PrimaryKey = []string{"id", "name", "id", "name", "id"} }, "primary key has 5"},
		{"missing pk column", "t", func(s *Schema) { s.PrimaryKey = []string{"nope"} }, `no column "nope"`},
		{"option pk column", "t", func(s *Schema) { s.PrimaryKey = []string{"maybe"} }, "cannot be a key"},
		{"list pk column", "t", func(s *Schema) { s.PrimaryKey = []string{"list"} }, "cannot be a key"},
		{"pk column twice", "t", func(s *Schema) { s.PrimaryKey = []string{"id", "id"} }, "listed twice"},
		{"bad index name", "t", func(s *Schema) { s.Indexes = []Index{{Name: "1x", Columns: []string{"name"}}} }, "index name"},
		{"duplicate index", "t", func(s *Schema) {
			s.Indexes = []Index{{Name: "x", Columns: []string{"name"}}, {Name: "x", Columns: []string{"id"}}}
		}, `duplicate index "x"`},
		{"index on list", "t", func(s *Schema) { s.Indexes = []Index{{Name: "x", Columns: []string{"list"}}} }, "cannot be a key"},
		{"index no columns", "t", func(s *Schema) { s.Indexes = []Index{{Name: "x"}} }, "0 columns"},
		{"index missing column", "t", func(s *Schema) { s.Indexes = []Index{{Name: "x", Columns: []string{"zz"}}} }, `no column "zz"`},
		{"too many indexes", "t", func(s *Schema) {
			for i := 0; i <= MaxIndexes; i++ {
				s.Indexes = append(s.Indexes, Index{Name: "x" + strings.Repeat("x", i), Columns: []string{"name"}})
			}
		}, "9 indexes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			before := f.dump(t)
			s := base()
			tc.mutate(&s)
			_, err := f.call(t, alice, "create_table", CreateTableArgs{Name: tc.table, Schema: s})
			require.ErrorIs(t, err, ErrSchema)
			require.ErrorContains(t, err, tc.msg)
			require.Equal(t, before, f.dump(t), "nothing written")
		})
	}
	// option<T> is fine in an index.
	f := newFixture(t)
	s := base()
	s.Indexes = []Index{{Name: "by_maybe", Columns: []string{"maybe", "name"}, Unique: true}}
	f.must(t, alice, "create_table", CreateTableArgs{Name: "t", Schema: s})
}

func TestInsertGetUpdateDelete(t *testing.T) {
	f := newFixture(t)
	createItems(t, f)
	row := item{ID: 7, Name: "seven", Score: -3, Tag: strp("x"), Data: []byte{1, 2}}
	f.must(t, alice, "insert", RowArgs{Owner: alice, Table: "items", Row: mustMarshal(t, row)})
	require.Len(t, f.events, 1)
	require.Equal(t, EventRowInserted, f.events[0].Name)
	var ev RowEvent
	require.NoError(t, codec.Unmarshal(f.events[0].Data, &ev))
	require.Equal(t, RowEvent{Owner: alice, Table: "items", Key: mustMarshal(t, itemKey{7})}, ev)

	get := func(id uint64) *[]byte {
		var out *[]byte
		require.NoError(t, codec.Unmarshal(f.must(t, carol, "get", KeyArgs{Owner: alice, Table: "items", Key: mustMarshal(t, itemKey{id})}), &out))
		return out
	}
	require.Equal(t, mustMarshal(t, row), *get(7))
	require.Nil(t, get(8))

	// Reader.Get gives the proof key too.
	r := NewReader(f.kv)
	got, sk, err := r.Get(alice, "items", mustMarshal(t, itemKey{7}))
	require.NoError(t, err)
	require.Equal(t, mustMarshal(t, row), got)
	stored, err := f.kv.Get(sk)
	require.NoError(t, err)
	require.Equal(t, got, stored)
	require.Equal(t, router.StorePrefix(Address), sk[:21])

	_, err = f.call(t, alice, "insert", RowArgs{Owner: alice, Table: "items", Row: mustMarshal(t, row)})
	require.ErrorIs(t, err, ErrDuplicate)

	row.Score, row.Tag = 100, nil
	f.must(t, alice, "update", RowArgs{Owner: alice, Table: "items", Row: mustMarshal(t, row)})
	require.Equal(t, EventRowUpdated, f.events[0].Name)
	require.Equal(t, mustMarshal(t, row), *get(7))
	_, err = f.call(t, alice, "update", RowArgs{Owner: alice, Table: "items", Row: mustMarshal(t, item{ID: 9, Name: "nine"})})
	require.ErrorIs(t, err, ErrNotFound)

	f.must(t, alice, "upsert", RowArgs{Owner: alice, Table: "items", Row: mustMarshal(t, item{ID: 9, Name: "nine"})})
	require.Equal(t, EventRowInserted, f.events[0].Name)
	f.must(t, alice, "upsert", RowArgs{Owner: alice, Table: "items", Row: mustMarshal(t, item{ID: 9, Name: "nine!"})})
	require.Equal(t, EventRowUpdated, f.events[0].Name)
	require.Equal(t, 2, checkIndexes(t, f.kv, alice, "items"))

	f.must(t, alice, "delete", KeyArgs{Owner: alice, Table: "items", Key: mustMarshal(t, itemKey{7})})
	require.Equal(t, EventRowDeleted, f.events[0].Name)
	require.Nil(t, get(7))
	_, err = f.call(t, alice, "delete", KeyArgs{Owner: alice, Table: "items", Key: mustMarshal(t, itemKey{7})})
	require.ErrorIs(t, err, ErrNotFound)
	require.Equal(t, 1, checkIndexes(t, f.kv, alice, "items"))

	_, err = f.call(t, alice, "insert", RowArgs{Owner: bob, Table: "items", Row: mustMarshal(t, row)})
	require.ErrorIs(t, err, ErrNoTable)
}

func TestUniqueViolationLeavesStateUnchanged(t *testing.T) {
	f := newFixture(t)
	createItems(t, f)
	f.must(t, alice, "insert", RowArgs{Owner: alice, Table: "items", Row: mustMarshal(t, item{ID: 1, Name: "a", Tag: strp("t")})})
	f.must(t, alice, "insert", RowArgs{Owner: alice, Table: "items", Row: mustMarshal(t, item{ID: 2, Name: "b"})})
	before := f.dump(t)
	for _, tc := range []struct {
		method string
		row    item
	}{
		{"insert", item{ID: 3, Name: "a"}},
		{"update", item{ID: 2, Name: "a", Score: 5}},
		{"upsert", item{ID: 2, Name: "a"}},
		{"upsert", item{ID: 4, Name: "b"}},
	} {
		_, err := f.call(t, alice, tc.method, RowArgs{Owner: alice, Table: "items", Row: mustMarshal(t, tc.row)})
		require.ErrorIs(t, err, ErrDuplicate, "%s %+v", tc.method, tc.row)
		require.ErrorContains(t, err, "by_name")
		require.Equal(t, before, f.dump(t), "%s %+v changed state", tc.method, tc.row)
		require.Empty(t, f.events)
	}
	// Keeping one's own unique value is fine.
	f.must(t, alice, "update", RowArgs{Owner: alice, Table: "items", Row: mustMarshal(t, item{ID: 1, Name: "a", Score: 9})})
	checkIndexes(t, f.kv, alice, "items")
}

func TestUniqueIndexIgnoresNone(t *testing.T) {
	f := newFixture(t)
	f.must(t, alice, "create_table", CreateTableArgs{Name: "t", Schema: Schema{
		Columns:    []Column{{Name: "id", Type: "u8"}, {Name: "email", Type: "option<string>"}},
		PrimaryKey: []string{"id"},
		Indexes:    []Index{{Name: "by_email", Columns: []string{"email"}, Unique: true}},
	}})
	type row struct {
		ID    uint8
		Email *string
	}
	f.must(t, alice, "insert", RowArgs{Owner: alice, Table: "t", Row: mustMarshal(t, row{1, nil})})
	f.must(t, alice, "insert", RowArgs{Owner: alice, Table: "t", Row: mustMarshal(t, row{2, nil})})
	f.must(t, alice, "insert", RowArgs{Owner: alice, Table: "t", Row: mustMarshal(t, row{3, strp("a@b")})})
	_, err := f.call(t, alice, "insert", RowArgs{Owner: alice, Table: "t", Row: mustMarshal(t, row{4, strp("a@b")})})
	require.ErrorIs(t, err, ErrDuplicate)
	res, err := f.query(t, QueryCall{Owner: alice, Table: "t", Index: "by_email", Prefix: []byte{0}})
	require.NoError(t, err)
	require.Len(t, res.Rows, 2, "none values are indexed and queryable")
	checkIndexes(t, f.kv, alice, "t")
}

func TestAuthorization(t *testing.T) {
	f := newFixture(t)
	createItems(t, f)
	ins := func(caller [20]byte, id uint64) error {
		_, err := f.call(t, caller, "insert", RowArgs{Owner: alice, Table: "items", Row: mustMarshal(t, item{ID: id, Name: string(rune('a' + id))})})
		return err
	}
	before := f.dump(t)
	require.ErrorIs(t, ins(bob, 1), ErrUnauthorized)
	_, err := f.call(t, bob, "delete", KeyArgs{Owner: alice, Table: "items", Key: mustMarshal(t, itemKey{1})})
	require.ErrorIs(t, err, ErrUnauthorized)
	require.Equal(t, before, f.dump(t))

	// Only the owner grants: bob "granting" on alice's table names his own
	// (missing) table.
	_, err = f.call(t, bob, "grant", GrantArgs{Table: "items", To: bob, Write: true})
	require.ErrorIs(t, err, ErrNoTable)
	_, err = f.call(t, bob, "alter_table", AlterTableArgs{Name: "items", AddColumns: []Column{{Name: "z", Type: "option<u8>"}}})
	require.ErrorIs(t, err, ErrNoTable)

	f.must(t, alice, "grant", GrantArgs{Table: "items", To: bob, Write: true})
	require.NoError(t, ins(bob, 1))
	f.must(t, bob, "update", RowArgs{Owner: alice, Table: "items", Row: mustMarshal(t, item{ID: 1, Name: "b", Score: 3})})
	require.ErrorIs(t, ins(carol, 2), ErrUnauthorized)

	f.must(t, alice, "grant", GrantArgs{Table: "items", To: bob, Write: false})
	require.ErrorIs(t, ins(bob, 3), ErrUnauthorized)
	require.NoError(t, ins(alice, 3))
}

func TestBadInputWritesNothing(t *testing.T) {
	f := newFixture(t)
	createItems(t, f)
	f.must(t, alice, "insert", RowArgs{Owner: alice, Table: "items", Row: mustMarshal(t, item{ID: 1, Name: "one"})})
	good := mustMarshal(t, item{ID: 2, Name: "two", Data: []byte{1}})
	type short struct {
		ID   uint64
		Name string
	}
	type wrong struct {
		ID    uint64
		Name  uint64
		Score int64
		Tag   *string
		Data  []byte
	}
	huge := mustMarshal(t, item{ID: 3, Name: "big", Data: make([]byte, MaxRowBytes)})
	longKey := Schema{Columns: []Column{{Name: "k", Type: "string"}}, PrimaryKey: []string{"k"}}
	f.must(t, alice, "create_table", CreateTableArgs{Name: "strs", Schema: longKey})

	for _, tc := range []struct {
		name   string
		method string
		args   any
		err    error
	}{
		{"trailing bytes", "insert", RowArgs{Owner: alice, Table: "items", Row: append(good, 0)}, ErrRow},
		{"missing column", "insert", RowArgs{Owner: alice, Table: "items", Row: mustMarshal(t, short{2, "x"})}, ErrRow},
		{"wrong type", "insert", RowArgs{Owner: alice, Table: "items", Row: mustMarshal(t, wrong{ID: 2, Name: 5})}, ErrRow},
		{"empty row", "insert", RowArgs{Owner: alice, Table: "items"}, ErrRow},
		{"oversized row", "insert", RowArgs{Owner: alice, Table: "items", Row: huge}, ErrRow},
		{"oversized key", "insert", RowArgs{Owner: alice, Table: "strs", Row: mustMarshal(t, struct{ K string }{strings.Repeat("k", MaxKeyBytes)})}, ErrRow},
		{"update bad row", "update", RowArgs{Owner: alice, Table: "items", Row: good[:5]}, ErrRow},
		{"upsert bad row", "upsert", RowArgs{Owner: alice, Table: "items", Row: good[:len(good)-1]}, ErrRow},
		{"delete bad key", "delete", KeyArgs{Owner: alice, Table: "items", Key: []byte{1, 2}}, ErrRow},
		{"get bad key", "get", KeyArgs{Owner: alice, Table: "items", Key: mustMarshal(t, itemKey{1})[:7]}, ErrRow},
		{"no table", "insert", RowArgs{Owner: alice, Table: "nope", Row: good}, ErrNoTable},
		{"alter non-option column", "alter_table", AlterTableArgs{Name: "items", AddColumns: []Column{{Name: "z", Type: "u8"}}}, ErrSchema},
		{"alter duplicate column", "alter_table", AlterTableArgs{Name: "items", AddColumns: []Column{{Name: "name", Type: "option<u8>"}}}, ErrSchema},
		{"alter duplicate index", "alter_table", AlterTableArgs{Name: "items", AddIndexes: []Index{{Name: "by_name", Columns: []string{"id"}}}}, ErrSchema},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := f.dump(t)
			_, err := f.call(t, alice, tc.method, tc.args)
			require.ErrorIs(t, err, tc.err)
			require.Equal(t, before, f.dump(t))
		})
	}
	// Now two rows share score 0: a unique index over score is refused.
	f.must(t, alice, "insert", RowArgs{Owner: alice, Table: "items", Row: good})
	before := f.dump(t)
	_, err := f.call(t, alice, "alter_table", AlterTableArgs{Name: "items", AddIndexes: []Index{{Name: "u2", Columns: []string{"score"}, Unique: true}}})
	require.ErrorIs(t, err, ErrDuplicate)
	require.Equal(t, before, f.dump(t))
}

func TestAlterTable(t *testing.T) {
	f := newFixture(t)
	createItems(t, f)
	for i := uint64(0); i < 600; i++ { // more than one build batch
		f.must(t, alice, "insert", RowArgs{Owner: alice, Table: "items", Row: mustMarshal(t, item{ID: i, Name: string(rune(0x100 + i)), Score: int64(i % 7)})})
	}
	_, _, err := f.store.Commit()
	require.NoError(t, err)
	f.must(t, alice, "alter_table", AlterTableArgs{Name: "items",
		AddColumns: []Column{{Name: "note", Type: "option<string>"}, {Name: "level", Type: "option<u8>"}},
		AddIndexes: []Index{{Name: "by_level", Columns: []string{"level", "id"}}, {Name: "by_score_id", Columns: []string{"score", "id"}, Unique: true}},
	})
	type itemV2 struct {
		ID    uint64
		Name  string
		Score int64
		Tag   *string
		Data  []byte
		Note  *string
		Level *uint8
	}
	// Old rows read with none in the new columns.
	var out *[]byte
	require.NoError(t, codec.Unmarshal(f.must(t, carol, "get", KeyArgs{Owner: alice, Table: "items", Key: mustMarshal(t, itemKey{5})}), &out))
	var got itemV2
	require.NoError(t, codec.Unmarshal(*out, &got))
	require.Equal(t, itemV2{ID: 5, Name: string(rune(0x105)), Score: 5, Data: []byte{}}, got)

	// The stored value is the old row; NormalizeRow maps it to the row.
	s, _, _, err := NewReader(f.kv).Schema(alice, "items")
	require.NoError(t, err)
	_, sk, err := NewReader(f.kv).Get(alice, "items", mustMarshal(t, itemKey{5}))
	require.NoError(t, err)
	stored, err := f.kv.Get(sk)
	require.NoError(t, err)
	require.Len(t, stored, len(*out)-2)
	norm, err := NormalizeRow(s, stored)
	require.NoError(t, err)
	require.Equal(t, *out, norm)

	// Old-format rows are rejected on insert: rows given by callers are full.
	_, err = f.call(t, alice, "insert", RowArgs{Owner: alice, Table: "items", Row: mustMarshal(t, item{ID: 1000, Name: "old"})})
	require.ErrorIs(t, err, ErrRow)
	lvl := uint8(3)
	f.must(t, alice, "insert", RowArgs{Owner: alice, Table: "items", Row: mustMarshal(t, itemV2{ID: 1000, Name: "new", Level: &lvl, Note: strp("hi")})})
	f.must(t, alice, "update", RowArgs{Owner: alice, Table: "items", Row: mustMarshal(t, itemV2{ID: 4, Name: string(rune(0x104)), Score: 4, Level: &lvl})})
	require.Equal(t, 601, checkIndexes(t, f.kv, alice, "items"))

	// The new index is queryable: level 3 holds ids 4 and 1000, none the rest.
	three := mustMarshal(t, &lvl)
	res, err := f.query(t, QueryCall{Owner: alice, Table: "items", Index: "by_level", Prefix: three})
	require.NoError(t, err)
	var ids []uint64
	for _, r := range res.Rows {
		var it itemV2
		require.NoError(t, codec.Unmarshal(r, &it))
		ids = append(ids, it.ID)
	}
	require.Equal(t, []uint64{4, 1000}, ids)
	res, err = f.query(t, QueryCall{Owner: alice, Table: "items", Index: "by_level", Prefix: []byte{0}, Limit: 1000})
	require.NoError(t, err)
	require.Len(t, res.Rows, 599)

	var sch Schema
	require.NoError(t, codec.Unmarshal(f.must(t, carol, "schema", TableArgs{Owner: alice, Table: "items"}), &sch))
	require.Len(t, sch.Columns, 7)
	require.Len(t, sch.Indexes, 5)
}
