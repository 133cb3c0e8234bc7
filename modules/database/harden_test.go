package database

import (
	"bytes"
	"errors"
	"math/rand"
	"sort"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/gas"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/core/state"
)

func TestABI(t *testing.T) {
	c := New()
	a := c.ABI()
	require.NoError(t, a.Validate())
	require.Equal(t, Name, a.Name)
	want := map[string]bool{ // name -> read-only
		"create_table": false, "alter_table": false, "grant": false, "insert": false, "update": false,
		"upsert": false, "delete": false, "get": true, "query": true, "schema": true, "tables": true,
	}
	require.Len(t, a.Methods, len(want))
	for _, m := range a.Methods {
		ro, ok := want[m.Name]
		require.True(t, ok, m.Name)
		require.Equal(t, ro, m.ReadOnly, m.Name)
		require.NotEmpty(t, m.Doc, m.Name)
	}
	q, _ := a.Method("query")
	require.Equal(t, "struct{owner:address,table:string,index:string,prefix:bytes,lower:option<bytes>,upper:option<bytes>,"+
		"reverse:bool,filters:list<struct{column:string,op:string,value:bytes}>,limit:u32,cursor:bytes}", q.Args.String())
	require.Equal(t, "struct{rows:list<bytes>,cursor:bytes}", q.Result.String())
	ct, _ := a.Method("create_table")
	require.Equal(t, "struct{name:string,schema:struct{columns:list<struct{name:string,type:string}>,"+
		"primary_key:list<string>,indexes:list<struct{name:string,columns:list<string>,unique:bool}>}}", ct.Args.String())
	g, _ := a.Method("get")
	require.Equal(t, "option<bytes>", g.Result.String())
	for _, e := range []string{EventTableCreated, EventRowInserted, EventRowUpdated, EventRowDeleted} {
		_, ok := a.Event(e)
		require.True(t, ok, e)
	}
	ev, _ := a.Event(EventRowDeleted)
	require.Equal(t, "struct{owner:address,table:string,key:bytes}", ev.Type.String())
}

// TestEveryKeyableTypeAsKey stores rows keyed by every keyable type (4
// columns at a time) and checks a full scan returns them in natural order,
// both directions, and that get finds each.
func TestEveryKeyableTypeAsKey(t *testing.T) {
	f := newFixture(t)
	r := rand.New(rand.NewSource(3))
	cases := keyCases()
	for start := 0; start < len(cases); start += 4 {
		group := cases[start:min(start+4, len(cases))]
		var cols []Column
		var pk []string
		for i, kc := range group {
			if kc.typ[0] == 'o' { // option<...> is not keyable: use its element
				continue
			}
			name := string(rune('a' + i))
			cols = append(cols, Column{Name: name, Type: kc.typ})
			pk = append(pk, name)
		}
		cols = append(cols, Column{Name: "n", Type: "u32"})
		name := "keys" + string(rune('a'+start/4))
		f.must(t, alice, "create_table", CreateTableArgs{Name: name, Schema: Schema{Columns: cols, PrimaryKey: pk}})
		type tuple struct {
			vals []any
			key  []byte // canonical key struct
			row  []byte
		}
		var tuples []tuple
		seen := map[string]bool{}
		for n := 0; n < 300; n++ {
			var tp tuple
			for _, kc := range group {
				if kc.typ[0] == 'o' {
					continue
				}
				v := kc.gen(r)
				tp.vals = append(tp.vals, v)
				tp.key = append(tp.key, mustMarshal(t, v)...)
			}
			if seen[string(tp.key)] {
				continue
			}
			seen[string(tp.key)] = true
			tp.row = append(append([]byte(nil), tp.key...), mustMarshal(t, uint32(n))...)
			tuples = append(tuples, tp)
			f.must(t, alice, "insert", RowArgs{Owner: alice, Table: name, Row: tp.row})
		}
		var keyed []keyCase
		for _, kc := range group {
			if kc.typ[0] != 'o' {
				keyed = append(keyed, kc)
			}
		}
		sort.Slice(tuples, func(i, j int) bool {
			for c, kc := range keyed {
				if x := kc.cmp(tuples[i].vals[c], tuples[j].vals[c]); x != 0 {
					return x < 0
				}
			}
			return false
		})
		want := make([][]byte, len(tuples))
		for i, tp := range tuples {
			want[i] = tp.row
		}
		equalRows(t, want, allRows(t, f, alice, name))
		res, err := f.query(t, QueryCall{Owner: alice, Table: name, Reverse: true, Limit: 1000})
		require.NoError(t, err)
		for i := range want {
			require.Equal(t, want[len(want)-1-i], res.Rows[i])
		}
		for _, tp := range tuples[:20] {
			row, _, err := NewReader(f.kv).Get(alice, name, tp.key)
			require.NoError(t, err)
			require.Equal(t, tp.row, row)
		}
	}
}

func TestOutOfGasWritesNothing(t *testing.T) {
	f := newFixture(t)
	createItems(t, f)
	before := f.dump(t)
	args := mustMarshal(t, RowArgs{Owner: alice, Table: "items", Row: mustMarshal(t, item{ID: 1, Name: "x", Tag: strp("y")})})
	for _, limit := range []uint64{1_000, 3_000, 6_000, 9_000, 12_000} {
		env := newEnv()
		env.Gas = gas.NewMeter(limit)
		_, err := f.r.Call(env, f.kv, alice, Address, "insert", args, nil)
		require.ErrorIs(t, err, gas.ErrOutOfGas, "limit %d", limit)
		require.Equal(t, before, f.dump(t))
		require.Empty(t, env.Events)
	}
	env := newEnv()
	_, err := f.r.Call(env, f.kv, alice, Address, "insert", args, nil)
	require.NoError(t, err)
	t.Logf("insert with three indexes used %d gas", env.Gas.Used())
}

func TestReadOnlyCalls(t *testing.T) {
	f := newFixture(t)
	createItems(t, f)
	f.must(t, alice, "insert", RowArgs{Owner: alice, Table: "items", Row: mustMarshal(t, item{ID: 1, Name: "x"})})
	env := newEnv()
	env.ReadOnly = true
	_, err := f.r.Call(env, f.kv, alice, Address, "insert", mustMarshal(t, RowArgs{Owner: alice, Table: "items", Row: mustMarshal(t, item{ID: 2, Name: "y"})}), nil)
	require.ErrorIs(t, err, router.ErrReadOnlyCall)
	out, err := f.r.Call(env, f.kv, carol, Address, "query", mustMarshal(t, QueryCall{Owner: alice, Table: "items"}), nil)
	require.NoError(t, err)
	var res QueryResult
	require.NoError(t, codec.Unmarshal(out, &res))
	require.Len(t, res.Rows, 1)
}

// TestReaderOnCommittedView reads a committed version through NewReader
// (as the JSON-RPC does) while new blocks are written and committed.
func TestReaderOnCommittedView(t *testing.T) {
	f := newFixture(t)
	createItems(t, f)
	for i := uint64(0); i < 100; i++ {
		f.must(t, alice, "insert", RowArgs{Owner: alice, Table: "items", Row: mustMarshal(t, item{ID: i, Name: string(rune('a' + i))})})
	}
	_, v, err := f.store.Commit()
	require.NoError(t, err)
	view, err := f.store.At(v)
	require.NoError(t, err)
	rd := NewReader(view)

	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < 20; i++ {
			res, err := rd.Query(alice, "items", QueryArgs{Index: "by_score", Limit: 1000})
			if err != nil || len(res.Rows) != 100 {
				t.Errorf("view query: %d rows, %v", len(res.Rows), err)
				return
			}
			if names, err := rd.Tables(alice); err != nil || len(names) != 1 {
				t.Errorf("view tables: %v %v", names, err)
				return
			}
		}
	}()
	for i := uint64(100); i < 300; i++ {
		f.must(t, alice, "insert", RowArgs{Owner: alice, Table: "items", Row: mustMarshal(t, item{ID: i, Name: string(rune('a' + i))})})
		if i%50 == 0 {
			_, _, err := f.store.Commit()
			require.NoError(t, err)
		}
	}
	wg.Wait()
	_, err = view.Get([]byte("x"))
	require.NoError(t, err)
	res, err := NewReader(f.kv).Query(alice, "items", QueryArgs{Limit: 1000})
	require.NoError(t, err)
	require.Len(t, res.Rows, 300)
	// Writes through a Reader's view are impossible: it is read-only.
	_, err = NewReader(view).d.createTable(alice, "zz", itemSchema)
	require.ErrorIs(t, err, state.ErrReadOnly)
}

// fuzzDB is a table with rows, on a cache over a real store, for fuzzing
// the module's core directly (no router: each input gets a fresh cache).
func fuzzDB(f *testing.F) (*state.Store, *table) {
	store, err := state.Open(f.TempDir(), state.Options{})
	require.NoError(f, err)
	f.Cleanup(func() { store.Close() })
	d := NewReader(store.Working()).d
	tb, err := d.createTable(alice, "items", itemSchema)
	require.NoError(f, err)
	for i := uint64(0); i < 50; i++ {
		it := item{ID: i * 3, Name: string(rune('a' + i)), Score: int64(i%5) - 2}
		if i%2 == 0 {
			it.Tag = strp("t")
		}
		_, err := d.insert(tb, mustMarshal(f, it))
		require.NoError(f, err)
	}
	_, _, err = store.Commit()
	require.NoError(f, err)
	return store, tb
}

// FuzzWriteRow feeds arbitrary bytes as rows and keys: each op either
// fails with a module error and writes nothing, or succeeds and leaves
// the indexes consistent.
func FuzzWriteRow(f *testing.F) {
	store, tb := fuzzDB(f)
	f.Add(uint8(0), mustMarshal(f, item{ID: 1, Name: "new"}))
	f.Add(uint8(1), mustMarshal(f, item{ID: 3, Name: "zz", Tag: strp("q")}))
	f.Add(uint8(2), mustMarshal(f, item{ID: 6, Name: "a"}))
	f.Add(uint8(3), mustMarshal(f, itemKey{9}))
	f.Add(uint8(0), []byte{1, 2, 3})
	f.Fuzz(func(t *testing.T, op uint8, b []byte) {
		cache := state.NewCache(store.Working())
		d := db{kv: state.NewPrefix(cache, router.StorePrefix(Address))}
		var err error
		switch op % 4 {
		case 0:
			_, err = d.insert(tb, b)
		case 1:
			_, err = d.update(tb, b)
		case 2:
			_, _, err = d.upsert(tb, b)
		default:
			_, err = d.delete(tb, b)
		}
		if err != nil {
			if !errors.Is(err, ErrRow) && !errors.Is(err, ErrDuplicate) && !errors.Is(err, ErrNotFound) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			require.Zero(t, cache.Len(), "a failed op wrote")
			return
		}
		checkIndexes(t, cache, alice, "items")
	})
}

// FuzzQuery runs arbitrary query arguments: each either fails with
// ErrQuery or returns at most limit rows that all satisfy the prefix.
func FuzzQuery(f *testing.F) {
	store, tb := fuzzDB(f)
	d := NewReader(store.Working()).d
	res, err := d.query(tb, QueryArgs{Limit: 5})
	require.NoError(f, err)
	f.Add("", []byte{}, []byte{}, []byte{}, false, uint32(5), res.Cursor, "score", uint8(2), mustMarshal(f, int64(0)))
	f.Add("by_score", mustMarshal(f, int64(-1)), []byte{}, []byte{}, true, uint32(0), []byte{}, "tag", uint8(0), []byte{0})
	f.Add("by_tag", []byte{1, 1, 0, 0, 0, 't'}, mustMarshal(f, int64(-1)), mustMarshal(f, int64(1)), false, uint32(3), []byte{}, "name", uint8(5), mustMarshal(f, "c"))
	f.Add("by_name", []byte{}, mustMarshal(f, "b"), []byte{}, false, uint32(1001), []byte{1, 0, 0}, "id", uint8(9), []byte{})
	ops := []string{"eq", "ne", "lt", "le", "gt", "ge", "bad"}
	f.Fuzz(func(t *testing.T, index string, prefix, lower, upper []byte, reverse bool, limit uint32, cursor []byte, fcol string, fop uint8, fval []byte) {
		q := QueryArgs{Index: index, Prefix: prefix, Reverse: reverse, Limit: limit, Cursor: cursor}
		if len(lower) > 0 {
			q.Lower = &lower
		}
		if len(upper) > 0 {
			q.Upper = &upper
		}
		if fcol != "" {
			q.Filters = []Filter{{Column: fcol, Op: ops[int(fop)%len(ops)], Value: fval}}
		}
		res, err := d.query(tb, q)
		if err != nil {
			if !errors.Is(err, ErrQuery) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		want := int(limit)
		if want == 0 {
			want = DefaultLimit
		}
		require.LessOrEqual(t, len(res.Rows), want)
		for _, row := range res.Rows {
			require.NoError(t, tb.rowType.Validate(row))
		}
		if len(res.Cursor) > 0 { // the cursor continues the same query
			q.Cursor = res.Cursor
			next, err := d.query(tb, q)
			require.NoError(t, err)
			if len(next.Rows) > 0 && len(res.Rows) > 0 {
				require.False(t, bytes.Equal(next.Rows[0], res.Rows[len(res.Rows)-1]), "a row repeated across pages")
			}
		}
	})
}

// FuzzNormalizeRow: any stored bytes either fail or normalize to a valid
// row that normalizes to itself.
func FuzzNormalizeRow(f *testing.F) {
	s := itemSchema
	s.Columns = append(append([]Column(nil), s.Columns...), Column{Name: "extra", Type: "option<u64>"}, Column{Name: "more", Type: "option<string>"})
	rowT, err := RowType(&s)
	require.NoError(f, err)
	f.Add(mustMarshal(f, item{ID: 1, Name: "a"}))
	f.Add(append(mustMarshal(f, item{ID: 1, Name: "a"}), 0))
	f.Add(append(mustMarshal(f, item{ID: 1, Name: "a"}), 1, 5, 0, 0, 0, 0, 0, 0, 0, 0))
	f.Fuzz(func(t *testing.T, b []byte) {
		row, err := NormalizeRow(&s, b)
		if err != nil {
			return
		}
		require.NoError(t, rowT.Validate(row))
		again, err := NormalizeRow(&s, row)
		require.NoError(t, err)
		require.Equal(t, row, again)
		require.True(t, bytes.HasPrefix(row, b))
	})
}
