package client

import (
	"context"

	"github.com/vsys/vsys/rpc"
)

// ProveKey asks for an ICS23 proof of one state key at height (0: the
// latest); check it with core/proof.Verify against the result's AppHash,
// or hand it to a light client at proof height Height+1.
func (c *Client) ProveKey(ctx context.Context, key []byte, height int64) (*rpc.ProveResult, error) {
	var r rpc.ProveResult
	return &r, c.rpc.Call(ctx, rpc.MethodProveKey, []any{rpc.ProveRequest{Key: key, Height: rpc.Height(height)}}, &r)
}
