package database

import (
	"bytes"
	"sort"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/gas"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/core/state"
	"github.com/vsys/vsys/internal/testkit"
)

var (
	alice = address.Derive("db-test", []byte("alice"))
	bob   = address.Derive("db-test", []byte("bob"))
	carol = address.Derive("db-test", []byte("carol"))
)

// fixture is the database module behind a router on a real IAVL store.
type fixture struct {
	store  *state.Store
	kv     state.KV
	r      *router.Router
	events []router.Event // events of the last call
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	store := testkit.OpenStore(t)
	r := router.New(gas.DefaultCosts(), router.Limits{MaxCallDepth: 8, MaxEventBytes: 64 << 10})
	r.Register(Name, Address, New())
	return &fixture{store: store, kv: store.Working(), r: r}
}

func mustMarshal(t testing.TB, v any) []byte { return testkit.Marshal(t, v) }

func newEnv() *router.Env {
	return &router.Env{Gas: gas.NewMeter(1e9), Block: router.Block{Height: 1}}
}

// call runs method as caller and returns the raw result.
func (f *fixture) call(t testing.TB, caller address.Address, method string, args any) ([]byte, error) {
	t.Helper()
	env := newEnv()
	env.Origin = caller
	out, err := f.r.Call(env, f.kv, caller, Address, method, mustMarshal(t, args), nil)
	f.events = env.Events
	return out, err
}

func (f *fixture) must(t testing.TB, caller address.Address, method string, args any) []byte {
	t.Helper()
	out, err := f.call(t, caller, method, args)
	require.NoError(t, err, method)
	return out
}

func (f *fixture) query(t testing.TB, q QueryCall) (QueryResult, error) {
	t.Helper()
	var res QueryResult
	out, err := f.call(t, carol, "query", q)
	if err != nil {
		return res, err
	}
	require.NoError(t, codec.Unmarshal(out, &res))
	return res, nil
}

// dump is every key and value in the store.
func (f *fixture) dump(t testing.TB) map[string]string { return testkit.Dump(t, f.kv) }

// item is the row of the test table "items".
type item struct {
	ID    uint64
	Name  string
	Score int64
	Tag   *string
	Data  []byte
}

type itemKey struct{ ID uint64 }

var itemSchema = Schema{
	Columns: []Column{
		{Name: "id", Type: "u64"},
		{Name: "name", Type: "string"},
		{Name: "score", Type: "i64"},
		{Name: "tag", Type: "option<string>"},
		{Name: "data", Type: "bytes"},
	},
	PrimaryKey: []string{"id"},
	Indexes: []Index{
		{Name: "by_name", Columns: []string{"name"}, Unique: true},
		{Name: "by_score", Columns: []string{"score"}},
		{Name: "by_tag", Columns: []string{"tag", "score"}},
	},
}

func strp(s string) *string { return &s }

// checkIndexes verifies that every index of (owner, name) holds exactly
// one entry per row, at the key the row's values give, and nothing else.
func checkIndexes(t testing.TB, kv state.KV, owner address.Address, name string) int {
	t.Helper()
	d := NewReader(kv).d
	tb, err := d.table(owner, name)
	require.NoError(t, err)
	want := map[string]bool{}
	rows := 0
	it, err := d.kv.Iterator(rowPrefix(tb.id), state.PrefixEnd(rowPrefix(tb.id)), true)
	require.NoError(t, err)
	for ; it.Valid(); it.Next() {
		rd, err := tb.storedRow(it.Value())
		require.NoError(t, err)
		require.Equal(t, it.Key()[9:], rd.pkKey, "row stored under the wrong key")
		rows++
		for i := range tb.indexes {
			ik, _, err := tb.indexKey(i, rd.cols)
			require.NoError(t, err)
			want[string(indexEntry(tb.id, i, ik, rd.pkKey))] = true
		}
	}
	require.NoError(t, it.Close())
	p := idKey(tagIndex, tb.id, 0)
	it, err = d.kv.Iterator(p, state.PrefixEnd(p), true)
	require.NoError(t, err)
	got := map[string]bool{}
	for ; it.Valid(); it.Next() {
		got[string(it.Key())] = true
		require.Empty(t, it.Value())
	}
	require.NoError(t, it.Close())
	require.Equal(t, want, got, "index entries differ from the rows")
	return rows
}

// allRows scans the table by primary key through paged queries.
func allRows(t testing.TB, f *fixture, owner address.Address, name string) [][]byte {
	t.Helper()
	var rows [][]byte
	var cursor []byte
	for {
		res, err := f.query(t, QueryCall{Owner: owner, Table: name, Limit: 1000, Cursor: cursor})
		require.NoError(t, err)
		rows = append(rows, res.Rows...)
		if len(res.Cursor) == 0 {
			return rows
		}
		cursor = res.Cursor
	}
}

func sortedRows(rows map[uint64][]byte) [][]byte {
	ids := make([]uint64, 0, len(rows))
	for id := range rows {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	out := make([][]byte, len(ids))
	for i, id := range ids {
		out[i] = rows[id]
	}
	return out
}

func equalRows(t testing.TB, want, got [][]byte) {
	t.Helper()
	require.Equal(t, len(want), len(got))
	for i := range want {
		require.True(t, bytes.Equal(want[i], got[i]), "row %d differs", i)
	}
}
