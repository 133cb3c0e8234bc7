package rpc

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestHexBytes(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []byte
		err  bool
	}{
		{`"0xcafe"`, []byte{0xca, 0xfe}, false},
		{`"0XCAFE"`, []byte{0xca, 0xfe}, false},
		{`"cafe"`, []byte{0xca, 0xfe}, false},
		{`"0x"`, []byte{}, false},
		{`"\u0030x01"`, []byte{1}, false}, // escaped: the slow path agrees
		{`"0xcaf"`, nil, true},
		{`"0xzz"`, nil, true},
		{`12`, nil, true},
		{`null`, nil, false},
	} {
		var b HexBytes
		err := json.Unmarshal([]byte(c.in), &b)
		if c.err {
			require.Error(t, err, c.in)
			continue
		}
		require.NoError(t, err, c.in)
		if c.want != nil {
			require.Equal(t, HexBytes(c.want), b, c.in)
		}
	}
	out, err := json.Marshal(HexBytes{0xca, 0xfe})
	require.NoError(t, err)
	require.Equal(t, `"0xcafe"`, string(out))
}

func TestHeight(t *testing.T) {
	for in, want := range map[string]int64{`5`: 5, `"5"`: 5, `"0x10"`: 16, `"latest"`: 0, `null`: 0} {
		var h Height
		require.NoError(t, json.Unmarshal([]byte(in), &h), in)
		require.Equal(t, want, int64(h), in)
	}
	for _, in := range []string{`-1`, `"-3"`, `"soon"`, `1.5`, `true`} {
		var h Height
		require.Error(t, json.Unmarshal([]byte(in), &h), in)
	}
}

// TestParams: positional params are counted and typed, and every failure
// is an Invalid params error (-32602) that says what was expected.
