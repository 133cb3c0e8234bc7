package database

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/codec"
)

// ev is the row of the test table "events", keyed by (user, seq).
type ev struct {
	User  string
	Seq   uint64
	Kind  string
	Value int64
	Tags  []string
}

type evKey struct {
	User string
	Seq  uint64
}

var evSchema = Schema{
	Columns: []Column{
		{Name: "user", Type: "string"},
		{Name: "seq", Type: "u64"},
		{Name: "kind", Type: "string"},
		{Name: "value", Type: "i64"},
		{Name: "tags", Type: "list<string>"},
	},
	PrimaryKey: []string{"user", "seq"},
	Indexes:    []Index{{Name: "by_kind", Columns: []string{"kind", "value"}}},
}

var users = []string{"ann", "bo", "bob", "bob\x00", "cy"}

// newEvents fills "events" with 1000 rows: 200 per user, seq 0..199,
// kind k<seq%5>, value seq-100.
func newEvents(t *testing.T) (*fixture, []ev) {
	t.Helper()
	f := newFixture(t)
	f.must(t, alice, "create_table", CreateTableArgs{Name: "events", Schema: evSchema})
	var all []ev // in primary-key order
	for _, u := range users {
		for s := uint64(0); s < 200; s++ {
			e := ev{User: u, Seq: s, Kind: fmt.Sprintf("k%d", s%5), Value: int64(s) - 100, Tags: []string{u}}
			all = append(all, e)
		}
	}
	for i := range all { // insert in a scrambled order
		e := all[(i*389)%len(all)]
		f.must(t, alice, "insert", RowArgs{Owner: alice, Table: "events", Row: mustMarshal(t, e)})
	}
	_, _, err := f.store.Commit()
	require.NoError(t, err)
	return f, all
}

func decodeEvs(t *testing.T, rows [][]byte) []ev {
	t.Helper()
	out := make([]ev, len(rows))
	for i, r := range rows {
		require.NoError(t, codec.Unmarshal(r, &out[i]))
	}
	return out
}

func bp(b []byte) *[]byte { return &b }

func where(all []ev, keep func(ev) bool) []ev {
	var out []ev
	for _, e := range all {
		if keep(e) {
			out = append(out, e)
		}
	}
	return out
}

func reversed(in []ev) []ev {
	out := make([]ev, len(in))
	for i, e := range in {
		out[len(in)-1-i] = e
	}
	return out
}

// pages runs q to the end with its limit and returns every row, checking
// that no page exceeds the limit.
func pages(t *testing.T, f *fixture, q QueryCall) ([]ev, int) {
	t.Helper()
	var out []ev
	n := 0
	for {
		res, err := f.query(t, q)
		require.NoError(t, err)
		require.LessOrEqual(t, len(res.Rows), int(q.Limit))
		out = append(out, decodeEvs(t, res.Rows)...)
		n++
		require.Less(t, n, 2000, "paging does not end")
		if len(res.Cursor) == 0 {
			return out, n
		}
		q.Cursor = res.Cursor
	}
}

func TestQueries(t *testing.T) {
	f, all := newEvents(t)
	byKind := func(kind string) []ev {
		out := where(all, func(e ev) bool { return e.Kind == kind })
		// (kind, value, user, seq) order: value ascending, then pk.
		for i := 1; i < len(out); i++ {
			for j := i; j > 0 && (out[j].Value < out[j-1].Value ||
				out[j].Value == out[j-1].Value && out[j].User < out[j-1].User); j-- {
				out[j], out[j-1] = out[j-1], out[j]
			}
		}
		return out
	}
	str := func(s string) []byte { return mustMarshal(t, s) }
	u64 := func(v uint64) []byte { return mustMarshal(t, v) }
	i64 := func(v int64) []byte { return mustMarshal(t, v) }
	for _, tc := range []struct {
		name string
		q    QueryCall
		want []ev
	}{
		{"all by pk", QueryCall{Limit: 1000}, all},
		{"pk prefix on 2-column key", QueryCall{Prefix: str("bob"), Limit: 1000},
			where(all, func(e ev) bool { return e.User == "bob" })},
		{"pk prefix with 0x00", QueryCall{Prefix: str("bob\x00"), Limit: 1000},
			where(all, func(e ev) bool { return e.User == "bob\x00" })},
		{"pk full key", QueryCall{Prefix: append(str("cy"), u64(7)...)},
			where(all, func(e ev) bool { return e.User == "cy" && e.Seq == 7 })},
		{"pk range first column", QueryCall{Lower: bp(str("bo")), Upper: bp(str("bob\x00")), Limit: 1000},
			where(all, func(e ev) bool { return e.User == "bo" || e.User == "bob" })},
		{"pk range second column", QueryCall{Prefix: str("ann"), Lower: bp(u64(10)), Upper: bp(u64(20))},
			where(all, func(e ev) bool { return e.User == "ann" && e.Seq >= 10 && e.Seq < 20 })},
		{"pk range open upper", QueryCall{Prefix: str("ann"), Lower: bp(u64(195))},
			where(all, func(e ev) bool { return e.User == "ann" && e.Seq >= 195 })},
		{"pk range open lower reverse", QueryCall{Prefix: str("cy"), Upper: bp(u64(3)), Reverse: true},
			reversed(where(all, func(e ev) bool { return e.User == "cy" && e.Seq < 3 }))},
		{"empty range", QueryCall{Prefix: str("ann"), Lower: bp(u64(20)), Upper: bp(u64(10))}, nil},
		{"reverse all", QueryCall{Reverse: true, Limit: 1000}, reversed(all)},
		{"index equality", QueryCall{Index: "by_kind", Prefix: str("k3"), Limit: 1000}, byKind("k3")},
		{"index range", QueryCall{Index: "by_kind", Prefix: str("k1"), Lower: bp(i64(-5)), Upper: bp(i64(5)), Limit: 1000},
			where(byKind("k1"), func(e ev) bool { return e.Value >= -5 && e.Value < 5 })},
		{"index range reverse", QueryCall{Index: "by_kind", Prefix: str("k1"), Lower: bp(i64(-5)), Upper: bp(i64(5)), Reverse: true, Limit: 1000},
			reversed(where(byKind("k1"), func(e ev) bool { return e.Value >= -5 && e.Value < 5 }))},
		{"index first-column range", QueryCall{Index: "by_kind", Lower: bp(str("k3")), Limit: 1000}, append(byKind("k3"), byKind("k4")...)},
		{"filters", QueryCall{Limit: 1000, Filters: []Filter{
			{Column: "value", Op: "ge", Value: i64(90)}, {Column: "kind", Op: "ne", Value: str("k0")}, {Column: "user", Op: "lt", Value: str("bob")},
		}}, where(all, func(e ev) bool { return e.Value >= 90 && e.Kind != "k0" && e.User < "bob" })},
		{"filter eq on list column", QueryCall{Limit: 1000, Filters: []Filter{{Column: "tags", Op: "eq", Value: mustMarshal(t, []string{"cy"})}}},
			where(all, func(e ev) bool { return e.User == "cy" })},
		{"filters le gt eq", QueryCall{Prefix: str("bo"), Filters: []Filter{
			{Column: "seq", Op: "le", Value: u64(50)}, {Column: "seq", Op: "gt", Value: u64(40)}, {Column: "kind", Op: "eq", Value: str("k2")},
		}}, where(all, func(e ev) bool { return e.User == "bo" && e.Seq <= 50 && e.Seq > 40 && e.Kind == "k2" })},
		{"default limit", QueryCall{}, all[:DefaultLimit]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.q.Owner, tc.q.Table = alice, "events"
			res, err := f.query(t, tc.q)
			require.NoError(t, err)
			got := decodeEvs(t, res.Rows)
			if len(tc.want) == 0 {
				require.Empty(t, got)
			} else {
				require.Equal(t, tc.want, got)
			}
			if tc.name != "default limit" {
				require.Empty(t, res.Cursor, "everything fits in one page")
			}
			// The Reader gives the same answer.
			rres, err := NewReader(f.kv).Query(alice, "events", tc.q.Query())
			require.NoError(t, err)
			require.Equal(t, res.Rows, rres.Rows)
		})
	}
}

func TestPaging(t *testing.T) {
	f, all := newEvents(t)
	for _, tc := range []struct {
		name string
		q    QueryCall
		want []ev
	}{
		{"pk", QueryCall{}, all},
		{"pk reverse", QueryCall{Reverse: true}, reversed(all)},
		{"pk prefix", QueryCall{Prefix: mustMarshal(t, "bob")}, where(all, func(e ev) bool { return e.User == "bob" })},
		{"index", QueryCall{Index: "by_kind"}, nil},
		{"filtered", QueryCall{Filters: []Filter{{Column: "kind", Op: "eq", Value: mustMarshal(t, "k4")}}},
			where(all, func(e ev) bool { return e.Kind == "k4" })},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.q.Owner, tc.q.Table, tc.q.Limit = alice, "events", 37
			got, n := pages(t, f, tc.q)
			if tc.want == nil { // every row exactly once
				require.Len(t, got, len(all))
				seen := map[evKey]bool{}
				for _, e := range got {
					require.False(t, seen[evKey{e.User, e.Seq}])
					seen[evKey{e.User, e.Seq}] = true
				}
				return
			}
			require.Equal(t, tc.want, got)
			require.GreaterOrEqual(t, n, len(tc.want)/37)
		})
	}
}

func TestScanCap(t *testing.T) {
	f, all := newEvents(t)
	// Nothing matches: each page scans at most 10×limit entries and hands
	// back a cursor to go on.
	q := QueryCall{Owner: alice, Table: "events", Limit: 7, Filters: []Filter{{Column: "value", Op: "gt", Value: mustMarshal(t, int64(1000))}}}
	res, err := f.query(t, q)
	require.NoError(t, err)
	require.Empty(t, res.Rows)
	require.NotEmpty(t, res.Cursor)
	got, n := pages(t, f, q)
	require.Empty(t, got)
	require.Equal(t, (len(all)+69)/70, n) // 70 scanned per page
	// Sparse matches are all found across pages.
	q.Filters[0] = Filter{Column: "seq", Op: "eq", Value: mustMarshal(t, uint64(150))}
	got, _ = pages(t, f, q)
	require.Equal(t, where(all, func(e ev) bool { return e.Seq == 150 }), got)
}

func TestQueryRejects(t *testing.T) {
	f, _ := newEvents(t)
	f.must(t, alice, "create_table", CreateTableArgs{Name: "other", Schema: evSchema})
	first, err := f.query(t, QueryCall{Owner: alice, Table: "events", Limit: 10})
	require.NoError(t, err)
	cur := first.Cursor
	require.NotEmpty(t, cur)
	tampered := append([]byte(nil), cur...)
	tampered[3] ^= 1
	str := mustMarshal(t, "bob")
	for _, tc := range []struct {
		name string
		q    QueryCall
		msg  string
	}{
		{"limit too large", QueryCall{Limit: MaxLimit + 1}, "limit 1001"},
		{"no such index", QueryCall{Index: "by_nothing"}, `no index "by_nothing"`},
		{"partial prefix value", QueryCall{Prefix: str[:len(str)-1]}, "prefix"},
		{"partial second prefix value", QueryCall{Prefix: append(mustMarshal(t, "bob"), 1, 2)}, "prefix"},
		{"prefix too long", QueryCall{Prefix: append(append(mustMarshal(t, "bob"), mustMarshal(t, uint64(1))...), 0)}, "more than the 2 key columns"},
		{"bounds after full prefix", QueryCall{Prefix: append(mustMarshal(t, "bob"), mustMarshal(t, uint64(1))...), Lower: bp(mustMarshal(t, uint64(1)))}, "bounds"},
		{"bad lower", QueryCall{Lower: bp([]byte{1})}, "lower"},
		{"bad upper", QueryCall{Upper: bp(append(str, 0))}, "upper"},
		{"malformed cursor", QueryCall{Limit: 10, Cursor: []byte{1, 2, 3}}, "malformed cursor"},
		{"cursor version", QueryCall{Limit: 10, Cursor: append([]byte{9}, cur[1:]...)}, "malformed cursor"},
		{"tampered cursor", QueryCall{Limit: 10, Cursor: tampered}, "does not belong"},
		{"cursor for the reverse scan", QueryCall{Limit: 10, Reverse: true, Cursor: cur}, "does not belong"},
		{"cursor for another index", QueryCall{Index: "by_kind", Limit: 10, Cursor: cur}, "does not belong"},
		{"cursor for another table", QueryCall{Table: "other", Limit: 10, Cursor: cur}, "does not belong"},
		{"cursor outside the range", QueryCall{Prefix: mustMarshal(t, "cy"), Limit: 10, Cursor: cur}, "outside"},
		{"too many filters", QueryCall{Filters: make([]Filter, MaxFilters+1)}, "filters"},
		{"filter unknown column", QueryCall{Filters: []Filter{{Column: "zz", Op: "eq", Value: str}}}, `no column "zz"`},
		{"filter bad op", QueryCall{Filters: []Filter{{Column: "user", Op: "like", Value: str}}}, `op "like"`},
		{"filter bad value", QueryCall{Filters: []Filter{{Column: "seq", Op: "eq", Value: str}}}, "not a u64"},
		{"filter order on list", QueryCall{Filters: []Filter{{Column: "tags", Op: "lt", Value: []byte{0, 0, 0, 0}}}}, "unordered"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.q.Table == "" {
				tc.q.Table = "events"
			}
			tc.q.Owner = alice
			_, err := f.query(t, tc.q)
			require.ErrorIs(t, err, ErrQuery)
			require.ErrorContains(t, err, tc.msg)
		})
	}
	_, err = f.query(t, QueryCall{Owner: alice, Table: "nope"})
	require.ErrorIs(t, err, ErrNoTable)
	// The untampered cursor works.
	res, err := f.query(t, QueryCall{Owner: alice, Table: "events", Limit: 10, Cursor: cur})
	require.NoError(t, err)
	require.Len(t, res.Rows, 10)
	require.NotEqual(t, first.Rows[9], res.Rows[0])
}

func TestReadMethodsChargeGas(t *testing.T) {
	f, _ := newEvents(t)
	used := func(limit uint32) uint64 {
		env := newEnv()
		_, err := f.r.Call(env, f.kv, carol, Address, "query", mustMarshal(t, QueryCall{Owner: alice, Table: "events", Limit: limit}), nil)
		require.NoError(t, err)
		return env.Gas.Used()
	}
	small, large := used(10), used(1000)
	require.Greater(t, large, 50*small/2, "gas grows with rows scanned: %d vs %d", small, large)
}
