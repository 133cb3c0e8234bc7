package database

import (
	"fmt"
	"math/rand"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/codec"
)

// TestIndexConsistency runs seeded random inserts, updates, upserts and
// deletes (many failing: duplicate keys, unique names, missing rows)
// mirrored in a map, and checks after every op that the outcome matches
// the model, and every 50 ops that the table equals the model and every
// index holds exactly its rows' entries.
func TestIndexConsistency(t *testing.T) {
	for _, seed := range []int64{1, 2} {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			f := newFixture(t)
			createItems(t, f)
			r := rand.New(rand.NewSource(seed))
			model := map[uint64]item{}
			nameOwner := func(name string) (uint64, bool) {
				for id, it := range model {
					if it.Name == name {
						return id, true
					}
				}
				return 0, false
			}
			randItem := func() item {
				it := item{ID: uint64(r.Intn(150)), Name: fmt.Sprintf("n%d", r.Intn(200)), Score: int64(r.Intn(21) - 10)}
				if r.Intn(3) > 0 {
					it.Tag = strp(fmt.Sprintf("t%d", r.Intn(4)))
				}
				it.Data = make([]byte, r.Intn(8))
				r.Read(it.Data)
				return it
			}
			counts := map[string]int{}
			for op := 1; op <= 2000; op++ {
				it := randItem()
				_, exists := model[it.ID]
				holder, taken := nameOwner(it.Name)
				nameClash := taken && holder != it.ID
				var method string
				var args any
				var want error
				switch r.Intn(4) {
				case 0:
					method, args = "insert", RowArgs{Owner: alice, Table: "items", Row: mustMarshal(t, it)}
					if exists || taken {
						want = ErrDuplicate
					}
				case 1:
					method, args = "update", RowArgs{Owner: alice, Table: "items", Row: mustMarshal(t, it)}
					if !exists {
						want = ErrNotFound
					} else if nameClash {
						want = ErrDuplicate
					}
				case 2:
					method, args = "upsert", RowArgs{Owner: alice, Table: "items", Row: mustMarshal(t, it)}
					if nameClash {
						want = ErrDuplicate
					}
				default:
					method, args = "delete", KeyArgs{Owner: alice, Table: "items", Key: mustMarshal(t, itemKey{it.ID})}
					if !exists {
						want = ErrNotFound
					}
				}
				_, err := f.call(t, alice, method, args)
				if want != nil {
					require.ErrorIs(t, err, want, "op %d %s %+v", op, method, it)
					counts[method+" failed"]++
				} else {
					require.NoError(t, err, "op %d %s %+v", op, method, it)
					counts[method]++
					if method == "delete" {
						delete(model, it.ID)
					} else {
						model[it.ID] = it
					}
				}
				if op%50 == 0 {
					rows := map[uint64][]byte{}
					for id, it := range model {
						rows[id] = mustMarshal(t, it)
					}
					equalRows(t, sortedRows(rows), allRows(t, f, alice, "items"))
					require.Equal(t, len(model), checkIndexes(t, f.kv, alice, "items"))
				}
				if op%500 == 0 {
					_, _, err := f.store.Commit()
					require.NoError(t, err)
				}
			}
			t.Logf("ops: %v, final rows %d", counts, len(model))
			for _, m := range []string{"insert", "update", "upsert", "delete"} {
				require.Positive(t, counts[m], m)
				require.Positive(t, counts[m+" failed"], m+" failed")
			}
			// Query every index once more, checking order against the model.
			res, err := f.query(t, QueryCall{Owner: alice, Table: "items", Index: "by_score", Limit: 1000})
			require.NoError(t, err)
			require.Len(t, res.Rows, len(model))
			prev := int64(-1 << 63)
			var prevID uint64
			for _, b := range res.Rows {
				var it item
				require.NoError(t, codec.Unmarshal(b, &it))
				require.True(t, it.Score > prev || it.Score == prev && it.ID > prevID, "by_score order")
				prev, prevID = it.Score, it.ID
			}
		})
	}
}
