package transfer

import (
	"bytes"
	"fmt"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/core/state"
	"github.com/vsys/vsys/modules/interchain/packet"
)

// App is the transfer application. It keeps no Go state: its records
// (denom traces, escrow totals) live in the interchain module's store
// under "transfer/", so they revert with the call that wrote them.
type App struct{}

// store is the app's part of the interchain module's store.
func store(ctx *router.Context) state.KV { return state.NewPrefix(ctx.Store(), []byte("transfer/")) }

func denomKey(local string) []byte  { return append([]byte("denom/"), local...) }
func escrowKey(denom string) []byte { return append([]byte("totalEscrowForDenom/"), denom...) }

// Trace returns the full path of a local denom: a voucher's recorded
// trace, or the denom itself for a token at home here.
func Trace(kv state.KV, local string) (Denom, error) {
	if len(local) < 4 || local[:4] != "ibc/" {
		return Denom{Base: local}, nil
	}
	b, err := kv.Get(denomKey(local))
	if err != nil {
		return Denom{}, err
	}
	if b == nil {
		return Denom{}, fmt.Errorf("%w: no trace of %q on this chain", ErrInvalidDenom, local)
	}
	return ParseDenom(string(b)), nil
}

// TotalEscrow is how much of local the transfer app holds in escrow, over
// every client: what vouchers on other chains stand for.
func TotalEscrow(kv state.KV, local string) (codec.U128, error) {
	b, err := kv.Get(escrowKey(local))
	if err != nil || b == nil {
		return codec.U128{}, err
	}
	var v codec.U128
	return v, codec.Unmarshal(b, &v)
}

// Store is the app's records within the interchain module's store root
// (for reads from a committed view).
func Store(moduleStore state.KV) state.KV { return state.NewPrefix(moduleStore, []byte("transfer/")) }

func addEscrow(kv state.KV, local string, amount codec.U128, add bool) error {
	v, err := TotalEscrow(kv, local)
	if err != nil {
		return err
	}
	if add {
		v, err = v.Add(amount)
	} else {
		v, err = v.Sub(amount)
	}
	if err != nil {
		return fmt.Errorf("escrow total of %s: %w", local, err)
	}
	if v.IsZero() {
		return kv.Delete(escrowKey(local))
	}
	return putU128(kv, escrowKey(local), v)
}

func putU128(kv state.KV, key []byte, v codec.U128) error {
	b, err := codec.Marshal(v)
	if err != nil {
		return err
	}
	return kv.Set(key, b)
}

// Send takes amount of local (a symbol of this chain's ledger) from
// sender for a transfer out through sourceClient, and returns the payload
// that carries it: a voucher going back the way it came is burned, any
// other token is escrowed (ibc-go SendTransfer).
func (App) Send(ctx *router.Context, sourceClient, local string, amount codec.U128, sender address.Address, receiver, memo string) (packet.Payload, error) {
	kv := store(ctx)
	d, err := Trace(kv, local)
	if err != nil {
		return packet.Payload{}, err
	}
	if d.IsNative() && bytes.ContainsRune([]byte(d.Base), '/') {
		return packet.Payload{}, fmt.Errorf("%w: base denom %q has a slash", ErrInvalidDenom, d.Base)
	}
	data := PacketData{Denom: d.Path(), Amount: amount.String(), Sender: sender.String(), Receiver: receiver, Memo: memo}
	if err := data.Validate(); err != nil {
		return packet.Payload{}, err
	}
	if d.HasPrefix(PortID, sourceClient) {
		v, err := ctx.Vouchers()
		if err != nil {
			return packet.Payload{}, err
		}
		if err := v.BurnVoucher(sender, local, amount); err != nil {
			return packet.Payload{}, fmt.Errorf("burn %s %s: %w", amount, local, err)
		}
	} else {
		if err := ctx.Ledger().Transfer(sender, EscrowAddress(sourceClient), local, amount); err != nil {
			return packet.Payload{}, fmt.Errorf("escrow %s %s: %w", amount, local, err)
		}
		if err := addEscrow(kv, local, amount, true); err != nil {
			return packet.Payload{}, err
		}
	}
	return packet.Payload{SourcePort: PortID, DestPort: PortID, Version: Version, Encoding: EncodingJSON, Value: data.Encode()}, nil
}

// OnRecv credits the receiver (ibc-go OnRecvPacket): a denom coming home
// is released from escrow, any other is minted as a voucher whose trace
// gains the hop through the packet's dest client. An error is the error
// acknowledgement, and the module discards what the call wrote.
func (App) OnRecv(ctx *router.Context, p packet.Packet, pl packet.Payload) ([]byte, error) {
	if pl.SourcePort != PortID || pl.DestPort != PortID {
		return nil, fmt.Errorf("%w: ports %s → %s, want %s", ErrInvalidData, pl.SourcePort, pl.DestPort, PortID)
	}
	data, err := Decode(pl.Value, pl.Version, pl.Encoding)
	if err != nil {
		return nil, err
	}
	receiver, err := address.Parse(data.Receiver)
	if err != nil {
		return nil, fmt.Errorf("%w: receiver: %v", ErrInvalidData, err)
	}
	amount, _ := data.amount()
	d, kv := ParseDenom(data.Denom), store(ctx)
	if d.HasPrefix(pl.SourcePort, p.SourceClient) {
		d.Trace = d.Trace[1:]
		local := d.LocalDenom()
		if err := ctx.Ledger().Transfer(EscrowAddress(p.DestClient), receiver, local, amount); err != nil {
			return nil, fmt.Errorf("release %s %s: %w", amount, local, err)
		}
		return SuccessAck, addEscrow(kv, local, amount, false)
	}
	d.Trace = append([]Hop{{Port: pl.DestPort, Client: p.DestClient}}, d.Trace...)
	local := d.LocalDenom()
	if err := kv.Set(denomKey(local), []byte(d.Path())); err != nil {
		return nil, err
	}
	v, err := ctx.Vouchers()
	if err != nil {
		return nil, err
	}
	if err := v.MintVoucher(receiver, local, amount); err != nil {
		return nil, fmt.Errorf("mint %s %s: %w", amount, local, err)
	}
	return SuccessAck, nil
}

// OnAck refunds the sender when the receive failed (ibc-go
// OnAcknowledgementPacket); the success acknowledgement needs nothing.
func (a App) OnAck(ctx *router.Context, p packet.Packet, pl packet.Payload, ack []byte) error {
	switch {
	case bytes.Equal(ack, SuccessAck):
		return nil
	case bytes.Equal(ack, packet.ErrorAck):
		return a.refund(ctx, p, pl)
	}
	return fmt.Errorf("%w: %q", ErrInvalidAck, ack)
}

// OnTimeout refunds the sender (ibc-go OnTimeoutPacket).
func (a App) OnTimeout(ctx *router.Context, p packet.Packet, pl packet.Payload) error {
	return a.refund(ctx, p, pl)
}

// refund undoes Send exactly: a burned voucher is minted back, an escrow
// released.
func (App) refund(ctx *router.Context, p packet.Packet, pl packet.Payload) error {
	data, err := Decode(pl.Value, pl.Version, pl.Encoding)
	if err != nil {
		return err
	}
	sender, err := address.Parse(data.Sender)
	if err != nil {
		return fmt.Errorf("%w: sender: %v", ErrInvalidData, err)
	}
	amount, _ := data.amount()
	d := ParseDenom(data.Denom)
	local := d.LocalDenom()
	if d.HasPrefix(pl.SourcePort, p.SourceClient) {
		v, err := ctx.Vouchers()
		if err != nil {
			return err
		}
		return v.MintVoucher(sender, local, amount)
	}
	if err := ctx.Ledger().Transfer(EscrowAddress(p.SourceClient), sender, local, amount); err != nil {
		return fmt.Errorf("refund %s %s: %w", amount, local, err)
	}
	return addEscrow(store(ctx), local, amount, false)
}
