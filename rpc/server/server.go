package server

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	rpccore "github.com/cometbft/cometbft/rpc/core"
	rpctypes "github.com/cometbft/cometbft/rpc/jsonrpc/types"
	"github.com/cometbft/cometbft/types"

	"github.com/vsys/vsys/app"
	"github.com/vsys/vsys/core/abi"
	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/core/tx"
	"github.com/vsys/vsys/modules/billing"
	"github.com/vsys/vsys/modules/wasm"
	"github.com/vsys/vsys/rpc"
	"github.com/vsys/vsys/rpc/jsonrpc"
)

// Backend is what the methods read: the app (nil for the kvstore
// baseline, which gets only the chain-agnostic methods) and CometBFT's
// in-process RPC environment.
type Backend struct {
	App         *app.App
	Env         *rpccore.Environment
	QueryGasCap uint64
}

// New returns the JSON-RPC server of the vsys methods: serve it over
// HTTP POST (it is an http.Handler) and over WebSocket (WebSocketHandler).
func New(b Backend, maxBody int64) *jsonrpc.Server {
	s := jsonrpc.NewServer()
	if maxBody > 0 {
		s.SetMaxBodyBytes(maxBody)
	}
	h := &handlers{b}
	s.Register("vsys_chainId", h.chainID)
	s.Register("vsys_blockNumber", h.blockNumber)
	s.Register("vsys_getBlock", h.getBlock)
	s.Register("vsys_sendRawTransaction", h.sendRawTransaction)
	s.Register("vsys_getTransaction", h.getTransaction)
	s.Register("vsys_status", h.status)
	if b.App != nil {
		s.Register("vsys_getAccount", h.getAccount)
		s.Register("vsys_call", h.call)
		s.Register("vsys_estimateGas", h.estimateGas)
		s.Register("vsys_getABI", h.getABI)
		s.Register("vsys_getCode", h.getCode)
		s.Register("vsys_getContract", h.getContract)
		s.Register("vsys_getSchema", h.getSchema)
		s.Register("vsys_listTables", h.listTables)
		s.Register("vsys_getRow", h.getRow)
		s.Register("vsys_queryTable", h.queryTable)
		s.Register("vsys_getBill", h.getBill)
		s.Register("vsys_gasPrice", h.gasPrice)
	}
	return s
}

type handlers struct{ Backend }

// appError turns an app error into a JSON-RPC application error: code
// rpcCode, data {code, codespace} (app.ResultOf), and the error's own
// message, which says what was wrong.
func appError(err error) error {
	var je *jsonrpc.Error
	if errors.As(err, &je) {
		return je
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return err // a query the node stopped: jsonrpc sends CodeDeadline
	}
	codespace, code := app.ResultOf(err)
	return &jsonrpc.Error{Code: rpcCode(codespace, code), Message: err.Error(),
		Data: map[string]any{"code": code, "codespace": codespace}}
}

// rpcCode is the JSON-RPC code of a result: -32000 minus a vsys code. A
// module's codes overlap the vsys ones, so its errors get -32000 minus
// CodeCallFailed (they failed inside a call), and data names the exact one.
func rpcCode(codespace string, code uint32) int {
	if codespace != app.Codespace {
		code = app.CodeCallFailed
	}
	return -32000 - int(code)
}

// params decodes positional params into dst in order; missing trailing
// params keep their zero values if optional is the count of optional ones.
func params(raw json.RawMessage, optional int, dst ...any) error {
	var list []json.RawMessage
	if len(raw) > 0 && string(raw) != "null" {
		if err := json.Unmarshal(raw, &list); err != nil {
			return jsonrpc.InvalidParams("params must be an array: %v", err)
		}
	}
	if len(list) > len(dst) || len(list) < len(dst)-optional {
		return jsonrpc.InvalidParams("want %d to %d params, got %d", len(dst)-optional, len(dst), len(list))
	}
	for i, p := range list {
		if err := json.Unmarshal(p, dst[i]); err != nil {
			var te *json.UnmarshalTypeError
			if errors.As(err, &te) {
				return jsonrpc.InvalidParams("param %d: want %s, got a JSON %s", i+1, describeParam(dst[i]), te.Value)
			}
			return jsonrpc.InvalidParams("param %d: %v", i+1, err)
		}
	}
	return nil
}

// describeParam names what a param should look like, in the words of
// docs/rpc.md rather than Go's type names.
func describeParam(dst any) string {
	switch dst.(type) {
	case *address.Address:
		return "a bech32 address string"
	case *rpc.HexBytes:
		return "a 0x-hex string"
	case *rpc.Height:
		return `a height (number, string or "latest")`
	case *rpc.CallRequest:
		return "an object {contract, method, args, height}"
	case *string:
		return "a string"
	}
	return "another type"
}

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

func (h *handlers) getAccount(_ context.Context, raw json.RawMessage) (any, error) {
	var addr address.Address
	var height rpc.Height
	if err := params(raw, 1, &addr, &height); err != nil {
		return nil, err
	}
	acc, err := h.App.Account(int64(height), addr)
	if err != nil {
		return nil, appError(err)
	}
	out := rpc.Account{Address: acc.Address, Nonce: acc.Nonce, Height: acc.Height, Balances: make([]rpc.Coin, len(acc.Balances))}
	for i, c := range acc.Balances {
		out.Balances[i] = rpc.Coin{Token: c.Token, Amount: c.Amount}
	}
	return out, nil
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

func (h *handlers) gasPrice(context.Context, json.RawMessage) (any, error) {
	p := h.App.Params()
	return rpc.GasPrice{MinGasPrice: p.MinGasPrice, StoragePricePerByte: p.Billing.StoragePricePerByte, NativeToken: h.App.NativeToken()}, nil
}

func (h *handlers) getBill(_ context.Context, raw json.RawMessage) (any, error) {
	var addr address.Address
	var height rpc.Height
	if err := params(raw, 1, &addr, &height); err != nil {
		return nil, err
	}
	kv, hgt, err := h.App.View(int64(height))
	if err != nil {
		return nil, appError(err)
	}
	b, err := billing.ReadBill(kv, addr)
	if err != nil {
		return nil, appError(err)
	}
	out := rpc.Bill{Address: b.Address, Bytes: b.Bytes, Deposit: b.Deposit, FeesPaid: b.FeesPaid, GasUsed: b.GasUsed,
		Funded: b.Funded, Height: hgt, Categories: make([]rpc.BillCategory, len(b.Categories))}
	for i, c := range b.Categories {
		out.Categories[i] = rpc.BillCategory{Category: c.Category, Bytes: c.Bytes}
	}
	return out, nil
}
