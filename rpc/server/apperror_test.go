package server

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/app"
	"github.com/vsys/vsys/modules/token"
	"github.com/vsys/vsys/rpc/jsonrpc"
)

// TestAppErrorCodespace: a vsys error is -32000 minus its code; a
// module's is -32000 minus CallFailed, since module codes overlap vsys
// ones, and its data names the module's codespace and its own code.
func TestAppErrorCodespace(t *testing.T) {
	cases := []struct {
		err       error
		rpcCode   int
		code      uint32
		codespace string
	}{
		{fmt.Errorf("nonce: %w", app.ErrBadNonce), -32004, app.CodeBadNonce, "vsys"},
		{fmt.Errorf("call 0: %w", token.ErrInsufficientFunds), -32013, app.CodeInsufficientFunds, "vsys"},
		{fmt.Errorf("call 0: %w: XYZ", token.ErrUnknownToken), -32017, 1, "token"},
		{errors.New("contract said no"), -32017, app.CodeCallFailed, "vsys"},
	}
	for _, c := range cases {
		var je *jsonrpc.Error
		require.ErrorAs(t, appError(c.err), &je, c.err.Error())
		require.Equal(t, c.rpcCode, je.Code, c.err.Error())
		require.Equal(t, c.err.Error(), je.Message)
		require.Equal(t, map[string]any{"code": c.code, "codespace": c.codespace}, je.Data, c.err.Error())
	}
	// A query the node stopped is left for jsonrpc to send as CodeDeadline.
	require.ErrorIs(t, appError(fmt.Errorf("stopped: %w", context.DeadlineExceeded)), context.DeadlineExceeded)
}
