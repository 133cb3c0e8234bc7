package server

import (
	"context"
	"encoding/json"

	"github.com/vsys/vsys/rpc"
	"github.com/vsys/vsys/rpc/jsonrpc"
)

// maxProveKeyBytes bounds the key vsys_proveKey takes: every key the
// state writes is far shorter (a module prefix and a path), and the
// bound keeps a hostile request from making the tree compare megabytes.
const maxProveKeyBytes = 1024

// proveKey is vsys_proveKey: a raw IAVL key at a store version, with an
// ICS23 proof of its value or absence. It is the relayer's one read of
// another chain's state: a light client there holds this chain's app
// hash per height, and the app hash of header h is the root after block
// h-1, so a relayer proves at version h-1 what it will verify at h.
func (h *handlers) proveKey(_ context.Context, raw json.RawMessage) (any, error) {
	var req rpc.ProveKeyRequest
	if err := params(raw, 0, &req); err != nil {
		return nil, err
	}
	if len(req.Key) == 0 || len(req.Key) > maxProveKeyBytes {
		return nil, jsonrpc.InvalidParams("key of %d bytes: want 1 to %d", len(req.Key), maxProveKeyBytes)
	}
	hgt := int64(req.Height)
	if hgt == 0 {
		hgt = h.App.Store().Version()
	}
	p, err := h.prove(hgt, req.Key)
	if err != nil {
		return nil, err
	}
	out := rpc.KeyProof{Key: p.Key, Proof: p.Proof, Height: hgt}
	if p.Value != nil {
		out.Value = &p.Value
	}
	if out.AppHash, err = h.App.Store().HashAt(hgt); err != nil {
		return nil, appError(err)
	}
	return out, nil
}
