package server

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	rpctypes "github.com/cometbft/cometbft/rpc/jsonrpc/types"
	"github.com/cometbft/cometbft/types"

	"github.com/vsys/vsys/app"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/tx"
	"github.com/vsys/vsys/rpc"
	"github.com/vsys/vsys/rpc/jsonrpc"
)

// The methods CometBFT's environment answers: the chain, its blocks and
// txs, and the mempool. The kvstore baseline serves these too.

func (h *handlers) chainID(context.Context, json.RawMessage) (any, error) {
	return h.Env.GenDoc.ChainID, nil
}

func (h *handlers) status(context.Context, json.RawMessage) (any, error) {
	st, err := h.Env.Status(&rpctypes.Context{})
	if err != nil {
		return nil, appError(err)
	}
	out := rpc.Status{ChainID: st.NodeInfo.Network, NodeID: string(st.NodeInfo.DefaultNodeID), Moniker: st.NodeInfo.Moniker,
		Version: app.Version, LatestHeight: st.SyncInfo.LatestBlockHeight, LatestBlockTime: st.SyncInfo.LatestBlockTime,
		LatestAppHash: rpc.HexBytes(st.SyncInfo.LatestAppHash), CatchingUp: st.SyncInfo.CatchingUp}
	if h.txs != nil && h.Env.BlockStore != nil {
		out.TotalTxs, out.TxsCountedHeight = h.txs.count(h.Env.BlockStore)
	}
	if h.App != nil {
		p := h.App.Params()
		out.NativeToken, out.MinGasPrice, out.MaxGasPerTx = h.App.NativeToken(), p.MinGasPrice, p.MaxGasPerTx
	}
	return out, nil
}

// blockNumber is the latest height whose state can be read. CometBFT
// stores a block before the app commits it, so the block store can be one
// ahead: a client that saw height H and then reads state "at latest" must
// see H's writes.
func (h *handlers) blockNumber(context.Context, json.RawMessage) (any, error) {
	stored := h.Env.BlockStore.Height()
	if h.App != nil {
		return min(stored, h.App.Store().Version()), nil
	}
	return stored, nil
}

func (h *handlers) getBlock(_ context.Context, raw json.RawMessage) (any, error) {
	var height rpc.Height
	if err := params(raw, 1, &height); err != nil {
		return nil, err
	}
	hp := int64(height)
	res, err := h.Env.Block(&rpctypes.Context{}, ptrOrNil(hp))
	if err != nil {
		return nil, appError(err)
	}
	b := res.Block
	if b == nil {
		return nil, nil
	}
	out := rpc.Block{Height: b.Height, Hash: rpc.HexBytes(res.BlockID.Hash), Time: b.Time, AppHash: rpc.HexBytes(b.AppHash),
		Proposer: rpc.HexBytes(b.ProposerAddress), NumTxs: len(b.Txs), Txs: make([]rpc.HexBytes, len(b.Txs))}
	for i, t := range b.Txs {
		out.Txs[i] = rpc.HexBytes(t.Hash())
	}
	return out, nil
}

func ptrOrNil(h int64) *int64 {
	if h <= 0 {
		return nil
	}
	return &h
}

func (h *handlers) sendRawTransaction(_ context.Context, raw json.RawMessage) (any, error) {
	var b rpc.HexBytes
	if err := params(raw, 0, &b); err != nil {
		return nil, err
	}
	if !h.txRate.take(time.Now()) {
		return nil, h.txRate.rateError()
	}
	if h.App != nil {
		if err := h.App.Precheck(b); err != nil {
			return nil, appError(err)
		}
	}
	res, err := h.Env.BroadcastTxSync(&rpctypes.Context{}, types.Tx(b))
	if err != nil {
		return nil, &jsonrpc.Error{Code: -32000, Message: fmt.Sprintf("broadcast: %v", err)}
	}
	if res.Code != 0 {
		return nil, &jsonrpc.Error{Code: rpcCode(res.Codespace, res.Code), Message: res.Log,
			Data: map[string]any{"code": res.Code, "codespace": res.Codespace}}
	}
	return rpc.HexBytes(res.Hash), nil
}

func (h *handlers) getTransaction(_ context.Context, raw json.RawMessage) (any, error) {
	var hash rpc.HexBytes
	if err := params(raw, 0, &hash); err != nil {
		return nil, err
	}
	if len(hash) != 32 {
		return nil, jsonrpc.InvalidParams("tx hash must be 32 bytes, got %d", len(hash))
	}
	res, err := h.Env.Tx(&rpctypes.Context{}, hash, false)
	if err != nil {
		if strings.Contains(err.Error(), "not found") {
			return nil, nil // unknown (or not yet committed): null, as Ethereum does
		}
		return nil, appError(err)
	}
	out := rpc.Transaction{Hash: hash, Height: res.Height, Index: res.Index, Code: res.TxResult.Code, Codespace: res.TxResult.Codespace, Log: res.TxResult.Log,
		GasWanted: res.TxResult.GasWanted, GasUsed: res.TxResult.GasUsed, Status: "ok", Events: []rpc.Event{}}
	if out.Code != 0 {
		out.Status = "failed"
	}
	for _, e := range res.TxResult.Events {
		ev := rpc.Event{Type: e.Type, Attributes: map[string]string{}}
		for _, a := range e.Attributes {
			ev.Attributes[a.Key] = a.Value
		}
		out.Events = append(out.Events, ev)
	}
	t, err := tx.Decode(res.Tx)
	if err != nil {
		return out, nil // kept in a block but never valid: the code says why
	}
	out.Sender, out.Nonce = t.Sender().String(), t.Body.Nonce
	results, _ := app.DecodeResults(res.TxResult.Data)
	for i, c := range t.Body.Calls {
		tc := rpc.TxCall{Contract: c.Contract, Method: c.Method, Args: json.RawMessage(strconv.Quote("0x" + hex.EncodeToString(c.Args)))}
		for _, f := range c.Funds {
			tc.Funds = append(tc.Funds, rpc.Coin{Token: f.Token, Amount: f.Amount})
		}
		m := h.method(c.Contract, c.Method)
		if m != nil {
			if js, err := codec.ToJSON(m.Args, c.Args); err == nil {
				tc.Args = js
			}
		}
		out.Calls = append(out.Calls, tc)
		if i < len(results) {
			out.Results = append(out.Results, renderResult(m, results[i]))
		}
	}
	return out, nil
}
