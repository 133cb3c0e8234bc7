package app

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/modules/database"
)

type registryItem struct {
	ID      string
	Owner   address.Address
	Status  string
	Created int64
	Updated int64
	Note    *string
}

type registryPage struct {
	Items  []registryItem
	Cursor []byte
}

// TestRegistryContractUsesTables: a WASM contract owns a table in the
// database module, writes rows through the host's call, and reads them
// back by index — and the same table is readable by anyone through the
// module's Reader (what JSON-RPC serves).
func TestRegistryContractUsesTables(t *testing.T) {
	h := newRichHarness(t)
	reg := h.instantiate(alice, h.upload(alice, artifact(t, "registry")), "reg", nil, struct{}{})
	note := "fragile"
	type registerArgs struct {
		ID   string
		Note *string
	}
	type statusArgs struct{ ID, Status string }
	type transferArgs struct {
		ID string
		To address.Address
	}
	for _, id := range []string{"crate-1", "crate-2", "crate-3"} {
		h.ok(alice, 2_000_000, contractCall(reg, "register", registerArgs{ID: id, Note: &note}))
	}
	h.ok(alice, 2_000_000, contractCall(reg, "set_status", statusArgs{"crate-2", "in_transit"}))
	h.ok(alice, 2_000_000, contractCall(reg, "transfer", transferArgs{"crate-3", addr(bob)}))

	res := h.block(h.sign(bob, 2_000_000, contractCall(reg, "set_status", statusArgs{"crate-1", "lost"})))[0]
	require.NotZero(t, res.Code, "only the owner sets the status")
	res = h.block(h.sign(alice, 2_000_000, contractCall(reg, "set_status", statusArgs{"crate-1", "stolen"})))[0]
	require.NotZero(t, res.Code, "unknown status")

	var page registryPage
	h.query(reg, "items_of", struct {
		Owner  address.Address
		Limit  uint32
		Cursor []byte
	}{addr(alice), 0, nil}, &page)
	require.Len(t, page.Items, 2)
	require.Equal(t, "crate-1", page.Items[0].ID)
	h.query(reg, "by_status", struct {
		Status string
		Limit  uint32
		Cursor []byte
	}{"in_transit", 10, nil}, &page)
	require.Len(t, page.Items, 1)
	require.Equal(t, "crate-2", page.Items[0].ID)

	// A plain account cannot write the contract's table.
	row := mustMarshal(registryItem{ID: "forged", Owner: addr(bob), Status: "delivered"})
	res = h.block(h.sign(bob, 2_000_000, dbTx("insert", database.RowArgs{Owner: reg, Table: "items", Row: row})))[0]
	require.Contains(t, res.Log, "not allowed")

	// Anyone reads it, as JSON-RPC does.
	kv, _, err := h.app.View(0)
	require.NoError(t, err)
	names, err := database.NewReader(kv).Tables(reg)
	require.NoError(t, err)
	require.Equal(t, []string{"items"}, names)
}
