package app

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/moduleid"
	"github.com/vsys/vsys/internal/testkit"
	"github.com/vsys/vsys/internal/testkit/chain"
	"github.com/vsys/vsys/modules/billing"
	"github.com/vsys/vsys/modules/interchain"
	"github.com/vsys/vsys/modules/interchain/lightclient"
	"github.com/vsys/vsys/modules/interchain/lightclient/lctest"
	"github.com/vsys/vsys/modules/interchain/packet"
	"github.com/vsys/vsys/modules/interchain/transfer"
)

// TestInterchainThroughTheApp: a default chain runs the interchain
// module: a signed tx creates a light client, a query lists it, and a
// transfer through a client with no counterparty fails with the
// module's own result code, its funds untouched.
func TestInterchainThroughTheApp(t *testing.T) {
	h := newHarness(t)
	vals := lctest.NewValidators("other", 4, 10)
	at := time.Unix(chain.GenesisTime, 0).UTC()
	cs := lightclient.ClientState{ChainID: "other", TrustLevel: lightclient.DefaultTrustLevel, TrustingPeriod: time.Hour,
		UnbondingPeriod: 2 * time.Hour, MaxClockDrift: 10 * time.Second, LatestHeight: 5}
	res := h.ok(alice, 5_000_000, contractCall(interchain.Address, "create_client", interchain.CreateClientArgs{
		ClientState:    lightclient.EncodeClientState(cs),
		ConsensusState: lightclient.EncodeConsensusState(lctest.ConsensusState(lctest.Block{ChainID: "other", Height: 5, Time: at, AppHash: []byte("root"), Vals: vals})),
	}))
	var id string
	require.NoError(t, codec.Unmarshal(res.Data, &id))
	require.Equal(t, "07-tendermint-0", id)

	out, _, err := h.app.Call(t.Context(), 0, interchain.Address, "clients", mustMarshal(interchain.ClientsArgs{Now: at.Unix() + 10}), 1_000_000)
	require.NoError(t, err)
	var infos []interchain.ClientInfo
	require.NoError(t, codec.Unmarshal(out, &infos))
	require.Len(t, infos, 1)
	require.Equal(t, "Active", infos[0].Status)
	require.Equal(t, at.Add(time.Hour).Unix(), infos[0].ExpiresAt)

	before := h.balance(addr(alice), "VSYS")
	r := h.block(h.sign(alice, 5_000_000, contractCall(interchain.Address, "transfer", interchain.TransferArgs{
		SourceClient: id, Denom: "VSYS", Amount: codec.NewU128(5), Receiver: addr(bob).String(), TimeoutTimestamp: uint64(at.Unix() + 600)})))[0]
	require.Equal(t, moduleid.NameInterchain, r.Codespace, r.Log)
	require.Equal(t, uint32(3), r.Code, r.Log)
	require.Equal(t, 1, before.Cmp(h.balance(addr(alice), "VSYS")), "the fee was paid")
	require.True(t, h.balance(transfer.EscrowAddress(id), "VSYS").IsZero(), "the escrow was undone with the call")
}

// TestInterchainReceiveAndTimeoutThroughTheApp runs the packet path in
// the real app, with billing on: a counterparty B (a real IAVL store
// whose roots lctest validators sign) commits a transfer to bob, which
// the app receives with a proof and mints as a voucher through the
// wired voucher grant; alice's transfer back times out and is refunded,
// and the deposit her packet record took goes back to her although bob
// relayed the timeout.
func TestInterchainReceiveAndTimeoutThroughTheApp(t *testing.T) {
	h := newHarness(t)
	b := testkit.OpenStore(t)
	vals := lctest.NewValidators("b", 4, 10)
	const clientOnB, clientOnA = "07-tendermint-0", "07-tendermint-0"
	nextTime := func() time.Time { return time.Unix(chain.GenesisTime+h.Height()+1, 0).UTC() }
	prefix := interchain.MerklePrefix()[0]

	// B commits a packet to bob.
	data := transfer.PacketData{Denom: "BCOIN", Amount: "77", Sender: addr(carol).String(), Receiver: addr(bob).String()}
	in := packet.Packet{Sequence: 1, SourceClient: clientOnB, DestClient: clientOnA, TimeoutTimestamp: uint64(nextTime().Unix() + 3600),
		Payloads: []packet.Payload{{SourcePort: "transfer", DestPort: "transfer", Version: transfer.Version, Encoding: transfer.EncodingJSON, Value: data.Encode()}}}
	require.NoError(t, b.Working().Set(packet.FullKey(prefix, packet.CommitmentKey(clientOnB, 1)), packet.CommitPacket(in)))
	commitB := func() int64 {
		_, v, err := b.Commit()
		require.NoError(t, err)
		return v
	}
	v1 := commitB()
	headerOf := func(v int64, at time.Time) lctest.Block {
		root, err := b.HashAt(v)
		require.NoError(t, err)
		return lctest.Block{ChainID: "chain-b", Height: v + 1, Time: at, AppHash: root, Vals: vals}
	}
	proofOf := func(v int64, path []byte) []byte {
		_, p, err := b.Prove(v, packet.FullKey(prefix, path))
		require.NoError(t, err)
		pb, err := lightclient.EncodeProof(p)
		require.NoError(t, err)
		return pb
	}

	cs := lightclient.ClientState{ChainID: "chain-b", TrustLevel: lightclient.DefaultTrustLevel, TrustingPeriod: time.Hour,
		UnbondingPeriod: 2 * time.Hour, MaxClockDrift: 10 * time.Second, LatestHeight: uint64(v1 + 1)}
	trustedAt := nextTime().Add(-time.Second)
	h.ok(alice, 5_000_000, contractCall(interchain.Address, "create_client", interchain.CreateClientArgs{
		ClientState: lightclient.EncodeClientState(cs), ConsensusState: lightclient.EncodeConsensusState(lctest.ConsensusState(headerOf(v1, trustedAt)))}))
	h.ok(alice, 5_000_000, contractCall(interchain.Address, "register_counterparty", interchain.RegisterArgs{
		ClientID: clientOnA, CounterpartyClientID: clientOnB, CounterpartyMerklePrefix: interchain.MerklePrefix()}))

	res := h.ok(bob, 900_000, contractCall(interchain.Address, "recv_packet", interchain.RecvPacketArgs{
		Packet: in, ProofCommitment: proofOf(v1, packet.CommitmentKey(clientOnB, 1)), ProofHeight: uint64(v1 + 1)}))
	var result string
	require.NoError(t, codec.Unmarshal(res.Data, &result))
	require.Equal(t, interchain.ResultSuccess, result)
	voucher := transfer.ParseDenom("transfer/" + clientOnA + "/BCOIN").LocalDenom()
	require.Equal(t, "77", h.balance(addr(bob), voucher).String(), "minted through the app's voucher grant")

	// alice sends 5 VSYS to B with a timeout a few seconds out.
	deadline := nextTime().Unix() + 3
	before := h.balance(addr(alice), "VSYS")
	res = h.ok(alice, 5_000_000, contractCall(interchain.Address, "transfer", interchain.TransferArgs{
		SourceClient: clientOnA, Denom: "VSYS", Amount: codec.NewU128(5), Receiver: addr(carol).String(), TimeoutTimestamp: uint64(deadline)}))
	fee := codec.NewU128(uint64(res.GasUsed)) // gas price 1
	escrow := transfer.EscrowAddress(clientOnA)
	require.Equal(t, "5", h.balance(escrow, "VSYS").String())
	bill, err := billing.ReadBill(h.app.Store().Working(), addr(alice))
	require.NoError(t, err)
	require.Contains(t, fmt.Sprint(bill.Categories), interchain.CategoryPackets, "the packet record is billed to its sender")
	afterSend := h.balance(addr(alice), "VSYS")
	require.Equal(t, -1, afterSend.Cmp(before))

	// B never receives it; its clock passes the deadline; bob relays the
	// timeout with B's proof that no receipt exists.
	for nextTime().Unix() < deadline+2 {
		h.block()
	}
	v2 := commitB()
	hdr, err := lightclient.EncodeHeader(lctest.Header(headerOf(v2, time.Unix(deadline, 0).UTC()), uint64(v1+1), vals))
	require.NoError(t, err)
	h.ok(bob, 900_000, contractCall(interchain.Address, "update_client", interchain.UpdateClientArgs{ClientID: clientOnA, Header: hdr}))
	var pend []packet.Packet
	out, _, err := h.app.Call(t.Context(), 0, interchain.Address, "pending", mustMarshal(interchain.PendingArgs{ClientID: clientOnA}), 1_000_000)
	require.NoError(t, err)
	require.NoError(t, codec.Unmarshal(out, &pend))
	require.Len(t, pend, 1)
	h.ok(bob, 900_000, contractCall(interchain.Address, "timeout", interchain.TimeoutArgs{
		Packet: pend[0], ProofUnreceived: proofOf(v2, packet.ReceiptKey(clientOnB, pend[0].Sequence)), ProofHeight: uint64(v2 + 1)}))
	require.True(t, h.balance(escrow, "VSYS").IsZero())
	refunded := h.balance(addr(alice), "VSYS")
	require.Equal(t, 1, refunded.Cmp(afterSend), "the 5 and the record's deposit came back")
	spent, err := before.Sub(refunded)
	require.NoError(t, err)
	require.Equal(t, 1, spent.Cmp(codec.U128{}), "only the fee is gone")
	require.Equal(t, 0, spent.Cmp(fee), "exactly the fee: %s", spent)
	bill, err = billing.ReadBill(h.app.Store().Working(), addr(alice))
	require.NoError(t, err)
	require.NotContains(t, fmt.Sprint(bill.Categories), interchain.CategoryPackets)
}
