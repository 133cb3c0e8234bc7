package interchain_test

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/gas"
	"github.com/vsys/vsys/internal/testkit"
	"github.com/vsys/vsys/modules/interchain"
	"github.com/vsys/vsys/modules/interchain/lightclient"
	"github.com/vsys/vsys/modules/interchain/lightclient/lctest"
	"github.com/vsys/vsys/modules/interchain/packet"
	"github.com/vsys/vsys/modules/interchain/transfer"
	"github.com/vsys/vsys/modules/token"
)

// voucherOf is the voucher on the chain whose client is client for
// VSYS arriving through it: ibc-go's "ibc/" + upper-hex sha256(trace).
func voucherOf(client string) string {
	h := sha256.Sum256([]byte("transfer/" + client + "/" + coin))
	return "ibc/" + strings.ToUpper(hex.EncodeToString(h[:]))
}

func (l *link) transfer(from address.Address, denom string, amount uint64, to address.Address, onA bool, timeout uint64) packet.Packet {
	l.a.t.Helper()
	src, client := l.a, l.ab
	if !onA {
		src, client = l.b, l.ba
	}
	if timeout == 0 {
		timeout = uint64(src.next.Add(time.Hour).Unix())
	}
	var seq uint64
	src.must(from, "transfer", interchain.TransferArgs{SourceClient: client, Denom: denom, Amount: u(amount), Receiver: to.String(), TimeoutTimestamp: timeout}, &seq)
	src.commit()
	return sent(src, client, seq)
}

// conserved checks ICS-20's invariant at the current heights: what A's
// escrow for B holds is the vouchers outstanding on B plus what is in
// flight (sent from A and not yet received, or burned on B and not yet
// released on A).
func (l *link) conserved(escrowed, inFlight uint64) {
	l.a.t.Helper()
	require.Equal(l.a.t, u(escrowed), l.a.balance(transfer.EscrowAddress(l.ab), coin), "escrow on A")
	require.Equal(l.a.t, u(escrowed-inFlight), l.b.supply(voucherOf(l.ba)), "vouchers on B")
	var total codec.U128
	l.a.query(interchain.Address, "total_escrow", interchain.DenomArgs{Denom: coin}, &total)
	require.Equal(l.a.t, u(escrowed), total, "A's escrow record")
}

func (l *link) pending(c *chain, client string) []packet.Packet {
	var ps []packet.Packet
	c.query(interchain.Address, "pending", interchain.PendingArgs{ClientID: client}, &ps)
	return ps
}

// TestTransferThereAndBack: VSYS goes A→B as a voucher and part of it
// comes back, with exact balances, every packet acknowledged, and
// escrow = vouchers at every step.
func TestTransferThereAndBack(t *testing.T) {
	l := newLink(t)
	l.conserved(0, 0)

	p := l.transfer(alice, coin, 100, bob, true, 0)
	require.Equal(t, packet.Packet{Sequence: 1, SourceClient: l.ab, DestClient: l.ba, TimeoutTimestamp: p.TimeoutTimestamp, Payloads: []packet.Payload{{
		SourcePort: "transfer", DestPort: "transfer", Version: "ics20-1", Encoding: "application/json",
		Value: []byte(`{"denom":"VSYS","amount":"100","sender":"` + alice.String() + `","receiver":"` + bob.String() + `"}`),
	}}}, p)
	require.Equal(t, u(1_000_000-100), l.a.balance(alice, coin))
	l.conserved(100, 100)

	require.Equal(t, interchain.ResultSuccess, recv(l.a, l.b, l.ba, p))
	v := voucherOf(l.ba)
	require.Equal(t, u(100), l.b.balance(bob, v))
	var path string
	l.b.query(interchain.Address, "denom_trace", interchain.DenomArgs{Denom: v}, &path)
	require.Equal(t, "transfer/"+l.ba+"/VSYS", path)
	l.conserved(100, 0)
	require.Len(t, l.pending(l.a, l.ab), 1, "sent, not yet acknowledged")

	require.Equal(t, interchain.ResultSuccess, ack(l.a, l.b, l.ab, p))
	require.Empty(t, l.pending(l.a, l.ab))
	var e interchain.Entry
	l.a.query(interchain.Address, "commitment", interchain.SeqArgs{ClientID: l.ab, Sequence: 1}, &e)
	require.False(t, e.Found, "the commitment goes with the acknowledgement")

	// Back: bob sends 40 of the voucher to carol on A; it is burned on B
	// and released from A's escrow.
	back := l.transfer(bob, v, 40, carol, false, 0)
	require.Equal(t, u(60), l.b.balance(bob, v))
	l.conserved(100, 40)
	require.Equal(t, interchain.ResultSuccess, recv(l.b, l.a, l.ab, back))
	require.Equal(t, u(40), l.a.balance(carol, coin))
	l.conserved(60, 0)
	require.Equal(t, interchain.ResultSuccess, ack(l.b, l.a, l.ba, back))
	require.Empty(t, l.pending(l.b, l.ba))
	require.Equal(t, u(1_000_000-100), l.a.balance(alice, coin))
	require.Equal(t, u(1_000_000-60), sum(l.a.balance(alice, coin), l.a.balance(carol, coin)), "A keeps all but what B holds")
}

func sum(a, b codec.U128) codec.U128 {
	s, err := a.Add(b)
	if err != nil {
		panic(err)
	}
	return s
}

// TestUserTokenTransfer: a user token is escrowed like the native coin
// and becomes its own voucher on B, which goes home again.
func TestUserTokenTransfer(t *testing.T) {
	l := newLink(t)
	tok := func(method string, args any) {
		_, err := l.a.r.Call(l.a.env(alice, false), l.a.store.Working(), alice, token.Address, method, testkit.Marshal(t, args), nil)
		require.NoError(t, err, method)
	}
	tok("create", token.CreateArgs{Symbol: "GOLD", Name: "Gold", Decimals: 2, MaxSupply: u(1000)})
	tok("issue", token.IssueArgs{Token: "GOLD", Amount: u(500)})
	l.a.commit()

	p := l.transfer(alice, "GOLD", 30, bob, true, 0)
	require.Equal(t, u(30), l.a.balance(transfer.EscrowAddress(l.ab), "GOLD"))
	require.Equal(t, interchain.ResultSuccess, recv(l.a, l.b, l.ba, p))
	h := sha256.Sum256([]byte("transfer/" + l.ba + "/GOLD"))
	gold := "ibc/" + strings.ToUpper(hex.EncodeToString(h[:]))
	require.Equal(t, u(30), l.b.balance(bob, gold))
	require.Equal(t, interchain.ResultSuccess, ack(l.a, l.b, l.ab, p))

	back := l.transfer(bob, gold, 30, alice, false, 0)
	require.True(t, l.b.supply(gold).IsZero(), "burned on the way home")
	require.Equal(t, interchain.ResultSuccess, recv(l.b, l.a, l.ab, back))
	require.Equal(t, u(500), l.a.balance(alice, "GOLD"))
	require.True(t, l.a.balance(transfer.EscrowAddress(l.ab), "GOLD").IsZero())
}

// TestHeaderSignaturesCostGas: an update pays sig_verify for each
// signature it asks the light client to check; short of it, the update
// runs out of gas and changes nothing.
func TestHeaderSignaturesCostGas(t *testing.T) {
	l := newLink(t)
	hdr, err := lightclient.EncodeHeader(lctest.Header(l.b.block(l.b.height()), l.a.trusted[l.ab], l.b.vals))
	require.NoError(t, err)
	args := testkit.Marshal(t, interchain.UpdateClientArgs{ClientID: l.ab, Header: hdr})
	before := l.a.dump()
	env := l.a.env(relayer, false)
	env.Gas = gas.NewMeter(l.a.r.Costs().SigVerify * 4) // the call's other costs come on top: not enough
	_, err = l.a.r.Call(env, l.a.store.Working(), relayer, interchain.Address, "update_client", args, nil)
	require.ErrorIs(t, err, gas.ErrOutOfGas)
	require.Equal(t, before, l.a.dump())

	env = l.a.env(relayer, false)
	_, err = l.a.r.Call(env, l.a.store.Working(), relayer, interchain.Address, "update_client", args, nil)
	require.NoError(t, err)
	require.Greater(t, env.Gas.Used(), 4*l.a.r.Costs().SigVerify, "four signatures and the rest of the update")
}
