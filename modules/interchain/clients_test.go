package interchain_test

import (
	"crypto/sha256"
	"testing"
	"time"

	cmted25519 "github.com/cometbft/cometbft/crypto/ed25519"
	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/modules/interchain"
	"github.com/vsys/vsys/modules/interchain/lightclient"
	"github.com/vsys/vsys/modules/interchain/lightclient/lctest"
	"github.com/vsys/vsys/modules/interchain/packet"
	"github.com/vsys/vsys/modules/staking"
)

func (c *chain) status(id string) interchain.ClientInfo {
	c.t.Helper()
	var ci interchain.ClientInfo
	c.query(interchain.Address, "client", interchain.ClientArgs{ClientID: id}, &ci)
	return ci
}

// conflicting is a header of src at its next height with another app
// hash, signed by all of src's validators: what a double-signing set
// makes.
func conflicting(c *chain, id string, src *chain) *lightclient.Header {
	b := src.block(src.height())
	fake := sha256.Sum256([]byte("another state"))
	b.AppHash = fake[:]
	return lctest.Header(b, c.trusted[id], src.vals)
}

// TestMisbehaviourFreezes: two headers at one height with different app
// hashes, both signed by B's validators, freeze A's client of B; then
// nothing goes through it — no update, no send, no receive.
func TestMisbehaviourFreezes(t *testing.T) {
	l := newLink(t)
	p := l.transfer(alice, coin, 50, bob, false, 0) // B→A, in flight
	honest := lctest.Header(l.b.block(l.b.height()), l.a.trusted[l.ab], l.b.vals)
	mb, err := lightclient.EncodeMisbehaviour(&lightclient.Misbehaviour{Header1: honest, Header2: conflicting(l.a, l.ab, l.b)})
	require.NoError(t, err)

	notMb, err := lightclient.EncodeMisbehaviour(&lightclient.Misbehaviour{Header1: honest, Header2: honest})
	require.NoError(t, err)
	refused(t, l.a, lightclient.ErrNotMisbehaviour, "submit_misbehaviour", interchain.MisbehaviourArgs{ClientID: l.ab, Misbehaviour: notMb})

	var res interchain.UpdateResult
	l.a.must(relayer, "submit_misbehaviour", interchain.MisbehaviourArgs{ClientID: l.ab, Misbehaviour: mb}, &res)
	require.Equal(t, "Frozen", res.Status)
	l.a.commit()
	require.Equal(t, "Frozen", l.a.status(l.ab).Status)

	hdr, err := lightclient.EncodeHeader(honest)
	require.NoError(t, err)
	refused(t, l.a, lightclient.ErrFrozen, "update_client", interchain.UpdateClientArgs{ClientID: l.ab, Header: hdr})
	h := l.a.trusted[l.ab]
	refused(t, l.a, lightclient.ErrFrozen, "recv_packet", interchain.RecvPacketArgs{Packet: p, ProofCommitment: l.b.prove(h, packet.CommitmentKey(l.ba, p.Sequence)), ProofHeight: h})
	refusedBy(t, l.a, alice, interchain.ErrClientNotActive, "transfer", interchain.TransferArgs{SourceClient: l.ab, Denom: coin, Amount: u(1),
		Receiver: bob.String(), TimeoutTimestamp: uint64(l.a.next.Add(time.Hour).Unix())})
}

// TestConflictingUpdateFreezes: an update to a height the client has,
// with another consensus state, is misbehaviour: it freezes the client
// and the update call itself succeeds (the header is the evidence).
func TestConflictingUpdateFreezes(t *testing.T) {
	l := newLink(t)
	h0 := l.a.trusted[l.ab]
	h := l.a.updateClient(l.ab, l.b)
	hdr := conflicting(l.a, l.ab, l.b)
	hdr.TrustedHeight = h0
	require.Equal(t, h, hdr.Height())
	b, err := lightclient.EncodeHeader(hdr)
	require.NoError(t, err)
	var res interchain.UpdateResult
	l.a.must(relayer, "update_client", interchain.UpdateClientArgs{ClientID: l.ab, Header: b}, &res)
	require.Equal(t, "Frozen", res.Status)
	require.Equal(t, "Frozen", l.a.status(l.ab).Status)
	var cons interchain.ConsensusInfo
	l.a.query(interchain.Address, "consensus_state", interchain.ConsensusArgs{ClientID: l.ab, Height: h}, &cons)
	require.Equal(t, lctest.ConsensusState(l.b.block(int64(h))).Root, cons.Root, "the honest consensus state stays")
}

// TestExpiredClientRefuses: past its trusting period a client takes no
// update and no send; its status says Expired.
func TestExpiredClientRefuses(t *testing.T) {
	l := newLink(t)
	l.a.advance(3 * time.Hour)
	require.Equal(t, "Expired", l.a.status(l.ab).Status)
	hdr, err := lightclient.EncodeHeader(lctest.Header(l.b.block(l.b.height()), l.a.trusted[l.ab], l.b.vals))
	require.NoError(t, err)
	refused(t, l.a, lightclient.ErrExpired, "update_client", interchain.UpdateClientArgs{ClientID: l.ab, Header: hdr})
	refusedBy(t, l.a, alice, interchain.ErrClientNotActive, "transfer", interchain.TransferArgs{SourceClient: l.ab, Denom: coin, Amount: u(1),
		Receiver: bob.String(), TimeoutTimestamp: uint64(l.a.next.Add(time.Hour).Unix())})
}

// validatorChain is a chain whose staking module (PoA) has the given
// validator accounts, power 10 each.
func withValidators(c *chain, keys ...cmted25519.PrivKey) []address.Address {
	c.t.Helper()
	st := staking.New(staking.DefaultParams(), c.r.Bank())
	c.r.Register(staking.Name, staking.Address, st)
	var gv []staking.GenesisValidator
	var addrs []address.Address
	for _, k := range keys {
		pub := k.PubKey().Bytes()
		gv = append(gv, staking.GenesisValidator{PubKey: pub, Power: 10})
		addrs = append(addrs, address.FromPubKey(pub))
	}
	require.NoError(c.t, st.InitGenesis(c.store.Working(), gv, 1))
	return addrs
}

// TestRecoveryByValidatorVote: a frozen client comes back only when
// validators holding more than 2/3 of the power vote for the same
// substitute; then packets flow through it again.
func TestRecoveryByValidatorVote(t *testing.T) {
	l := newLink(t)
	vals := withValidators(l.a, cmted25519.GenPrivKeyFromSecret([]byte("v0")), cmted25519.GenPrivKeyFromSecret([]byte("v1")),
		cmted25519.GenPrivKeyFromSecret([]byte("v2")))
	l.a.commit()
	honest := lctest.Header(l.b.block(l.b.height()), l.a.trusted[l.ab], l.b.vals)
	mb, err := lightclient.EncodeMisbehaviour(&lightclient.Misbehaviour{Header1: honest, Header2: conflicting(l.a, l.ab, l.b)})
	require.NoError(t, err)
	l.a.must(relayer, "submit_misbehaviour", interchain.MisbehaviourArgs{ClientID: l.ab, Misbehaviour: mb}, nil)
	l.b.commit()
	substitute := l.a.createClientOf(l.b)
	l.a.commit()

	args := interchain.RecoverArgs{SubjectClientID: l.ab, SubstituteClientID: substitute}
	refusedBy(t, l.a, alice, interchain.ErrUnauthorized, "recover_client", args)
	refusedBy(t, l.a, vals[0], lightclient.ErrSubstitute, "recover_client", interchain.RecoverArgs{SubjectClientID: substitute, SubstituteClientID: l.ab})
	var res interchain.RecoverResult
	l.a.must(vals[0], "recover_client", args, &res)
	require.Equal(t, interchain.RecoverResult{VotedPower: 10, TotalPower: 30}, res)
	l.a.must(vals[0], "recover_client", args, &res)
	require.Equal(t, interchain.RecoverResult{VotedPower: 10, TotalPower: 30}, res, "one vote each")
	l.a.must(vals[1], "recover_client", args, &res)
	require.Equal(t, interchain.RecoverResult{VotedPower: 20, TotalPower: 30}, res, "2/3 is not more than 2/3")
	require.Equal(t, "Frozen", l.a.status(l.ab).Status)
	l.a.must(vals[2], "recover_client", args, &res)
	require.Equal(t, interchain.RecoverResult{VotedPower: 30, TotalPower: 30, Recovered: true}, res)
	l.a.commit()
	st := l.a.status(l.ab)
	require.Equal(t, "Active", st.Status)
	require.Equal(t, l.a.trusted[substitute], st.LatestHeight)

	// Packets flow again: B→A through the recovered client.
	l.a.trusted[l.ab] = st.LatestHeight
	p := l.transfer(alice, coin, 5, bob, false, 0)
	require.Equal(t, interchain.ResultSuccess, recv(l.b, l.a, l.ab, p))
	require.Equal(t, u(5), l.a.balance(bob, voucherOf(l.ab)))
}
