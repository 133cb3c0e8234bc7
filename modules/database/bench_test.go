package database

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/state"
)

// benchRow encodes to exactly 100 bytes: 8 + 20 + 8 + (4 + 60).
type benchRow struct {
	ID     uint64
	Holder address.Address
	Amount uint64
	Memo   string
}

// BenchmarkInsert100B inserts 100-byte rows into a table with one
// secondary index, each insert a router call with its own gas meter on a
// block cache, writing the cache and committing the IAVL tree every 5,000
// rows, as blocks would.
func BenchmarkInsert100B(b *testing.B) {
	f := newFixture(b)
	f.must(b, alice, "create_table", CreateTableArgs{Name: "bench", Schema: Schema{
		Columns:    []Column{{Name: "id", Type: "u64"}, {Name: "holder", Type: "address"}, {Name: "amount", Type: "u64"}, {Name: "memo", Type: "string"}},
		PrimaryKey: []string{"id"},
		Indexes:    []Index{{Name: "by_holder", Columns: []string{"holder"}}},
	}})
	_, _, err := f.store.Commit()
	require.NoError(b, err)
	holders := make([]address.Address, 64)
	for i := range holders {
		holders[i] = address.Derive("bench", []byte{byte(i)})
	}
	memo := strings.Repeat("m", 60)
	require.Len(b, mustMarshal(b, benchRow{Memo: memo}), 100)

	const block = 5000
	cache := state.NewCache(f.store.Working())
	var gasUsed uint64
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		row := mustMarshal(b, benchRow{ID: uint64(i) * 2654435761 % (1 << 40), Holder: holders[i%len(holders)], Amount: uint64(i), Memo: memo})
		args := mustMarshal(b, RowArgs{Owner: alice, Table: "bench", Row: row})
		env := newEnv()
		if _, err := f.r.Call(env, cache, alice, Address, "insert", args, nil); err != nil {
			b.Fatal(err)
		}
		gasUsed += env.Gas.Used()
		if (i+1)%block == 0 {
			require.NoError(b, cache.Write())
			_, _, err := f.store.Commit()
			require.NoError(b, err)
		}
	}
	require.NoError(b, cache.Write())
	_, _, err = f.store.Commit()
	require.NoError(b, err)
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(gasUsed)/float64(b.N), "gas/row")
}
