package server_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/proof"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/modules/token"
	"github.com/vsys/vsys/rpc"
)

// testProveKey: vsys_proveKey proves a raw key's value, and its absence
// at a height before it was written, each under the app hash that the
// next block's header carries.
func testProveKey(t *testing.T, c *chain) {
	// carol's VSYS balance: 'c' ‖ token address ‖ 'b' ‖ holder ‖ symbol.
	key := append(append(append(router.StorePrefix(token.Address), 'b'), c.carol[:]...), "VSYS"...)
	for _, tc := range []struct {
		name   string
		height int64
		found  bool
	}{{"present", c.sendHeight, true}, {"absent before the send", c.sendHeight - 1, false}} {
		var p rpc.KeyProof
		c.ok(&p, "vsys_proveKey", map[string]any{"key": rpc.HexBytes(key), "height": tc.height})
		require.Equal(t, tc.height, p.Height, tc.name)
		require.Equal(t, rpc.HexBytes(key), p.Key, tc.name)
		require.Equal(t, tc.found, p.Value != nil, tc.name)
		cp, err := rpc.DecodeProof(&rpc.RowProof{Proof: p.Proof})
		require.NoError(t, err, tc.name)
		var value []byte
		if p.Value != nil {
			value = *p.Value
		}
		require.NoError(t, proof.Verify(p.AppHash, cp, key, value), tc.name)
		var next rpc.Block
		c.ok(&next, "vsys_getBlock", tc.height+1)
		require.Equal(t, next.AppHash, p.AppHash, "%s: the header of block %d carries the root", tc.name, tc.height+1)
		if p.Value != nil {
			require.Error(t, proof.Verify(p.AppHash, cp, key, append([]byte{1}, value...)), "another value does not verify")
		}
	}
	var latest rpc.KeyProof
	c.ok(&latest, "vsys_proveKey", map[string]any{"key": rpc.HexBytes(key)})
	require.Positive(t, latest.Height, "no height: the latest")
	c.invalidParams("key of 0 bytes", "vsys_proveKey", map[string]any{"key": "0x"})
	c.invalidParams("key of 1025 bytes", "vsys_proveKey", map[string]any{"key": rpc.HexBytes(make([]byte, 1025))})
}
