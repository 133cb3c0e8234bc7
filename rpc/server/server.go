package server

import (
	"context"
	"encoding/json"
	"errors"

	rpccore "github.com/cometbft/cometbft/rpc/core"

	"github.com/vsys/vsys/app"
	"github.com/vsys/vsys/core/address"
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
	// TxsPerSecond and TxBurst are vsys_sendRawTransaction's admission
	// rate (admission.go): a token bucket; 0 txs per second: no limit.
	TxsPerSecond float64
	TxBurst      int
}

// New returns the JSON-RPC server of the vsys methods: serve it over
// HTTP POST (it is an http.Handler) and over WebSocket (WebSocketHandler).
// It registers the methods of rpc.Methods, the one table of their names;
// without an app, only those that do not need one.
func New(b Backend, maxBody int64) *jsonrpc.Server {
	s := jsonrpc.NewServer()
	if maxBody > 0 {
		s.SetMaxBodyBytes(maxBody)
	}
	impl := (&handlers{Backend: b, txRate: newTxBucket(b.TxsPerSecond, b.TxBurst), txs: &txCounter{}}).byMethod()
	for _, m := range rpc.Methods() {
		if m.NeedsApp && b.App == nil {
			continue
		}
		// TestMethodTable pins that every entry has a handler, so a
		// missing one is caught before a node starts; Register panics
		// on the nil handler in the same way as on a duplicate name.
		s.Register(m.Name, impl[m.Name])
	}
	return s
}

// byMethod maps each method name of rpc.Methods to its handler.
func (h *handlers) byMethod() map[string]jsonrpc.Handler {
	return map[string]jsonrpc.Handler{
		rpc.MethodChainID:            h.chainID,
		rpc.MethodStatus:             h.status,
		rpc.MethodBlockNumber:        h.blockNumber,
		rpc.MethodGetBlock:           h.getBlock,
		rpc.MethodSendRawTransaction: h.sendRawTransaction,
		rpc.MethodGetTransaction:     h.getTransaction,
		rpc.MethodGetAccount:         h.getAccount,
		rpc.MethodCall:               h.call,
		rpc.MethodEstimateGas:        h.estimateGas,
		rpc.MethodGetABI:             h.getABI,
		rpc.MethodGetCode:            h.getCode,
		rpc.MethodGetContract:        h.getContract,
		rpc.MethodListTables:         h.listTables,
		rpc.MethodGetSchema:          h.getSchema,
		rpc.MethodGetRow:             h.getRow,
		rpc.MethodQueryTable:         h.queryTable,
		rpc.MethodGetBill:            h.getBill,
		rpc.MethodGasPrice:           h.gasPrice,
		rpc.MethodProveKey:           h.proveKey,
	}
}

type handlers struct {
	Backend
	txRate *txBucket // nil: no rate limit
	txs    *txCounter
}

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
