package interchain

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/gas"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/modules/billing"
	"github.com/vsys/vsys/modules/interchain/packet"
	"github.com/vsys/vsys/modules/interchain/transfer"
	"github.com/vsys/vsys/modules/native"
)

// Contracts as interchain applications (docs/interchain.md, "Contracts
// over interchain"). A contract's port is its bech32 address, the string
// send_packet binds to the caller: a payload to such a port is delivered
// by calling the contract's on_recv, and the sending contract hears of
// the outcome through on_ack or on_timeout. The module calls them through
// the router like any call — gas, depth, reentrancy and read-only rules
// hold — as the caller Address, so a contract can tell the module's call
// from anyone else's.

// The entry points a contract declares, as ordinary methods of its ABI,
// to take part in interchain.
const (
	EntryRecv    = "on_recv"
	EntryAck     = "on_ack"
	EntryTimeout = "on_timeout"
)

// DefaultCallbackGasLimit is the gas one contract callback (on_recv,
// on_ack, on_timeout or a memo hook) may use unless the chain sets
// another (SetCallbackGasLimit): a relayer's tx pays it, so a hostile
// contract cannot make relaying cost more than this per payload.
const DefaultCallbackGasLimit = 5_000_000

// ErrCallback is returned when a contract callback failed: the contract returned an
// error, has no such entry point, or used its whole callback gas limit.
// A receive turns it into the error acknowledgement; an acknowledgement
// or timeout reports it in a contract_callback event and goes on.
var ErrCallback = errors.New("contract callback failed")

// OnRecvArgs are a contract's on_recv arguments: the packet's identity and
// the payload addressed to it. Its result, bytes, is the payload's
// application acknowledgement (not empty, not the error acknowledgement).
type OnRecvArgs struct {
	SourceClient string
	DestClient   string
	Sequence     uint64
	SourcePort   string // the sender on the other chain: its address there
	Version      string
	Encoding     string
	Value        []byte
}

// SentPayload is a payload a contract sent, in the packet that carried
// it: what its on_ack and on_timeout are about.
type SentPayload struct {
	SourceClient string
	DestClient   string
	Sequence     uint64
	DestPort     string
	Version      string
	Encoding     string
	Value        []byte
}

// OnAckArgs are a contract's on_ack arguments: the payload it sent and what
// became of it. Success is false when the receive failed; Acknowledgement
// is then packet.ErrorAck.
type OnAckArgs struct {
	Sent            SentPayload
	Success         bool
	Acknowledgement []byte
}

// OnTimeoutArgs are a contract's on_timeout arguments: the payload it sent,
// which the destination never received and now never will.
type OnTimeoutArgs = SentPayload

// CallbackEvent is emitted after a sending contract's on_ack or
// on_timeout: Error says why it failed (its writes were discarded), empty
// when it succeeded.
type CallbackEvent struct {
	Contract     address.Address
	Entry        string
	SourceClient string
	Sequence     uint64
	Error        string
}

// wireContracts is New's part for contracts: the callback event, the
// default gas limit, and the memo hook around the transfer app.
func (m *Module) wireContracts(c *native.Module) {
	native.EventType[CallbackEvent](c, "contract_callback")
	m.callbackGas = DefaultCallbackGasLimit
	m.apps[transfer.PortID] = hookedTransfer{App: m.transfer, m: m}
}

// SetCallbackGasLimit sets the gas one contract callback may use (a chain
// parameter; DefaultCallbackGasLimit unless set).
func (m *Module) SetCallbackGasLimit(limit uint64) { m.callbackGas = limit }

// CallbackGasLimit is the gas one contract callback may use.
func (m *Module) CallbackGasLimit() uint64 { return m.callbackGas }

// contractPort is the contract a port names: a bech32 address that is not
// a native module's.
func contractPort(port string) (address.Address, bool) {
	a, err := address.Parse(port)
	if err != nil || a.IsModule() {
		return address.Address{}, false
	}
	return a, true
}

// app is the application bound to port: a registered app, or the
// contract the port names.
func (m *Module) app(port string) (App, bool) {
	if a, ok := m.apps[port]; ok {
		return a, true
	}
	if addr, ok := contractPort(port); ok {
		return contractApp{m: m, addr: addr}, true
	}
	return nil, false
}

// contractApp is a contract behind the App interface.
type contractApp struct {
	m    *Module
	addr address.Address
}

func (a contractApp) OnRecv(ctx *router.Context, p packet.Packet, pl packet.Payload) ([]byte, error) {
	args := OnRecvArgs{SourceClient: p.SourceClient, DestClient: p.DestClient, Sequence: p.Sequence,
		SourcePort: pl.SourcePort, Version: pl.Version, Encoding: pl.Encoding, Value: pl.Value}
	var ack []byte
	return ack, a.m.callback(ctx, a.addr, EntryRecv, args, &ack)
}

func (a contractApp) OnAck(ctx *router.Context, p packet.Packet, pl packet.Payload, ack []byte) error {
	return a.m.sourceCallback(ctx, a.addr, EntryAck, p, OnAckArgs{Sent: sentPayload(p, pl),
		Success: !bytes.Equal(ack, packet.ErrorAck), Acknowledgement: ack})
}

func (a contractApp) OnTimeout(ctx *router.Context, p packet.Packet, pl packet.Payload) error {
	return a.m.sourceCallback(ctx, a.addr, EntryTimeout, p, sentPayload(p, pl))
}

func sentPayload(p packet.Packet, pl packet.Payload) SentPayload {
	return SentPayload{SourceClient: p.SourceClient, DestClient: p.DestClient, Sequence: p.Sequence,
		DestPort: pl.DestPort, Version: pl.Version, Encoding: pl.Encoding, Value: pl.Value}
}

// sourceCallback runs the sending contract's on_ack or on_timeout on its
// own cache and reports it; as in ibc-go's callbacks middleware, its
// failure does not stop the packet's lifecycle (the commitment is cleared
// either way), only the tx running out of gas does, so that the relayer
// retries with more.
func (m *Module) sourceCallback(ctx *router.Context, addr address.Address, entry string, p packet.Packet, args any) error {
	err := ctx.Atomic(func(sub *router.Context) error { return m.callback(sub, addr, entry, args, nil) })
	if err != nil && isOutOfResources(err) {
		return err
	}
	ev := CallbackEvent{Contract: addr, Entry: entry, SourceClient: p.SourceClient, Sequence: p.Sequence}
	if err != nil {
		// Bounded as AckEvent's reason is: the event must fit any chain's
		// max_event_bytes, or a long error would fail the relayer's tx.
		ev.Error = err.Error()
		if len(ev.Error) > maxAckError {
			ev.Error = strings.ToValidUTF8(ev.Error[:maxAckError], "")
		}
	}
	return native.Emit(ctx, "contract_callback", ev)
}

// callback calls contract's method with args, within the callback gas
// limit, and decodes its result into out (unless nil). Its error is
// ErrCallback for anything the contract did, including using all of its
// gas limit; only the tx's own gas running out comes back as
// gas.ErrOutOfGas.
func (m *Module) callback(ctx *router.Context, contract address.Address, method string, args any, out any) error {
	b, err := codec.Marshal(args)
	if err != nil {
		return fmt.Errorf("encode %s arguments: %w", method, err)
	}
	return m.limited(ctx, contract, method, b, nil, out)
}

// limited is the call under the callback gas limit: the call charges a
// meter of its own, of the limit or of what the tx has left if that is
// less, and the tx's meter is charged what it used.
func (m *Module) limited(ctx *router.Context, contract address.Address, method string, args []byte, funds []router.Coin, out any) error {
	env := ctx.Env
	parent := env.Gas
	limit := min(m.callbackGas, parent.Remaining())
	env.Gas = gas.NewMeter(limit)
	res, err := ctx.Call(contract, method, args, funds)
	used := env.Gas.Used()
	env.Gas = parent
	if cerr := parent.Consume(used, "interchain callback"); cerr != nil {
		return cerr
	}
	if err != nil && errors.Is(err, gas.ErrOutOfGas) && limit < m.callbackGas {
		return err // the tx's own gas ran out, not the callback's limit
	}
	if err != nil && (errors.Is(err, billing.ErrDeposit) || errors.Is(err, billing.ErrQuota)) {
		// The deposit for what the contract writes comes from the tx's
		// signer, the relayer: its balance, like its gas, must not decide
		// the packet's outcome, so the tx fails and can be retried.
		return err
	}
	if err == nil && out != nil {
		if err = codec.Unmarshal(res, out); err != nil {
			err = fmt.Errorf("result: %w", err)
		}
	}
	if err != nil {
		// %v, not %w: whatever the contract ran into (its limit's
		// ErrOutOfGas, the memory budget) is the contract's failure
		// here, not the relayer's tx's.
		return fmt.Errorf("%w: %s.%s: %v", ErrCallback, contract, method, err)
	}
	return nil
}
