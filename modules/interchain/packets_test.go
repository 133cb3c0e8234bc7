package interchain_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/gas"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/core/state"
	"github.com/vsys/vsys/internal/testkit"
	"github.com/vsys/vsys/modules/interchain"
	"github.com/vsys/vsys/modules/interchain/lightclient"
	"github.com/vsys/vsys/modules/interchain/packet"
	"github.com/vsys/vsys/modules/interchain/transfer"
)

// refused checks that a call by the relayer fails with want and leaves
// the state as it was.
func refused(t *testing.T, c *chain, want error, method string, args any) {
	t.Helper()
	refusedBy(t, c, relayer, want, method, args)
}

// TestReplaysAreNoops: a packet received twice, or acknowledged twice,
// is a NOOP the second time — not an error, and nothing changes.
func TestReplaysAreNoops(t *testing.T) {
	l := newLink(t)
	p := l.transfer(alice, coin, 100, bob, true, 0)
	require.Equal(t, interchain.ResultSuccess, recv(l.a, l.b, l.ba, p))

	before := l.b.dump()
	h := l.b.trusted[l.ba]
	var res string
	l.b.must(relayer, "recv_packet", interchain.RecvPacketArgs{Packet: p, ProofCommitment: l.a.prove(h, packet.CommitmentKey(l.ab, 1)), ProofHeight: h}, &res)
	require.Equal(t, interchain.ResultNoop, res)
	require.Equal(t, before, l.b.dump())
	require.Equal(t, u(100), l.b.balance(bob, voucherOf(l.ba)), "minted once")

	require.Equal(t, interchain.ResultSuccess, ack(l.a, l.b, l.ab, p))
	var a interchain.AckEntry
	l.b.query(interchain.Address, "acknowledgement", interchain.SeqArgs{ClientID: l.ba, Sequence: 1}, &a)
	h = l.a.trusted[l.ab]
	before = l.a.dump()
	l.a.must(relayer, "acknowledge", interchain.AckArgs{Packet: p, Acknowledgement: a.Acknowledgement,
		ProofAcked: l.b.prove(h, packet.AckKey(l.ba, 1)), ProofHeight: h}, &res)
	require.Equal(t, interchain.ResultNoop, res)
	require.Equal(t, before, l.a.dump())
}

// TestTimeoutRefunds: a packet nobody relays in time cannot be received
// after its timeout, cannot be timed out before it, and once timed out
// with a proof that B never received it, the sender has everything back.
func TestTimeoutRefunds(t *testing.T) {
	l := newLink(t)
	deadline := uint64(l.a.next.Add(5 * time.Second).Unix())
	p := l.transfer(alice, coin, 100, bob, true, deadline)
	l.conserved(100, 100)

	// Too early: B's time at the proof height is before the deadline.
	h := l.a.updateClient(l.ab, l.b)
	l.a.commit()
	refused(t, l.a, interchain.ErrTimeout, "timeout", interchain.TimeoutArgs{Packet: p, ProofUnreceived: l.b.prove(h, packet.ReceiptKey(l.ba, 1)), ProofHeight: h})

	// Both clocks pass the deadline; B can no longer receive it.
	l.a.advance(10 * time.Second)
	l.b.advance(10 * time.Second)
	hb := l.b.updateClient(l.ba, l.a)
	refused(t, l.b, interchain.ErrTimeout, "recv_packet", interchain.RecvPacketArgs{Packet: p, ProofCommitment: l.a.prove(hb, packet.CommitmentKey(l.ab, 1)), ProofHeight: hb})
	l.b.commit()

	h = l.a.updateClient(l.ab, l.b)
	var res string
	l.a.must(relayer, "timeout", interchain.TimeoutArgs{Packet: p, ProofUnreceived: l.b.prove(h, packet.ReceiptKey(l.ba, 1)), ProofHeight: h}, &res)
	require.Equal(t, interchain.ResultSuccess, res)
	require.Equal(t, u(1_000_000), l.a.balance(alice, coin), "refunded exactly")
	l.conserved(0, 0)
	require.Empty(t, l.pending(l.a, l.ab))
	before := l.a.dump()
	l.a.must(relayer, "timeout", interchain.TimeoutArgs{Packet: p, ProofUnreceived: l.b.prove(h, packet.ReceiptKey(l.ba, 1)), ProofHeight: h}, &res)
	require.Equal(t, interchain.ResultNoop, res)
	require.Equal(t, before, l.a.dump())
}

// TestErrorAckRefunds: a receive the transfer app refuses (the receiver
// is no address) writes the receipt and the error acknowledgement and
// mints nothing; the error acknowledgement refunds the sender exactly.
func TestErrorAckRefunds(t *testing.T) {
	l := newLink(t)
	var seq uint64
	l.a.must(alice, "transfer", interchain.TransferArgs{SourceClient: l.ab, Denom: coin, Amount: u(70), Receiver: "nobody",
		TimeoutTimestamp: uint64(l.a.next.Add(time.Hour).Unix())}, &seq)
	l.a.commit()
	p := sent(l.a, l.ab, seq)
	require.Equal(t, interchain.ResultSuccess, recv(l.a, l.b, l.ba, p))
	var a interchain.AckEntry
	l.b.query(interchain.Address, "acknowledgement", interchain.SeqArgs{ClientID: l.ba, Sequence: seq}, &a)
	require.Equal(t, [][]byte{packet.ErrorAck}, a.Acknowledgement.AppAcks)
	require.Equal(t, packet.CommitAck(a.Acknowledgement), a.Value)
	var rc interchain.Entry
	l.b.query(interchain.Address, "receipt", interchain.SeqArgs{ClientID: l.ba, Sequence: seq}, &rc)
	require.Equal(t, packet.Receipt, rc.Value)
	require.True(t, l.b.supply(voucherOf(l.ba)).IsZero(), "nothing minted")

	require.Equal(t, interchain.ResultSuccess, ack(l.a, l.b, l.ab, p))
	require.Equal(t, u(1_000_000), l.a.balance(alice, coin))
	l.conserved(0, 0)
}

// TestBadInputChangesNothing: each bad packet, proof or send is refused
// with its own error and leaves the state as it was.
func TestBadInputChangesNothing(t *testing.T) {
	l := newLink(t)
	p := l.transfer(alice, coin, 100, bob, true, 0)
	h1 := l.b.updateClient(l.ba, l.a)
	l.b.commit()
	l.transfer(alice, coin, 1, bob, true, 0) // A's root moves on: a proof at its new version is of another root
	h2 := l.b.updateClient(l.ba, l.a)
	proof := l.a.prove(h1, packet.CommitmentKey(l.ab, 1))

	forged := p
	forged.Payloads = []packet.Payload{p.Payloads[0]}
	forged.Payloads[0].Value = bytes.Replace(p.Payloads[0].Value, []byte(`"100"`), []byte(`"900"`), 1)
	refused(t, l.b, lightclient.ErrProof, "recv_packet", interchain.RecvPacketArgs{Packet: forged, ProofCommitment: proof, ProofHeight: h1})
	garbled := bytes.Clone(proof)
	garbled[len(garbled)/2] ^= 1
	refused(t, l.b, lightclient.ErrProof, "recv_packet", interchain.RecvPacketArgs{Packet: p, ProofCommitment: garbled, ProofHeight: h1})
	otherKey := l.a.prove(h1, packet.NextSequenceSendKey(l.ab))
	refused(t, l.b, lightclient.ErrProof, "recv_packet", interchain.RecvPacketArgs{Packet: p, ProofCommitment: otherKey, ProofHeight: h1})
	refused(t, l.b, lightclient.ErrProof, "recv_packet", interchain.RecvPacketArgs{Packet: p, ProofCommitment: proof, ProofHeight: h2})
	refused(t, l.b, interchain.ErrConsensusNotFound, "recv_packet", interchain.RecvPacketArgs{Packet: p, ProofCommitment: proof, ProofHeight: h2 + 5})

	unregistered := p
	unregistered.DestClient = "07-tendermint-7"
	refused(t, l.b, interchain.ErrCounterpartyNotFound, "recv_packet", interchain.RecvPacketArgs{Packet: unregistered, ProofCommitment: proof, ProofHeight: h1})
	wrongSource := p
	wrongSource.SourceClient = "07-tendermint-3"
	refused(t, l.b, interchain.ErrCounterparty, "recv_packet", interchain.RecvPacketArgs{Packet: wrongSource, ProofCommitment: proof, ProofHeight: h1})
	// A client with no counterparty sends nothing.
	lone := l.a.createClientOf(l.b)
	refusedBy(t, l.a, alice, interchain.ErrCounterpartyNotFound, "transfer", interchain.TransferArgs{SourceClient: lone, Denom: coin, Amount: u(1), Receiver: bob.String(),
		TimeoutTimestamp: uint64(l.a.next.Add(time.Hour).Unix())})

	// Sends: too far ahead, already past, oversized, another's port.
	pl := packet.Payload{SourcePort: alice.String(), DestPort: "counter", Version: "v1", Encoding: "application/json", Value: []byte(`{}`)}
	in := func(d time.Duration) uint64 { return uint64(l.a.next.Add(d).Unix()) }
	refusedBy(t, l.a, alice, interchain.ErrTimeout, "transfer", interchain.TransferArgs{SourceClient: l.ab, Denom: coin, Amount: u(1), Receiver: bob.String(), TimeoutTimestamp: in(25 * time.Hour)})
	refusedBy(t, l.a, alice, interchain.ErrTimeout, "send_packet", interchain.SendPacketArgs{SourceClient: l.ab, TimeoutTimestamp: in(-time.Second), Payloads: []packet.Payload{pl}})
	big := pl
	big.Value = bytes.Repeat([]byte{'x'}, packet.MaxPayloadsSize+1)
	refusedBy(t, l.a, alice, packet.ErrInvalidPayload, "send_packet", interchain.SendPacketArgs{SourceClient: l.ab, TimeoutTimestamp: in(time.Hour), Payloads: []packet.Payload{big}})
	refusedBy(t, l.a, bob, interchain.ErrUnauthorized, "send_packet", interchain.SendPacketArgs{SourceClient: l.ab, TimeoutTimestamp: in(time.Hour), Payloads: []packet.Payload{pl}})
	transferPort := pl
	transferPort.SourcePort = "transfer"
	refusedBy(t, l.a, alice, interchain.ErrUnauthorized, "send_packet", interchain.SendPacketArgs{SourceClient: l.ab, TimeoutTimestamp: in(time.Hour), Payloads: []packet.Payload{transferPort}})
	refusedBy(t, l.a, alice, interchain.ErrUnauthorized, "register_counterparty", interchain.RegisterArgs{ClientID: lone, CounterpartyClientID: l.ba, CounterpartyMerklePrefix: interchain.MerklePrefix()})
	refused(t, l.a, interchain.ErrCounterparty, "register_counterparty", interchain.RegisterArgs{ClientID: l.ab, CounterpartyClientID: l.ba, CounterpartyMerklePrefix: interchain.MerklePrefix()})

	// The real packet and proof still go through afterwards.
	var res string
	l.b.must(relayer, "recv_packet", interchain.RecvPacketArgs{Packet: p, ProofCommitment: proof, ProofHeight: h1}, &res)
	require.Equal(t, interchain.ResultSuccess, res)

	// A good send from alice's own port is committed with ibc-go's bytes.
	var seq uint64
	l.a.must(alice, "send_packet", interchain.SendPacketArgs{SourceClient: l.ab, TimeoutTimestamp: in(time.Hour), Payloads: []packet.Payload{pl}}, &seq)
	var e interchain.Entry
	l.a.query(interchain.Address, "commitment", interchain.SeqArgs{ClientID: l.ab, Sequence: seq}, &e)
	require.Equal(t, packet.CommitPacket(packet.Packet{Sequence: seq, SourceClient: l.ab, DestClient: l.ba, TimeoutTimestamp: in(time.Hour), Payloads: []packet.Payload{pl}}), e.Value)
	require.Equal(t, packet.FullKey(interchain.MerklePrefix()[0], packet.CommitmentKey(l.ab, seq)), e.Key)
}

// refusedBy is refused for a call by caller.
func refusedBy(t *testing.T, c *chain, caller address.Address, want error, method string, args any) {
	t.Helper()
	before := c.dump()
	_, err := c.call(caller, method, args)
	require.ErrorIs(t, err, want, method)
	require.Equal(t, before, c.dump(), "%s changed state", method)
}

// TestRawPacketsAndForgedTransfers: a packet from an account's own port
// goes A→B and its acknowledgement back like any packet; to a port no
// application is bound to it gets the error acknowledgement. A payload
// dressed as a transfer but sent from an account's port mints nothing:
// only the transfer app's port speaks for it, and only the transfer
// method sends from that port.
func TestRawPacketsAndForgedTransfers(t *testing.T) {
	l := newLink(t)
	forged := transfer.PacketData{Denom: coin, Amount: "1000", Sender: alice.String(), Receiver: bob.String()}
	payloads := []packet.Payload{
		{SourcePort: alice.String(), DestPort: "counter", Version: "v1", Encoding: "application/json", Value: []byte(`{"add":1}`)},
		{SourcePort: alice.String(), DestPort: "transfer", Version: transfer.Version, Encoding: transfer.EncodingJSON, Value: forged.Encode()},
	}
	for i, pl := range payloads {
		var seq uint64
		l.a.must(alice, "send_packet", interchain.SendPacketArgs{SourceClient: l.ab, TimeoutTimestamp: uint64(l.a.next.Add(time.Hour).Unix()),
			Payloads: []packet.Payload{pl}}, &seq)
		require.Equal(t, uint64(i+1), seq)
		l.a.commit()
		p := sent(l.a, l.ab, seq)
		require.Equal(t, interchain.ResultSuccess, recv(l.a, l.b, l.ba, p))
		var a interchain.AckEntry
		l.b.query(interchain.Address, "acknowledgement", interchain.SeqArgs{ClientID: l.ba, Sequence: seq}, &a)
		require.Equal(t, [][]byte{packet.ErrorAck}, a.Acknowledgement.AppAcks, pl.DestPort)
		require.Equal(t, interchain.ResultSuccess, ack(l.a, l.b, l.ab, p))
	}
	require.True(t, l.b.supply(voucherOf(l.ba)).IsZero(), "the forged transfer minted nothing")
	require.Empty(t, l.pending(l.a, l.ab))
	var next uint64
	l.a.query(interchain.Address, "next_sequence", interchain.ClientArgs{ClientID: l.ab}, &next)
	require.Equal(t, uint64(3), next)
}

// TestUnreceivedAndUnacknowledged: the relayer's two questions — which
// packets has B not received, which has A not seen completed — answered
// from state as packets move.
func TestUnreceivedAndUnacknowledged(t *testing.T) {
	l := newLink(t)
	p1 := l.transfer(alice, coin, 1, bob, true, 0)
	p2 := l.transfer(alice, coin, 2, bob, true, 0)
	seqs := interchain.SeqsArgs{Sequences: []uint64{1, 2, 3}}
	ask := func(c *chain, method, client string) []uint64 {
		a := seqs
		a.ClientID = client
		var out []uint64
		c.query(interchain.Address, method, a, &out)
		return out
	}
	require.Equal(t, []uint64{1, 2, 3}, ask(l.b, "unreceived", l.ba))
	require.Equal(t, []uint64{1, 2}, ask(l.a, "unacknowledged", l.ab))
	recv(l.a, l.b, l.ba, p2)
	require.Equal(t, []uint64{1, 3}, ask(l.b, "unreceived", l.ba))
	ack(l.a, l.b, l.ab, p2)
	require.Equal(t, []uint64{1}, ask(l.a, "unacknowledged", l.ab))
	recv(l.a, l.b, l.ba, p1)
	ack(l.a, l.b, l.ab, p1)
	require.Empty(t, ask(l.a, "unacknowledged", l.ab))
	require.Equal(t, []uint64{3}, ask(l.b, "unreceived", l.ba))
}

// TestStarvedReceiveIsNoErrorAck: whatever gas a relayer gives a receive,
// it either runs out of gas (and nothing happens) or delivers the packet
// with a success acknowledgement — never an error acknowledgement that
// would refund a packet the receiver could have taken.
func TestStarvedReceiveIsNoErrorAck(t *testing.T) {
	l := newLink(t)
	p := l.transfer(alice, coin, 100, bob, true, 0)
	h := l.b.updateClient(l.ba, l.a)
	l.b.commit()
	args := testkit.Marshal(t, interchain.RecvPacketArgs{Packet: p, ProofCommitment: l.a.prove(h, packet.CommitmentKey(l.ab, 1)), ProofHeight: h})
	try := func(limit uint64) (*router.Env, state.KV, error) {
		env := l.b.env(relayer, false)
		env.Gas = gas.NewMeter(limit)
		kv := state.NewCache(l.b.store.Working()) // thrown away: each try starts from the same state
		_, err := l.b.r.Call(env, kv, relayer, interchain.Address, "recv_packet", args, nil)
		return env, kv, err
	}
	env, _, err := try(200_000_000)
	require.NoError(t, err)
	full := env.Gas.Used()
	limits := []uint64{full - 1, full}
	for i := uint64(0); i < 40; i++ {
		limits = append(limits, full*i/40)
	}
	for _, limit := range limits {
		_, kv, err := try(limit)
		if err != nil {
			require.ErrorIs(t, err, gas.ErrOutOfGas, "at %d of %d gas", limit, full)
			continue
		}
		b, err := router.StoreOf(kv, interchain.Address).Get(packet.AckKey(l.ba, 1))
		require.NoError(t, err)
		require.Equal(t, packet.CommitAck(packet.Acknowledgement{AppAcks: [][]byte{transfer.SuccessAck}}), b, "at %d of %d gas", limit, full)
	}
}
