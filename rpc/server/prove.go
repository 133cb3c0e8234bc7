package server

import (
	"context"
	"encoding/json"

	"github.com/vsys/vsys/rpc"
	"github.com/vsys/vsys/rpc/jsonrpc"
)

// maxProveKey bounds vsys_proveKey's key: the longest key the state
// holds is far shorter.
const maxProveKey = 1 << 10

// proveKey is vsys_proveKey: an ICS23 proof of one raw key of the state
// tree, what a relayer hands a counterparty's light client.
func (h *handlers) proveKey(_ context.Context, raw json.RawMessage) (any, error) {
	var req rpc.ProveRequest
	if err := params(raw, 0, &req); err != nil {
		return nil, err
	}
	if len(req.Key) == 0 || len(req.Key) > maxProveKey {
		return nil, jsonrpc.InvalidParams("key of %d bytes: want 1 to %d", len(req.Key), maxProveKey)
	}
	_, hgt, err := h.App.View(int64(req.Height))
	if err != nil {
		return nil, appError(err)
	}
	p, err := h.prove(hgt, req.Key)
	if err != nil {
		return nil, err
	}
	root, err := h.App.Store().HashAt(hgt)
	if err != nil {
		return nil, appError(err)
	}
	return rpc.ProveResult{Key: p.Key, Value: p.Value, Proof: p.Proof, Height: hgt, AppHash: root}, nil
}
