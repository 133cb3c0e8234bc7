package interchain_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/gas"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/core/state"
	"github.com/vsys/vsys/internal/testkit"
	"github.com/vsys/vsys/modules/interchain"
	"github.com/vsys/vsys/modules/interchain/lightclient"
	"github.com/vsys/vsys/modules/interchain/lightclient/lctest"
	"github.com/vsys/vsys/modules/interchain/packet"
	"github.com/vsys/vsys/modules/token"
)

// The harness: two chains, each a real IAVL store on disk with the token
// and interchain modules on a router wired as the app wires them, and a
// validator set with real keys. Block h of a chain runs at time
// times[h] and commits store version h; the header of height h+1 carries
// version h's root as its app hash, as CometBFT's do, and is signed by
// the chain's validators. The "relayer" below is the test itself: it
// signs headers, updates clients and fetches proofs from the stores.

const coin = "VSYS"

var (
	t0      = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	alice   = address.Derive("interchain-test", []byte("alice"))
	bob     = address.Derive("interchain-test", []byte("bob"))
	carol   = address.Derive("interchain-test", []byte("carol"))
	relayer = address.Derive("interchain-test", []byte("relayer"))
)

func u(v uint64) codec.U128 { return codec.NewU128(v) }

type chain struct {
	t     testing.TB
	id    string
	store *state.Store
	r     *router.Router
	vals  *lctest.Validators
	times map[int64]time.Time // block time by height
	next  time.Time           // the time of the block being built
	// trusted is, per client on this chain, the height it was last
	// updated to.
	trusted map[string]uint64
}

func newChain(t testing.TB, id string) *chain {
	t.Helper()
	c := &chain{t: t, id: id, store: testkit.OpenStore(t), vals: lctest.NewValidators(id, 4, 10),
		times: map[int64]time.Time{}, next: t0.Add(time.Second), trusted: map[string]uint64{}}
	c.r = router.New(gas.DefaultCosts(), router.Limits{MaxCallDepth: 8, MaxEventBytes: 4 << 10})
	tok := token.New()
	c.r.Register("token", token.Address, tok)
	c.r.SetBank(tok)
	c.r.Register(interchain.Name, interchain.Address, interchain.New())
	c.r.SetVouchers(interchain.Address, tok)
	require.NoError(t, token.Genesis(c.store.Working(), token.Info{Symbol: coin, Name: "V Systems", Decimals: 8, MaxSupply: codec.MaxU128},
		[]token.Allocation{{Address: alice, Amount: u(1_000_000)}}))
	c.commit()
	return c
}

// height is the height of the block being built.
func (c *chain) height() int64 { return c.store.Version() + 1 }

func (c *chain) commit() {
	c.t.Helper()
	c.times[c.height()] = c.next
	_, _, err := c.store.Commit()
	require.NoError(c.t, err)
	c.next = c.next.Add(time.Second)
}

// advance moves the next block's time forward by d.
func (c *chain) advance(d time.Duration) { c.next = c.next.Add(d) }

func (c *chain) env(caller address.Address, readOnly bool) *router.Env {
	return &router.Env{Block: router.Block{Height: c.height(), Time: c.next, ChainID: c.id}, Origin: caller,
		Gas: gas.NewMeter(200_000_000), ReadOnly: readOnly}
}

// call runs a method of the interchain module in the block being built.
func (c *chain) call(caller address.Address, method string, args any) ([]byte, error) {
	c.t.Helper()
	return c.r.Call(c.env(caller, false), c.store.Working(), caller, interchain.Address, method, testkit.Marshal(c.t, args), nil)
}

func (c *chain) must(caller address.Address, method string, args, out any) {
	c.t.Helper()
	b, err := c.call(caller, method, args)
	require.NoError(c.t, err, "%s on %s", method, c.id)
	if out != nil {
		require.NoError(c.t, codec.Unmarshal(b, out))
	}
}

// query runs a read-only method of module at on the working state.
func (c *chain) query(at address.Address, method string, args, out any) {
	c.t.Helper()
	b, err := c.r.Call(c.env(address.Zero, true), state.NewReadOnly(c.store.Working()), address.Zero, at, method, testkit.Marshal(c.t, args), nil)
	require.NoError(c.t, err, "%s on %s", method, c.id)
	require.NoError(c.t, codec.Unmarshal(b, out))
}

func (c *chain) balance(a address.Address, denom string) codec.U128 {
	c.t.Helper()
	v, err := c.r.Bank().Ledger(c.store.Working()).Balance(a, denom)
	require.NoError(c.t, err)
	return v
}

// supply is a token's supply (zero for a voucher never minted).
func (c *chain) supply(denom string) codec.U128 {
	c.t.Helper()
	s, _, err := c.r.Bank().Minter(c.store.Working()).Supply(denom)
	if err != nil {
		require.ErrorIs(c.t, err, token.ErrUnknownToken)
	}
	return s
}

// dump is the whole working state, to check that a refused call changed
// nothing.
func (c *chain) dump() map[string]string { return testkit.Dump(c.t, c.store.Working()) }

// block is the header of height h of this chain: version h-1's root as
// its app hash, signed by every validator.
func (c *chain) block(h int64) lctest.Block {
	c.t.Helper()
	root, err := c.store.HashAt(h - 1)
	require.NoError(c.t, err)
	tm, ok := c.times[h]
	if !ok {
		require.Equal(c.t, c.height(), h, "a header of a block not yet built")
		tm = c.next
	}
	return lctest.Block{ChainID: c.id, Height: h, Time: tm, AppHash: root, Vals: c.vals}
}

// clientState is a client of c as its counterparty creates it.
func (c *chain) clientState(h int64) lightclient.ClientState {
	return lightclient.ClientState{ChainID: c.id, TrustLevel: lightclient.DefaultTrustLevel, TrustingPeriod: 2 * time.Hour,
		UnbondingPeriod: 3 * time.Hour, MaxClockDrift: 10 * time.Second, LatestHeight: uint64(h)}
}

// createClientOf makes a light client of src on c, at src's next height.
func (c *chain) createClientOf(src *chain) string {
	c.t.Helper()
	h := src.height()
	var id string
	c.must(relayer, "create_client", interchain.CreateClientArgs{
		ClientState:    lightclient.EncodeClientState(src.clientState(h)),
		ConsensusState: lightclient.EncodeConsensusState(lctest.ConsensusState(src.block(h))),
	}, &id)
	c.trusted[id] = uint64(h)
	return id
}

// updateClient brings c's client of src to src's next height, the one
// whose app hash is src's last committed root, and returns that height.
func (c *chain) updateClient(id string, src *chain) uint64 {
	c.t.Helper()
	h := src.height()
	hdr, err := lightclient.EncodeHeader(lctest.Header(src.block(h), c.trusted[id], src.vals))
	require.NoError(c.t, err)
	var res interchain.UpdateResult
	c.must(relayer, "update_client", interchain.UpdateClientArgs{ClientID: id, Header: hdr}, &res)
	require.Equal(c.t, "Active", res.Status)
	c.trusted[id] = uint64(h)
	return uint64(h)
}

// prove is an ICS23 proof of path in c's interchain store at the version
// a client height h proves (h-1).
func (c *chain) prove(h uint64, path []byte) []byte {
	c.t.Helper()
	_, p, err := c.store.Prove(int64(h)-1, packet.FullKey(interchain.MerklePrefix()[0], path))
	require.NoError(c.t, err)
	b, err := lightclient.EncodeProof(p)
	require.NoError(c.t, err)
	return b
}

// link is two chains whose clients of each other are registered as
// counterparties: a's client of b is ab, b's client of a is ba.
type link struct {
	a, b   *chain
	ab, ba string
}

func newLink(t testing.TB) *link {
	l := &link{a: newChain(t, "chain-a"), b: newChain(t, "chain-b")}
	l.ab = l.a.createClientOf(l.b)
	l.ba = l.b.createClientOf(l.a)
	l.a.must(relayer, "register_counterparty", interchain.RegisterArgs{ClientID: l.ab, CounterpartyClientID: l.ba, CounterpartyMerklePrefix: interchain.MerklePrefix()}, nil)
	l.b.must(relayer, "register_counterparty", interchain.RegisterArgs{ClientID: l.ba, CounterpartyClientID: l.ab, CounterpartyMerklePrefix: interchain.MerklePrefix()}, nil)
	l.a.commit()
	l.b.commit()
	return l
}

// sent is the packet src committed under seq, read back from its state.
func sent(c *chain, client string, seq uint64) packet.Packet {
	c.t.Helper()
	var ps []packet.Packet
	c.query(interchain.Address, "pending", interchain.PendingArgs{ClientID: client, StartSequence: seq, Limit: 1}, &ps)
	require.Len(c.t, ps, 1)
	require.Equal(c.t, seq, ps[0].Sequence)
	return ps[0]
}

// recv relays p from src to dst (dst's client of src is id): update,
// prove the commitment, receive; dst commits. It returns the result.
func recv(src, dst *chain, id string, p packet.Packet) string {
	src.t.Helper()
	h := dst.updateClient(id, src)
	var res string
	dst.must(relayer, "recv_packet", interchain.RecvPacketArgs{Packet: p, ProofCommitment: src.prove(h, packet.CommitmentKey(p.SourceClient, p.Sequence)), ProofHeight: h}, &res)
	dst.commit()
	return res
}

// ack relays p's acknowledgement from dst back to src (src's client of
// dst is id); src commits.
func ack(src, dst *chain, id string, p packet.Packet) string {
	src.t.Helper()
	var a interchain.AckEntry
	dst.query(interchain.Address, "acknowledgement", interchain.SeqArgs{ClientID: p.DestClient, Sequence: p.Sequence}, &a)
	require.True(src.t, a.Found, "no acknowledgement of %d on %s", p.Sequence, dst.id)
	h := src.updateClient(id, dst)
	var res string
	src.must(relayer, "acknowledge", interchain.AckArgs{Packet: p, Acknowledgement: a.Acknowledgement,
		ProofAcked: dst.prove(h, packet.AckKey(p.DestClient, p.Sequence)), ProofHeight: h}, &res)
	src.commit()
	return res
}
