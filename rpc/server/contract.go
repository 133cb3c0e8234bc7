package server

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/vsys/vsys/app"
	"github.com/vsys/vsys/core/abi"
	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/core/tx"
	"github.com/vsys/vsys/modules/wasm"
	"github.com/vsys/vsys/rpc"
	"github.com/vsys/vsys/rpc/jsonrpc"
)

// The methods that run or describe contracts: ABIs, read-only calls, gas
// estimates, and the wasm module's code and contract records.

// method finds a method's ABI at the latest state, or nil.
func (h *handlers) method(contract address.Address, name string) *abi.Method {
	m, _ := h.lookupMethod(contract, name)
	return m
}

// lookupMethod finds a method's ABI at the latest state, or the router's
// error: router.ErrUnknownContract or router.ErrUnknownMethod.
func (h *handlers) lookupMethod(contract address.Address, name string) (*abi.Method, error) {
	if h.App == nil {
		return nil, fmt.Errorf("%w %s: no application", router.ErrUnknownContract, contract)
	}
	kv, _, err := h.App.View(0)
	if err != nil {
		return nil, err
	}
	_, m, err := h.App.Router().Method(kv, contract, name)
	return m, err
}

func renderResult(m *abi.Method, b []byte) json.RawMessage {
	if m != nil {
		if js, err := codec.ToJSON(m.Result, b); err == nil {
			return js
		}
	}
	return json.RawMessage(strconv.Quote("0x" + hex.EncodeToString(b)))
}
func (h *handlers) call(ctx context.Context, raw json.RawMessage) (any, error) {
	var req rpc.CallRequest
	if err := params(raw, 0, &req); err != nil {
		return nil, err
	}
	r := h.App.Router()
	contract, err := r.Lookup(req.Contract)
	if err != nil {
		return nil, jsonrpc.InvalidParams("contract: %v", err)
	}
	m, err := h.lookupMethod(contract, req.Method)
	args := []byte(req.ArgsHex)
	if req.ArgsHex == nil {
		if err != nil {
			return nil, appError(err) // unknown contract or unknown method, as the router tells
		}
		js := req.Args
		if len(js) == 0 {
			js = json.RawMessage("{}")
		}
		if args, err = codec.FromJSON(m.Args, js); err != nil {
			return nil, jsonrpc.InvalidParams("args for %s: %v", req.Method, err)
		}
	}
	out, used, err := h.App.Call(ctx, int64(req.Height), contract, req.Method, args, h.QueryGasCap)
	if err != nil {
		return nil, appError(err)
	}
	height := int64(req.Height)
	if height == 0 {
		height = h.App.Store().Version()
	}
	return rpc.CallResult{Result: renderResult(m, out), GasUsed: used, Height: height}, nil
}

func (h *handlers) estimateGas(ctx context.Context, raw json.RawMessage) (any, error) {
	var b rpc.HexBytes
	if err := params(raw, 0, &b); err != nil {
		return nil, err
	}
	out, err := h.App.Simulate(ctx, b)
	if err != nil { // the tx could not even start: ante failure or bad bytes
		return nil, appError(err)
	}
	est := rpc.Estimate{GasUsed: out.GasUsed, OK: out.Err == nil,
		DepositLocked: out.DepositLocked, DepositReturned: out.DepositReturned}
	est.Codespace, est.Code = app.ResultOf(out.Err)
	if out.Err != nil {
		est.Error = out.Err.Error()
	}
	t, _ := tx.Decode(b)
	for i, res := range out.Results {
		c := t.Body.Calls[i]
		est.Results = append(est.Results, renderResult(h.method(c.Contract, c.Method), res))
	}
	return est, nil
}

func (h *handlers) getABI(_ context.Context, raw json.RawMessage) (any, error) {
	var name string
	if err := params(raw, 0, &name); err != nil {
		return nil, err
	}
	addr, err := h.App.Router().Lookup(name)
	if err != nil {
		return nil, jsonrpc.InvalidParams("contract: %v", err)
	}
	return h.abiOf(addr)
}

// abiOf is the ABI of the contract at addr in the latest state.
func (h *handlers) abiOf(addr address.Address) (*abi.ABI, error) {
	kv, _, err := h.App.View(0)
	if err != nil {
		return nil, appError(err)
	}
	c, err := h.App.Router().Resolve(kv, addr)
	if err != nil {
		return nil, appError(err)
	}
	return c.ABI(), nil
}

// wasmQuery runs a read-only method of the wasm module.
func (h *handlers) wasmQuery(ctx context.Context, method string, args, result any) error {
	b, err := codec.Marshal(args)
	if err != nil {
		return err
	}
	out, _, err := h.App.Call(ctx, 0, wasm.Address, method, b, h.QueryGasCap)
	if err != nil {
		return appError(err)
	}
	return codec.Unmarshal(out, result)
}

func (h *handlers) getCode(ctx context.Context, raw json.RawMessage) (any, error) {
	var hash rpc.HexBytes
	if err := params(raw, 0, &hash); err != nil {
		return nil, err
	}
	var v wasm.CodeView
	if err := h.wasmQuery(ctx, "code_info", wasm.CodeArgs{CodeHash: hash}, &v); err != nil {
		return nil, err
	}
	var a abi.ABI
	if err := json.Unmarshal([]byte(v.ABI), &a); err != nil {
		return nil, err
	}
	return rpc.CodeInfo{Hash: v.Info.Hash, Creator: v.Info.Creator, Size: v.Info.Size, Height: v.Info.Height, ABI: &a}, nil
}

func (h *handlers) getContract(ctx context.Context, raw json.RawMessage) (any, error) {
	var addr address.Address
	if err := params(raw, 0, &addr); err != nil {
		return nil, err
	}
	var info wasm.ContractInfo
	if err := h.wasmQuery(ctx, "contract_info", wasm.ContractArgs{Contract: addr}, &info); err != nil {
		return nil, err
	}
	out := rpc.ContractInfo{Address: info.Address, CodeHash: info.CodeHash, Admin: info.Admin, Label: info.Label, Creator: info.Creator, Created: info.Created}
	if a, err := h.abiOf(addr); err == nil {
		out.ABI = a
	}
	return out, nil
}
