package app

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/moduleid"
)

// TestRouterRegistersTheTable: the router serves exactly the callable
// modules of moduleid's table, each at its reserved address, and the fee
// collector is the table's.
func TestRouterRegistersTheTable(t *testing.T) {
	h := newHarness(t)
	want := map[string]address.Address{}
	for _, m := range moduleid.Contracts() {
		want[m.Name] = m.Address()
	}
	require.Equal(t, want, h.app.Router().Names())
	require.Equal(t, address.Module(moduleid.FeeCollector), FeeCollector)
}
