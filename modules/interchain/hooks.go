package interchain

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/modules/interchain/packet"
	"github.com/vsys/vsys/modules/interchain/transfer"
)

// The memo hook (docs/interchain.md, "Memo hook"), after osmosis'
// ibc-hooks: a transfer whose memo is a JSON object with a "wasm" key,
//
//	{"wasm":{"contract":"vsys1…","method":"deposit","args":{…}}}
//
// calls that contract's method when the tokens arrive, with the tokens
// attached as the call's funds. As in ibc-hooks the receiver must be the
// contract, so the tokens can only ever reach the account the sender
// named. The call runs within the callback gas limit, as the module
// (caller Address); if it fails, nothing of the receive is kept — the
// tokens are not credited — and the acknowledgement is the error one, so
// the sender is refunded on the source chain. A memo that is not a JSON
// object, or has no "wasm" key, is an ordinary transfer.

// ErrMemoHook is a memo with a "wasm" key that cannot be run (malformed,
// the receiver is not the contract, the method or arguments do not fit
// the contract's ABI).
var ErrMemoHook = errors.New("invalid memo hook")

// WasmHook is the "wasm" object of a transfer's memo.
type WasmHook struct {
	Contract string          `json:"contract"`
	Method   string          `json:"method"`
	Args     json.RawMessage `json:"args"` // a JSON object, encoded by the method's ABI; absent is {}
}

// ParseMemo returns the memo's wasm hook, nil when the memo asks for none.
func ParseMemo(memo string) (*WasmHook, error) {
	var obj map[string]json.RawMessage
	if json.Unmarshal([]byte(memo), &obj) != nil {
		return nil, nil // not a JSON object: a note, not a hook
	}
	raw, ok := obj["wasm"]
	if !ok {
		return nil, nil
	}
	var h WasmHook
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&h); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMemoHook, err)
	}
	if h.Method == "" {
		return nil, fmt.Errorf("%w: no method", ErrMemoHook)
	}
	if len(h.Args) == 0 || string(h.Args) == "null" {
		h.Args = json.RawMessage("{}")
	}
	return &h, nil
}

// hookedTransfer is the transfer app with the memo hook on receive.
type hookedTransfer struct {
	transfer.App
	m *Module
}

func (h hookedTransfer) OnRecv(ctx *router.Context, p packet.Packet, pl packet.Payload) ([]byte, error) {
	data, err := transfer.Decode(pl.Value, pl.Version, pl.Encoding)
	if err != nil {
		return nil, err
	}
	hook, err := ParseMemo(data.Memo)
	if err != nil || hook == nil {
		if err != nil {
			return nil, err
		}
		return h.App.OnRecv(ctx, p, pl)
	}
	contract, err := address.Parse(hook.Contract)
	if err != nil {
		return nil, fmt.Errorf("%w: contract: %v", ErrMemoHook, err)
	}
	if data.Receiver != hook.Contract {
		return nil, fmt.Errorf("%w: the receiver %s is not the hook's contract %s", ErrMemoHook, data.Receiver, hook.Contract)
	}
	m, err := ctx.MethodOf(contract, hook.Method)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMemoHook, err)
	}
	args, err := codec.FromJSON(m.Args, hook.Args)
	if err != nil {
		return nil, fmt.Errorf("%w: args of %s: %v", ErrMemoHook, hook.Method, err)
	}
	ack, err := h.App.OnRecv(ctx, p, pl)
	if err != nil {
		return nil, err
	}
	// The tokens are the contract's now; they go back through the module
	// so that the call carries them as its funds (what the contract's
	// funds() reports), exactly as a user's call with funds would.
	coin := router.Coin{Token: receivedDenom(p, pl, data)}
	if coin.Amount, err = codec.ParseU128(data.Amount); err != nil {
		return nil, err // Decode validated it
	}
	if err := ctx.Ledger().Transfer(contract, Address, coin.Token, coin.Amount); err != nil {
		return nil, fmt.Errorf("memo hook funds: %w", err)
	}
	if err := h.m.limited(ctx, contract, hook.Method, args, []router.Coin{coin}, nil); err != nil {
		return nil, fmt.Errorf("memo hook: %w", err)
	}
	return ack, nil
}

// receivedDenom is the local denom the transfer app credits for data
// arriving in p: the denom unwound by one hop when it comes home, else a
// voucher of the trace with this hop prepended (transfer.App.OnRecv).
func receivedDenom(p packet.Packet, pl packet.Payload, data transfer.PacketData) string {
	d := transfer.ParseDenom(data.Denom)
	if d.HasPrefix(pl.SourcePort, p.SourceClient) {
		d.Trace = d.Trace[1:]
	} else {
		d.Trace = append([]transfer.Hop{{Port: pl.DestPort, Client: p.DestClient}}, d.Trace...)
	}
	return d.LocalDenom()
}
