package interchain_test

import (
	"context"
	"encoding/hex"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/gas"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/internal/testkit"
	"github.com/vsys/vsys/modules/billing"
	"github.com/vsys/vsys/modules/interchain"
	"github.com/vsys/vsys/modules/interchain/packet"
	"github.com/vsys/vsys/modules/wasm"
	"github.com/vsys/vsys/vm"
	wasmvm "github.com/vsys/vsys/vm/wasm"
)

// Contracts over interchain on the two-chain harness: the real VM and
// the real contracts/artifacts (xcounter on both chains; escrow and
// adversarial behind the memo hook), real proofs, real light clients.

// xcounter's records (contracts/xcounter), decoded by field order.
type xStats struct {
	Count, Received, Sent, Acked, Failed, TimedOut, LastRemoteValue uint64
}

type xSent struct {
	Remote      string
	By          uint64
	Status      uint8
	RemoteValue uint64
	Error       string
}

type xIncrement struct {
	Client      string
	Remote      string
	By          uint64
	TimeoutSecs uint64
}

// xcounter's sent statuses.
const (
	xPending  = 0
	xAcked    = 1
	xFailed   = 2
	xTimedOut = 3
)

// deployer uploads and instantiates the tests' contracts.
var deployer = address.Derive("interchain-test", []byte("deployer"))

// withWasm adds the wasm and billing modules, on one VM for both chains,
// to the link's routers, as the app wires them, and funds the relayer
// and the deployer for the storage deposits their txs lock (minted, so
// alice's balance stays what the transfer tests expect).
func withWasm(t *testing.T, l *link) {
	t.Helper()
	v, err := vm.New(context.Background(), vm.Config{Schedule: wasmvm.DefaultSchedule()})
	require.NoError(t, err)
	t.Cleanup(func() { _ = v.Close(context.Background()) })
	for _, c := range []*chain{l.a, l.b} {
		m := wasm.New(v)
		c.r.Register(wasm.Name, wasm.Address, m)
		c.r.SetResolver(m.Resolve)
		bill := billing.New(billing.DefaultParams(), coin, c.r.Bank())
		c.r.Register(billing.Name, billing.Address, bill)
		c.r.SetBiller(bill)
		for _, a := range []address.Address{relayer, deployer} {
			require.NoError(t, c.r.Bank().Minter(c.store.Working()).Mint(a, coin, u(10_000_000)))
		}
		c.commit()
	}
}

// module is the chain's interchain module.
func (c *chain) module() *interchain.Module {
	c.t.Helper()
	m, err := c.r.Resolve(c.store.Working(), interchain.Address)
	require.NoError(c.t, err)
	return m.(*interchain.Module)
}

// deploy uploads the artifact and instantiates it (init args, or nil for
// a contract without init); the block is committed.
func (c *chain) deploy(artifact string, init any) address.Address {
	c.t.Helper()
	var hash []byte
	c.mustCall(deployer, wasm.Address, "upload", wasm.UploadArgs{Code: testkit.Artifact(c.t, artifact)}, &hash)
	args := wasm.InstantiateArgs{CodeHash: hash, Label: artifact}
	if init != nil {
		args.Args = testkit.Marshal(c.t, init)
	}
	var a address.Address
	c.mustCall(deployer, wasm.Address, "instantiate", args, &a)
	c.commit()
	return a
}

// callAt runs method of the contract or module at to in the block being
// built, returning the env (its gas and events).
func (c *chain) callAt(caller, to address.Address, method string, args any, gasLimit uint64) (*router.Env, []byte, error) {
	c.t.Helper()
	env := c.env(caller, false)
	if gasLimit > 0 {
		env.Gas = gas.NewMeter(gasLimit)
	}
	out, err := c.r.Call(env, c.store.Working(), caller, to, method, testkit.Marshal(c.t, args), nil)
	return env, out, err
}

func (c *chain) mustCall(caller, to address.Address, method string, args, out any) {
	c.t.Helper()
	_, b, err := c.callAt(caller, to, method, args, 0)
	require.NoError(c.t, err, "%s on %s", method, c.id)
	if out != nil {
		require.NoError(c.t, codec.Unmarshal(b, out))
	}
}

func (c *chain) xstats(x address.Address) xStats {
	var s xStats
	c.query(x, "get", struct{}{}, &s)
	return s
}

func (c *chain) xsent(x address.Address, client string, seq uint64) xSent {
	var s xSent
	c.query(x, "sent", struct {
		Client   string
		Sequence uint64
	}{client, seq}, &s)
	return s
}

// xlink is a link with xcounter deployed on both chains.
type xlink struct {
	*link
	xa, xb address.Address
}

func newXLink(t *testing.T) *xlink {
	l := newLink(t)
	withWasm(t, l)
	return &xlink{link: l, xa: l.a.deploy("xcounter", nil), xb: l.b.deploy("xcounter", nil)}
}

// increment sends an increment from A's xcounter to B's, commits A and
// returns the packet.
func (x *xlink) increment(by, timeoutSecs uint64) packet.Packet {
	x.a.t.Helper()
	var seq uint64
	x.a.mustCall(alice, x.xa, "increment", xIncrement{Client: x.ab, Remote: x.xb.String(), By: by, TimeoutSecs: timeoutSecs}, &seq)
	x.a.commit()
	return sent(x.a, x.ab, seq)
}

// ackOf is the acknowledgement B wrote for p.
func ackOf(c *chain, p packet.Packet) packet.Acknowledgement {
	c.t.Helper()
	var a interchain.AckEntry
	c.query(interchain.Address, "acknowledgement", interchain.SeqArgs{ClientID: p.DestClient, Sequence: p.Sequence}, &a)
	require.True(c.t, a.Found)
	return a.Acknowledgement
}

// reply is xcounter's acknowledgement: its new value.
func reply(t *testing.T, v uint64) []byte { return testkit.Marshal(t, struct{ Value uint64 }{v}) }

// onlyModuleChanged checks that between two dumps of a chain only the
// interchain module's own records changed (a receipt, an ack, a client
// update), so no application's write survived.
func onlyModuleChanged(t *testing.T, before, after map[string]string) {
	t.Helper()
	prefix := string(router.StorePrefix(interchain.Address))
	for k, v := range after {
		if before[k] != v && !strings.HasPrefix(k, prefix) {
			t.Errorf("key %s changed outside the interchain module", hex.EncodeToString([]byte(k)))
		}
	}
	for k := range before {
		if _, ok := after[k]; !ok && !strings.HasPrefix(k, prefix) {
			t.Errorf("key %s deleted outside the interchain module", hex.EncodeToString([]byte(k)))
		}
	}
}

// TestContractMessageAndAck: A's xcounter sends an increment to B's,
// whose on_recv (called by the module) counts it and acknowledges with
// the new value; relayed back, A's on_ack records that value. The packet
// is the SDK's: from A's contract port to B's, in the vsys encoding.
func TestContractMessageAndAck(t *testing.T) {
	x := newXLink(t)
	p := x.increment(2, 600)
	require.Equal(t, []packet.Payload{{SourcePort: x.xa.String(), DestPort: x.xb.String(), Version: "xcounter-1",
		Encoding: "application/x-vsys", Value: testkit.Marshal(t, struct{ By uint64 }{2})}}, p.Payloads)
	require.Equal(t, xPending, int(x.a.xsent(x.xa, x.ab, p.Sequence).Status))

	require.Equal(t, interchain.ResultSuccess, recv(x.a, x.b, x.ba, p))
	require.Equal(t, xStats{Count: 2, Received: 1}, x.b.xstats(x.xb))
	require.Equal(t, packet.Acknowledgement{AppAcks: [][]byte{reply(t, 2)}}, ackOf(x.b, p))

	require.Equal(t, interchain.ResultSuccess, ack(x.a, x.b, x.ab, p))
	require.Equal(t, xSent{Remote: x.xb.String(), By: 2, Status: xAcked, RemoteValue: 2}, x.a.xsent(x.xa, x.ab, p.Sequence))
	require.Equal(t, xStats{Sent: 1, Acked: 1, LastRemoteValue: 2}, x.a.xstats(x.xa))

	// A second one counts on; a replayed receive is a NOOP and counts nothing.
	q := x.increment(5, 600)
	h := x.b.updateClient(x.ba, x.a)
	for _, want := range []string{interchain.ResultSuccess, interchain.ResultNoop} {
		_, res, err := recvAt(x.a, x.b, h, q, 0)
		require.NoError(t, err)
		x.b.commit()
		require.Equal(t, want, res)
	}
	require.Equal(t, xStats{Count: 7, Received: 2}, x.b.xstats(x.xb))
	require.Equal(t, interchain.ResultSuccess, ack(x.a, x.b, x.ab, q))
	require.Equal(t, xStats{Sent: 2, Acked: 2, LastRemoteValue: 7}, x.a.xstats(x.xa))
	require.Empty(t, x.pending(x.a, x.ab))
}

// TestContractRecvFailsErrorAck: B's on_recv fails after a write (the
// add overflows): the acknowledgement is the error one, B's contract
// state is as before, and A's on_ack hears of the failure.
func TestContractRecvFailsErrorAck(t *testing.T) {
	x := newXLink(t)
	require.Equal(t, interchain.ResultSuccess, recv(x.a, x.b, x.ba, x.increment(1, 600)))
	p := x.increment(^uint64(0), 600)
	before := x.b.dump()
	require.Equal(t, interchain.ResultSuccess, recv(x.a, x.b, x.ba, p))
	onlyModuleChanged(t, before, x.b.dump())
	require.Equal(t, xStats{Count: 1, Received: 1}, x.b.xstats(x.xb), "the failed receive's writes are gone")
	require.Equal(t, packet.Acknowledgement{AppAcks: [][]byte{packet.ErrorAck}}, ackOf(x.b, p))

	require.Equal(t, interchain.ResultSuccess, ack(x.a, x.b, x.ab, p))
	require.Equal(t, uint8(xFailed), x.a.xsent(x.xa, x.ab, p.Sequence).Status)
	require.Equal(t, uint64(1), x.a.xstats(x.xa).Failed)
}

// TestContractNotAnApp: a payload to an account with no contract, or to
// a contract without on_recv, is an error acknowledgement, not a failed
// relay.
func TestContractNotAnApp(t *testing.T) {
	x := newXLink(t)
	escrow := x.b.deploy("escrow", struct{ TokenModule address.Address }{address.Module(1)})
	for _, port := range []address.Address{carol, escrow} {
		var seq uint64
		x.a.mustCall(alice, x.xa, "increment", xIncrement{Client: x.ab, Remote: port.String(), By: 1, TimeoutSecs: 600}, &seq)
		x.a.commit()
		p := sent(x.a, x.ab, seq)
		require.Equal(t, interchain.ResultSuccess, recv(x.a, x.b, x.ba, p))
		require.Equal(t, packet.Acknowledgement{AppAcks: [][]byte{packet.ErrorAck}}, ackOf(x.b, p), "to %s", port)
		require.Equal(t, interchain.ResultSuccess, ack(x.a, x.b, x.ab, p))
		require.Equal(t, uint8(xFailed), x.a.xsent(x.xa, x.ab, seq).Status)
	}
}

// recvAt delivers p to dst with a proof at h (a height dst's client of
// src is at already), with the relayer's gas limit (0: the harness's), and
// returns the env and the result.
func recvAt(src, dst *chain, h uint64, p packet.Packet, gasLimit uint64) (*router.Env, string, error) {
	src.t.Helper()
	env, out, err := dst.callAt(relayer, interchain.Address, "recv_packet",
		interchain.RecvPacketArgs{Packet: p, ProofCommitment: src.prove(h, packet.CommitmentKey(p.SourceClient, p.Sequence)), ProofHeight: h}, gasLimit)
	var res string
	if err == nil {
		require.NoError(src.t, codec.Unmarshal(out, &res))
	}
	return env, res, err
}

// relayRecv updates dst's client of src and delivers p (recvAt).
func relayRecv(src, dst *chain, id string, p packet.Packet, gasLimit uint64) (*router.Env, error) {
	src.t.Helper()
	env, _, err := recvAt(src, dst, dst.updateClient(id, src), p, gasLimit)
	return env, err
}

// TestContractCallbackGasLimit: an on_recv past the callback gas limit is
// an error acknowledgement that cost the relayer at most the limit, while
// a relayer tx without gas enough for the limit fails out of gas and
// changes nothing, so it can be retried with more (ibc-go callbacks'
// rule).
func TestContractCallbackGasLimit(t *testing.T) {
	x := newXLink(t)
	require.Equal(t, uint64(interchain.DefaultCallbackGasLimit), x.b.module().CallbackGasLimit())

	// Within the default limit: measure what a receive costs.
	env, err := relayRecv(x.a, x.b, x.ba, x.increment(1, 600), 0)
	require.NoError(t, err)
	x.b.commit()
	full := env.Gas.Used()

	// The relayer gives less than the callback would need: out of gas,
	// no receipt, no ack; the retry with enough succeeds.
	p := x.increment(1, 600)
	h := x.b.updateClient(x.ba, x.a)
	before := x.b.dump()
	_, _, err = recvAt(x.a, x.b, h, p, full-20_000)
	require.ErrorIs(t, err, gas.ErrOutOfGas)
	require.Contains(t, err.Error(), "on_recv")
	require.True(t, maps.Equal(before, x.b.dump()), "the failed tx changed nothing")
	_, res, err := recvAt(x.a, x.b, h, p, 0)
	require.NoError(t, err)
	require.Equal(t, interchain.ResultSuccess, res)
	x.b.commit()
	require.Equal(t, xStats{Count: 2, Received: 2}, x.b.xstats(x.xb))

	// A limit below what on_recv needs: the callback, not the tx, runs out.
	const limit = 50_000
	x.b.module().SetCallbackGasLimit(limit)
	q := x.increment(1, 600)
	env, err = relayRecv(x.a, x.b, x.ba, q, 0)
	require.NoError(t, err)
	x.b.commit()
	require.Equal(t, packet.Acknowledgement{AppAcks: [][]byte{packet.ErrorAck}}, ackOf(x.b, q))
	require.Less(t, env.Gas.Used(), full, "the callback stopped at its limit")
	var wrote interchain.AckEvent
	for _, e := range env.Events {
		if e.Name == "write_acknowledgement" {
			require.NoError(t, codec.Unmarshal(e.Data, &wrote))
		}
	}
	require.False(t, wrote.Success)
	require.Contains(t, wrote.Error, interchain.ErrCallback.Error())
	require.Contains(t, wrote.Error, "out of gas")
	require.Equal(t, xStats{Count: 2, Received: 2}, x.b.xstats(x.xb))
	require.Equal(t, interchain.ResultSuccess, ack(x.a, x.b, x.ab, q))
	require.Equal(t, uint8(xFailed), x.a.xsent(x.xa, x.ab, q.Sequence).Status)
}

// TestContractTimeout: an increment B never receives times out on A,
// and A's on_timeout records it; B's counter never moves.
func TestContractTimeout(t *testing.T) {
	x := newXLink(t)
	p := x.increment(3, 5)
	x.a.advance(10 * time.Second)
	x.b.advance(10 * time.Second)
	x.b.commit()
	h := x.a.updateClient(x.ab, x.b)
	var res string
	x.a.must(relayer, "timeout", interchain.TimeoutArgs{Packet: p, ProofUnreceived: x.b.prove(h, packet.ReceiptKey(x.ba, p.Sequence)), ProofHeight: h}, &res)
	require.Equal(t, interchain.ResultSuccess, res)
	x.a.commit()
	require.Equal(t, uint8(xTimedOut), x.a.xsent(x.xa, x.ab, p.Sequence).Status)
	require.Equal(t, xStats{Sent: 1, TimedOut: 1}, x.a.xstats(x.xa))
	require.Equal(t, xStats{}, x.b.xstats(x.xb))
	require.Empty(t, x.pending(x.a, x.ab))
}

// TestContractAckCallbackFailureDoesNotBlock: a sending contract whose
// on_ack fails (here: out of a callback gas limit too small to start it)
// still has its packet acknowledged, as in ibc-go's callbacks: the
// commitment goes, the callback's writes are discarded, and a
// contract_callback event says why.
func TestContractAckCallbackFailureDoesNotBlock(t *testing.T) {
	x := newXLink(t)
	p := x.increment(1, 600)
	require.Equal(t, interchain.ResultSuccess, recv(x.a, x.b, x.ba, p))
	x.a.module().SetCallbackGasLimit(1) // on_ack cannot even start
	h := x.a.updateClient(x.ab, x.b)
	env, out, err := x.a.callAt(relayer, interchain.Address, "acknowledge", interchain.AckArgs{Packet: p, Acknowledgement: ackOf(x.b, p),
		ProofAcked: x.b.prove(h, packet.AckKey(x.ba, p.Sequence)), ProofHeight: h}, 0)
	require.NoError(t, err)
	var res string
	require.NoError(t, codec.Unmarshal(out, &res))
	require.Equal(t, interchain.ResultSuccess, res)
	x.a.commit()
	require.Empty(t, x.pending(x.a, x.ab), "acknowledged despite the callback")
	require.Equal(t, uint8(xPending), x.a.xsent(x.xa, x.ab, p.Sequence).Status, "on_ack's writes are gone")
	var ev interchain.CallbackEvent
	for _, e := range env.Events {
		if e.Name == "contract_callback" {
			require.NoError(t, codec.Unmarshal(e.Data, &ev))
		}
	}
	require.Equal(t, x.xa, ev.Contract)
	require.Equal(t, interchain.EntryAck, ev.Entry)
	require.Contains(t, ev.Error, "out of gas")
}

// TestContractEntryPointTypes: the entry points xcounter declares with
// the SDK's types (sdk-rust/interchain) take exactly what the module
// sends and return what it reads.
func TestContractEntryPointTypes(t *testing.T) {
	x := newXLink(t)
	c, err := x.b.r.Resolve(x.b.store.Working(), x.xb)
	require.NoError(t, err)
	for entry, args := range map[string]any{interchain.EntryRecv: interchain.OnRecvArgs{}, interchain.EntryAck: interchain.OnAckArgs{},
		interchain.EntryTimeout: interchain.OnTimeoutArgs{}} {
		m, ok := c.ABI().Method(entry)
		require.True(t, ok, entry)
		want, err := codec.TypeOf(args)
		require.NoError(t, err)
		require.True(t, want.Equal(m.Args), "%s takes %s, the module sends %s", entry, m.Args, want)
		require.False(t, m.ReadOnly, entry)
	}
	m, _ := c.ABI().Method(interchain.EntryRecv)
	require.Equal(t, "bytes", m.Result.String())
}

// TestContractRecvDepositFromTheRelayer: what on_recv writes is a
// contract's state, whose deposit the tx's signer locks — the relayer. A
// relayer that cannot cover it fails its tx, changing nothing (its
// balance, like its gas, does not decide the packet's outcome); a funded
// one delivers the packet and funds the deposit.
func TestContractRecvDepositFromTheRelayer(t *testing.T) {
	x := newXLink(t)
	p := x.increment(1, 600)
	h := x.b.updateClient(x.ba, x.a)
	before := x.b.dump()
	_, _, err := x.b.callAt(carol, interchain.Address, "recv_packet", interchain.RecvPacketArgs{Packet: p,
		ProofCommitment: x.a.prove(h, packet.CommitmentKey(p.SourceClient, p.Sequence)), ProofHeight: h}, 0)
	require.ErrorIs(t, err, billing.ErrDeposit)
	require.True(t, maps.Equal(before, x.b.dump()), "the failed tx changed nothing")

	funded := func() codec.U128 {
		b, err := billing.ReadBill(x.b.store.Working(), relayer)
		require.NoError(t, err)
		return b.Funded
	}
	was := funded()
	_, res, err := recvAt(x.a, x.b, h, p, 0)
	require.NoError(t, err)
	require.Equal(t, interchain.ResultSuccess, res)
	x.b.commit()
	require.Equal(t, xStats{Count: 1, Received: 1}, x.b.xstats(x.xb))
	require.Equal(t, 1, funded().Cmp(was), "the relayer funded on_recv's new state")
}
