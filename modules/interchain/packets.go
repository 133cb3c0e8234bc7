package interchain

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/gas"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/core/state"
	"github.com/vsys/vsys/modules/billing"
	"github.com/vsys/vsys/modules/interchain/lightclient"
	"github.com/vsys/vsys/modules/interchain/packet"
	"github.com/vsys/vsys/modules/native"
)

// The results of recv_packet, acknowledge and timeout, ibc-go's
// ResponseResultType names: NOOP is a packet relayed before (a receipt,
// or a commitment already cleared), which changes nothing and is not an
// error, so a relayer's batch does not fail on a packet another relayer
// delivered first.
const (
	ResultSuccess = "SUCCESS"
	ResultNoop    = "NOOP"
)

// CategoryPackets is the bill category of a sent packet's record: the
// tx's signer pays a deposit for it and gets it back when the packet is
// acknowledged or times out.
const CategoryPackets = "interchain"

// sentPacket is the record of a packet sent and not yet acknowledged or
// timed out.
type sentPacket struct {
	Payer  address.Address
	Packet packet.Packet
}

// SendPacketArgs are send_packet's (ibc-go MsgSendPacket): the timeout is
// in Unix seconds of the destination's block time.
type SendPacketArgs struct {
	SourceClient     string
	TimeoutTimestamp uint64
	Payloads         []packet.Payload
}

// PacketEvent is emitted when a packet is sent, received, acknowledged
// or timed out (the packet itself is in state: pending).
type PacketEvent struct {
	SourceClient     string
	DestClient       string
	Sequence         uint64
	TimeoutTimestamp uint64
}

// AckEvent is emitted when an acknowledgement is written.
type AckEvent struct {
	DestClient string
	Sequence   uint64
	Success    bool
	Error      string // why the receive failed; empty on success
}

// maxAckError bounds the reason an AckEvent gives.
const maxAckError = 256

func packetEvent(p packet.Packet) PacketEvent {
	return PacketEvent{SourceClient: p.SourceClient, DestClient: p.DestClient, Sequence: p.Sequence, TimeoutTimestamp: p.TimeoutTimestamp}
}

func nextSequence(kv state.KV, id string) (uint64, error) {
	b, err := kv.Get(packet.NextSequenceSendKey(id))
	if err != nil || len(b) != 8 {
		return 0, err
	}
	return binary.BigEndian.Uint64(b), nil
}

// send commits a packet from sourceClient (ibc-go sendPacket); the
// payloads' ports were checked by the caller.
func (m *Module) send(ctx *router.Context, sourceClient string, timeout uint64, payloads []packet.Payload) (uint64, error) {
	kv := ctx.Store()
	cp, err := loadCounterparty(kv, sourceClient)
	if err != nil {
		return 0, err
	}
	t := now(ctx)
	if timeout <= uint64(t.Unix()) {
		return 0, fmt.Errorf("%w: timeout %d is not after the block time %d", ErrTimeout, timeout, t.Unix())
	}
	if limit := uint64(t.Add(packet.MaxTimeoutDelta).Unix()); timeout > limit {
		return 0, fmt.Errorf("%w: timeout %d is more than %v after the block time (at most %d)", ErrTimeout, timeout, packet.MaxTimeoutDelta, limit)
	}
	cl, err := clients{kv}.load(sourceClient)
	if err != nil {
		return 0, err
	}
	if st := lightclient.ClientStatus(cl.cs, cl.latest, t); st != lightclient.Active {
		return 0, fmt.Errorf("%w: client %s is %s", ErrClientNotActive, sourceClient, st)
	}
	if ts := uint64(cl.latest.Timestamp.Unix()); ts >= timeout {
		return 0, fmt.Errorf("%w: the counterparty's latest known time %d is already at or past the timeout %d", ErrTimeout, ts, timeout)
	}
	seq, err := nextSequence(kv, sourceClient)
	if err != nil {
		return 0, err
	}
	p := packet.Packet{Sequence: seq, SourceClient: sourceClient, DestClient: cp.ClientID, TimeoutTimestamp: timeout, Payloads: payloads}
	if err := p.Validate(); err != nil {
		return 0, err
	}
	if err := kv.Set(packet.NextSequenceSendKey(sourceClient), binary.BigEndian.AppendUint64(nil, seq+1)); err != nil {
		return 0, err
	}
	if err := kv.Set(packet.CommitmentKey(sourceClient, seq), packet.CommitPacket(p)); err != nil {
		return 0, err
	}
	payer := ctx.Env.Origin
	if err := native.PutRecord(ctx.BilledStore(payer, CategoryPackets), packetKey(sourceClient, seq), sentPacket{Payer: payer, Packet: p}); err != nil {
		return 0, err
	}
	return seq, native.Emit(ctx, "send_packet", packetEvent(p))
}

// sendPacket is the send_packet method: each payload's source port must
// be the caller's own (its bech32 address), so nobody sends as another
// application.
func (m *Module) sendPacket(ctx *router.Context, a SendPacketArgs) (uint64, error) {
	for i, pl := range a.Payloads {
		if pl.SourcePort != ctx.Caller.String() {
			return 0, fmt.Errorf("%w: payload %d from port %q; the caller's port is its address %s", ErrUnauthorized, i, pl.SourcePort, ctx.Caller)
		}
	}
	return m.send(ctx, a.SourceClient, a.TimeoutTimestamp, a.Payloads)
}

// counterpartyOf checks that the packet's other client is the registered
// counterparty of ours.
func counterpartyOf(kv state.KV, ours, theirs string) (Counterparty, error) {
	cp, err := loadCounterparty(kv, ours)
	if err == nil && cp.ClientID != theirs {
		err = fmt.Errorf("%w: the counterparty of %s is %s, the packet names %s", ErrCounterparty, ours, cp.ClientID, theirs)
	}
	return cp, err
}

// proofTarget is the client a proof is checked with, and its consensus
// state at the proof height.
func proofTarget(kv state.KV, id string, h uint64) (client, lightclient.ConsensusState, error) {
	cl, err := clients{kv}.load(id)
	if err != nil {
		return cl, lightclient.ConsensusState{}, err
	}
	at, err := clients{kv}.consensusAt(id, h)
	return cl, at, err
}

// recvPacket is ibc-go's RecvPacket: verify, write the receipt, run the
// applications atomically, write the acknowledgement.
func (m *Module) recvPacket(ctx *router.Context, a RecvPacketArgs) (string, error) {
	p, kv := a.Packet, ctx.Store()
	if err := p.Validate(); err != nil {
		return "", err
	}
	cp, err := counterpartyOf(kv, p.DestClient, p.SourceClient)
	if err != nil {
		return "", err
	}
	if t := uint64(now(ctx).Unix()); t >= p.TimeoutTimestamp {
		return "", fmt.Errorf("%w: block time %d is at or past the packet's timeout %d", ErrTimeout, t, p.TimeoutTimestamp)
	}
	if ok, err := kv.Has(packet.ReceiptKey(p.DestClient, p.Sequence)); err != nil || ok {
		return ResultNoop, err
	}
	cl, at, err := proofTarget(kv, p.DestClient, a.ProofHeight)
	if err != nil {
		return "", err
	}
	key := keyOn(cp, packet.CommitmentKey(p.SourceClient, p.Sequence))
	if err := lightclient.VerifyMembership(cl.cs, cl.latest, at, now(ctx), a.ProofCommitment, key, packet.CommitPacket(p)); err != nil {
		return "", fmt.Errorf("packet commitment %s/%d at height %d: %w", p.SourceClient, p.Sequence, a.ProofHeight, err)
	}
	if err := kv.Set(packet.ReceiptKey(p.DestClient, p.Sequence), packet.Receipt); err != nil {
		return "", err
	}
	var acks [][]byte
	appErr := ctx.Atomic(func(sub *router.Context) error {
		acks = acks[:0]
		size := 0
		for i, pl := range p.Payloads {
			app, ok := m.app(pl.DestPort)
			if !ok {
				return fmt.Errorf("payload %d: no application bound to port %q", i, pl.DestPort)
			}
			ack, err := app.OnRecv(sub, p, pl)
			if err != nil {
				return fmt.Errorf("payload %d (%s): %w", i, pl.DestPort, err)
			}
			if len(ack) == 0 || bytes.Equal(ack, packet.ErrorAck) {
				return fmt.Errorf("payload %d (%s): the application's acknowledgement is empty or the error acknowledgement", i, pl.DestPort)
			}
			if size += len(ack); size > MaxAckBytes {
				return fmt.Errorf("acknowledgements of %d bytes, at most %d", size, MaxAckBytes)
			}
			acks = append(acks, ack)
		}
		return nil
	})
	ack, ev := packet.Acknowledgement{AppAcks: acks}, AckEvent{DestClient: p.DestClient, Sequence: p.Sequence, Success: appErr == nil}
	if appErr != nil {
		if isOutOfResources(appErr) {
			return "", appErr // out of gas ends the tx, as everywhere
		}
		ack, ev.Error = packet.Acknowledgement{AppAcks: [][]byte{packet.ErrorAck}}, appErr.Error()
		if len(ev.Error) > maxAckError {
			// The event must fit any chain's max_event_bytes, or the
			// receive itself would fail on a long error.
			ev.Error = strings.ToValidUTF8(ev.Error[:maxAckError], "")
		}
	}
	if err := kv.Set(packet.AckKey(p.DestClient, p.Sequence), packet.CommitAck(ack)); err != nil {
		return "", err
	}
	if err := native.PutRecord(kv, ackRecordKey(p.DestClient, p.Sequence), ack); err != nil {
		return "", err
	}
	if err := native.Emit(ctx, "recv_packet", packetEvent(p)); err != nil {
		return "", err
	}
	return ResultSuccess, native.Emit(ctx, "write_acknowledgement", ev)
}

// outOfResources are the errors an application's failure must not turn
// into an error acknowledgement: they end the whole tx, so that a
// relayer cannot make a receive fail by starving it. Out of gas would
// end it anyway (the meter stays empty, so writing the error
// acknowledgement fails too: TestStarvedReceiveIsNoErrorAck); the wasm
// memory budget of a call stack would not, once contracts receive.
var outOfResources = []error{gas.ErrOutOfGas, router.ErrMemoryBudget,
	billing.ErrDeposit, billing.ErrQuota} // the signer's deposits for what apps write (contracts.go)

func isOutOfResources(err error) bool {
	for _, e := range outOfResources {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// sentCommitment checks that p is the packet this chain committed under
// its sequence: done (a NOOP) when the commitment is gone.
func sentCommitment(kv state.KV, p packet.Packet) (done bool, err error) {
	c, err := kv.Get(packet.CommitmentKey(p.SourceClient, p.Sequence))
	if err != nil || c == nil {
		return c == nil && err == nil, err
	}
	if !bytes.Equal(c, packet.CommitPacket(p)) {
		return false, fmt.Errorf("%w: %s/%d", ErrCommitmentMismatch, p.SourceClient, p.Sequence)
	}
	return false, nil
}

// clearSent deletes a finished packet's commitment and record, returning
// the record's deposit to whoever paid it.
func clearSent(ctx *router.Context, p packet.Packet) error {
	kv := ctx.Store()
	if err := kv.Delete(packet.CommitmentKey(p.SourceClient, p.Sequence)); err != nil {
		return err
	}
	var rec sentPacket
	if _, err := native.GetRecord(kv, packetKey(p.SourceClient, p.Sequence), &rec); err != nil {
		return err
	}
	return ctx.BilledStore(rec.Payer, CategoryPackets).Delete(packetKey(p.SourceClient, p.Sequence))
}

// acknowledge is ibc-go's Acknowledgement.
func (m *Module) acknowledge(ctx *router.Context, a AckArgs) (string, error) {
	p, ack, kv := a.Packet, a.Acknowledgement, ctx.Store()
	if err := p.Validate(); err != nil {
		return "", err
	}
	if err := ack.Validate(); err != nil {
		return "", err
	}
	if ack.Success() && len(ack.AppAcks) != len(p.Payloads) {
		return "", fmt.Errorf("%w: %d app acknowledgements for %d payloads", packet.ErrInvalidAck, len(ack.AppAcks), len(p.Payloads))
	}
	cp, err := counterpartyOf(kv, p.SourceClient, p.DestClient)
	if err != nil {
		return "", err
	}
	if done, err := sentCommitment(kv, p); err != nil || done {
		return ResultNoop, err
	}
	cl, at, err := proofTarget(kv, p.SourceClient, a.ProofHeight)
	if err != nil {
		return "", err
	}
	key := keyOn(cp, packet.AckKey(p.DestClient, p.Sequence))
	if err := lightclient.VerifyMembership(cl.cs, cl.latest, at, now(ctx), a.ProofAcked, key, packet.CommitAck(ack)); err != nil {
		return "", fmt.Errorf("acknowledgement %s/%d at height %d: %w", p.DestClient, p.Sequence, a.ProofHeight, err)
	}
	if err := clearSent(ctx, p); err != nil {
		return "", err
	}
	for i, pl := range p.Payloads {
		app, ok := m.app(pl.SourcePort)
		if !ok {
			continue
		}
		appAck := packet.ErrorAck
		if ack.Success() {
			appAck = ack.AppAcks[i]
		}
		if err := app.OnAck(ctx, p, pl, appAck); err != nil {
			return "", fmt.Errorf("payload %d (%s) acknowledgement: %w", i, pl.SourcePort, err)
		}
	}
	return ResultSuccess, native.Emit(ctx, "acknowledge_packet", packetEvent(p))
}

// timeout is ibc-go's Timeout.
func (m *Module) timeout(ctx *router.Context, a TimeoutArgs) (string, error) {
	p, kv := a.Packet, ctx.Store()
	if err := p.Validate(); err != nil {
		return "", err
	}
	cp, err := counterpartyOf(kv, p.SourceClient, p.DestClient)
	if err != nil {
		return "", err
	}
	cl, at, err := proofTarget(kv, p.SourceClient, a.ProofHeight)
	if err != nil {
		return "", err
	}
	if ts := uint64(at.Timestamp.Unix()); ts < p.TimeoutTimestamp {
		return "", fmt.Errorf("%w: the counterparty's time at height %d is %d, before the timeout %d", ErrTimeout, a.ProofHeight, ts, p.TimeoutTimestamp)
	}
	if done, err := sentCommitment(kv, p); err != nil || done {
		return ResultNoop, err
	}
	key := keyOn(cp, packet.ReceiptKey(p.DestClient, p.Sequence))
	if err := lightclient.VerifyNonMembership(cl.cs, cl.latest, at, now(ctx), a.ProofUnreceived, key); err != nil {
		return "", fmt.Errorf("receipt absence %s/%d at height %d: %w", p.DestClient, p.Sequence, a.ProofHeight, err)
	}
	if err := clearSent(ctx, p); err != nil {
		return "", err
	}
	for i, pl := range p.Payloads {
		if app, ok := m.app(pl.SourcePort); ok {
			if err := app.OnTimeout(ctx, p, pl); err != nil {
				return "", fmt.Errorf("payload %d (%s) timeout: %w", i, pl.SourcePort, err)
			}
		}
	}
	return ResultSuccess, native.Emit(ctx, "timeout_packet", packetEvent(p))
}
