package vm

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/tetratelabs/wazero/api"

	"github.com/vsys/vsys/vm/wasm"
)

// TestHostModuleIsTheTable checks that module "vsys" as registered in
// wazero exports exactly the host API's table: every function once, with
// its signature and parameter names.
func TestHostModuleIsTheTable(t *testing.T) {
	ctx := context.Background()
	v, err := New(ctx, Config{Schedule: wasm.DefaultSchedule()})
	require.NoError(t, err)
	t.Cleanup(func() { _ = v.Close(ctx) })
	defs := v.rt.Module(wasm.HostModule).ExportedFunctionDefinitions()
	hostAPI := wasm.HostAPI()
	require.Len(t, defs, len(hostAPI))
	for _, h := range hostAPI {
		d, ok := defs[h.Name]
		require.True(t, ok, h.Name)
		sig := h.Sig()
		require.Equal(t, apiTypes(sig.Params), d.ParamTypes(), h.Name)
		require.Equal(t, apiTypes(sig.Results), d.ResultTypes(), h.Name)
		if len(h.Params) > 0 {
			require.Equal(t, h.ParamNames(), d.ParamNames(), h.Name)
		} else {
			require.Empty(t, d.ParamNames(), h.Name)
		}
	}
	require.Equal(t, []api.ValueType{api.ValueTypeI32, api.ValueTypeI64}, apiTypes([]wasm.ValType{wasm.I32, wasm.I64}))
}
