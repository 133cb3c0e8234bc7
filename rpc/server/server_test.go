package server

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/rpc"
	"github.com/vsys/vsys/rpc/jsonrpc"
)

func TestParams(t *testing.T) {
	var a address.Address
	var h rpc.Height
	cases := []struct {
		raw  string
		msg  string
		fail bool
	}{
		{`["vsys1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5kqrcqq"]`, "", false},
		{`["vsys1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5kqrcqq", "latest"]`, "", false},
		{`[]`, "want 1 to 2 params, got 0", true},
		{`["a","b","c"]`, "want 1 to 2 params, got 3", true},
		{`{"address":"x"}`, "params must be an array", true},
		{`[12345]`, "param 1: want a bech32 address string, got a JSON number", true},
		{`["vsys1nope"]`, "param 1:", true},
	}
	for _, c := range cases {
		err := params(json.RawMessage(c.raw), 1, &a, &h)
		if !c.fail {
			require.NoError(t, err, c.raw)
			continue
		}
		var je *jsonrpc.Error
		require.True(t, errors.As(err, &je), "%s: %v", c.raw, err)
		require.Equal(t, jsonrpc.CodeInvalidParams, je.Code, c.raw)
		require.Contains(t, je.Message, c.msg, c.raw)
	}
}
