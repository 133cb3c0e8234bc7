package database

import (
	"encoding/hex"
	"os"
	"strings"
	"testing"

	dbm "github.com/cosmos/cosmos-db"
	ics23 "github.com/cosmos/ics23/go"
	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/dblayout"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/core/state"
	"github.com/vsys/vsys/internal/testkit"
)

// TestLayoutIsTheModules: the leaf package's keys are the ones the module
// reads and writes: its store prefix is the router's, and the key the
// Reader proves for a row is the one computed from (owner, table id,
// primary key) alone.
func TestLayoutIsTheModules(t *testing.T) {
	require.Equal(t, router.StorePrefix(Address), dblayout.StorePrefix())
	f := newFixture(t)
	f.must(t, alice, "create_table", CreateTableArgs{Name: "items", Schema: itemSchema})
	f.must(t, alice, "create_table", CreateTableArgs{Name: "items2", Schema: itemSchema})
	for _, table := range []string{"items", "items2"} {
		f.must(t, alice, "insert", RowArgs{Owner: alice, Table: table, Row: mustMarshal(t, item{ID: 42, Name: "x"})})
	}
	for id, table := range map[uint64]string{1: "items", 2: "items2"} {
		r := NewReader(f.kv)
		row, storeKey, err := r.Get(alice, table, mustMarshal(t, struct{ ID uint64 }{42}))
		require.NoError(t, err)
		require.NotNil(t, row)
		pk, err := dblayout.PKKey([]*codec.Type{codec.Scalar(codec.KindU64)}, mustMarshal(t, uint64(42)))
		require.NoError(t, err)
		require.Equal(t, dblayout.InTree(dblayout.RowKey(id, pk)), storeKey, table)
		rec, err := f.kv.Get(dblayout.InTree(dblayout.TableKey(alice, table)))
		require.NoError(t, err)
		var tr dblayout.TableRecord
		require.NoError(t, codec.Unmarshal(rec, &tr))
		require.Equal(t, id, tr.ID)
		require.Equal(t, itemSchema, tr.Schema)
	}
}

// TestProofVector is the worked example of docs/proofs.md: table "items"
// of alice, columns id u64, name string, note option<string>, primary key
// (id, name), her first table (id 1), and the row {7, "ab", "hi"}. It
// builds them with the module, proves the row in a tree of just the table
// record and the row, and checks the hex strings against golden values
// and that each appears in docs/proofs.md, so the document cannot drift
// from the code.
func TestProofVector(t *testing.T) {
	f := newFixture(t)
	schema := Schema{
		Columns:    []Column{{Name: "id", Type: "u64"}, {Name: "name", Type: "string"}, {Name: "note", Type: "option<string>"}},
		PrimaryKey: []string{"id", "name"},
	}
	f.must(t, alice, "create_table", CreateTableArgs{Name: "items", Schema: schema})
	note := "hi"
	type row struct {
		ID   uint64
		Name string
		Note *string
	}
	f.must(t, alice, "insert", RowArgs{Owner: alice, Table: "items", Row: mustMarshal(t, row{7, "ab", &note})})

	tableKey := dblayout.InTree(dblayout.TableKey(alice, "items"))
	record, err := f.kv.Get(tableKey)
	require.NoError(t, err)
	_, rowKey, err := NewReader(f.kv).Get(alice, "items", mustMarshal(t, struct {
		ID   uint64
		Name string
	}{7, "ab"}))
	require.NoError(t, err)
	value, err := f.kv.Get(rowKey)
	require.NoError(t, err)

	// The same tree a verifier sees, reduced to the two entries.
	s, err := state.OpenDB(dbm.NewMemDB(), state.Options{})
	require.NoError(t, err)
	defer s.Close()
	require.NoError(t, s.Working().Set(tableKey, record))
	require.NoError(t, s.Working().Set(rowKey, value))
	root, v, err := s.Commit()
	require.NoError(t, err)
	_, proof, err := s.Prove(v, rowKey)
	require.NoError(t, err)
	require.True(t, ics23.VerifyMembership(ics23.IavlSpec, root, proof, rowKey, value))
	pb, err := proof.Marshal()
	require.NoError(t, err)

	got := map[string]string{
		"owner":        hex.EncodeToString(alice[:]),
		"table key":    hex.EncodeToString(tableKey),
		"table record": hex.EncodeToString(record),
		"row key":      hex.EncodeToString(rowKey),
		"row value":    hex.EncodeToString(value),
		"root":         hex.EncodeToString(root),
		"proof":        hex.EncodeToString(pb),
	}
	golden := map[string]string{
		"owner":        "b2a0aff9699d2dc8b7f4d5e304ddd4fbe0945771",
		"table key":    "63000000000000000000000000000000000000000374b2a0aff9699d2dc8b7f4d5e304ddd4fbe09457716974656d73",
		"table record": "01000000000000000300000002000000696403000000753634040000006e616d6506000000737472696e67040000006e6f74650e0000006f7074696f6e3c737472696e673e02000000020000006964040000006e616d6500000000",
		"row key":      "630000000000000000000000000000000000000003720000000000000001000000000000000761620000",
		"row value":    "070000000000000002000000616201020000006869",
		"root":         "5f8e4c4a726494c8054a34e16c29cb20c2e31eed686e24a74df780096edfbedb",
		"proof":        "0a7d0a2a63000000000000000000000000000000000000000372000000000000000100000000000000076162000012150700000000000000020000006162010200000068691a0b0801180120012a03000202222b08011204020402201a2120896fcaa1cab687bfb3fd0d7f30347d527b8f3007c0bad972a67fcd2977a28df1",
	}
	for k := range golden {
		t.Logf("%s: %s", k, got[k])
	}
	require.Equal(t, golden, got, "golden vector of docs/proofs.md")

	doc, err := os.ReadFile(testkit.RepoPath(t, "docs/proofs.md"))
	require.NoError(t, err)
	flat := strings.Join(strings.Fields(string(doc)), "")
	for k, h := range golden {
		require.Contains(t, flat, h, "docs/proofs.md lacks the %s", k)
	}
}
