package app

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/app/genesis"
	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/state"
	"github.com/vsys/vsys/core/tx"
	"github.com/vsys/vsys/internal/testkit"
	"github.com/vsys/vsys/internal/testkit/chain"
	"github.com/vsys/vsys/modules/token"
)

const chainID = "test-chain"

// key and addr are the test kit's deterministic keys and their addresses.
var key, addr = testkit.Key, testkit.Addr

var alice, bob, carol = key(1), key(2), key(3)

// harness drives an App through ABCI the way CometBFT does (the test
// kit's chain driver), on a real IAVL tree in a temp dir.
type harness struct {
	*chain.Chain
	t      *testing.T
	app    *App
	nonces map[address.Address]uint64 // the chain's: the next nonce of each sender
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	return newHarnessWith(t, Options{})
}

// newRichHarness funds alice and bob for uploads and long-running calls.
func newRichHarness(t *testing.T) *harness {
	t.Helper()
	return newHarnessFunded(t, Options{}, 1_000_000_000_000)
}

func newHarnessWith(t *testing.T, opts Options) *harness {
	t.Helper()
	return newHarnessFunded(t, opts, 0)
}

// newHarnessFunded gives alice and bob rich (0: the usual 10M and 1M).
func newHarnessFunded(t *testing.T, opts Options, rich uint64) *harness {
	t.Helper()
	gs := genesis.Default()
	gs.Accounts = []genesis.Account{chain.Fund(alice, 10_000_000), chain.Fund(bob, 1_000_000)}
	if rich > 0 {
		gs.Accounts = []genesis.Account{chain.Fund(alice, rich), chain.Fund(bob, rich)}
	}
	return newGenesisHarness(t, opts, gs)
}

// newGenesisHarness is an app on a fresh store, started from gs: every
// harness constructor ends here.
func newGenesisHarness(t *testing.T, opts Options, gs genesis.State) *harness {
	t.Helper()
	a, err := New(testkit.OpenStore(t), opts)
	require.NoError(t, err)
	t.Cleanup(func() { a.Close() })
	return wrapChain(t, a, chain.Init(t, a, chain.Options{ChainID: chainID, Genesis: gs}))
}

func wrapChain(t *testing.T, a *App, c *chain.Chain) *harness {
	return &harness{Chain: c, t: t, app: a, nonces: c.Nonces()}
}

// block finalizes and commits a block of raw txs.
func (h *harness) block(txs ...[]byte) []*abci.ExecTxResult {
	h.t.Helper()
	return h.Block(txs...)
}

func (h *harness) check(raw []byte) *abci.ResponseCheckTx {
	h.t.Helper()
	return h.Check(raw)
}

func call(method string, args any) tx.Call { return contractCall(token.Address, method, args) }

// sign builds a tx from k with its next nonce (tracked by the harness).
func (h *harness) sign(k ed25519.PrivateKey, gasLimit uint64, calls ...tx.Call) []byte {
	h.t.Helper()
	return h.Sign(k, gasLimit, calls...)
}

func (h *harness) balance(a address.Address, sym string) codec.U128 {
	acc, err := h.app.Account(0, a)
	require.NoError(h.t, err)
	for _, b := range acc.Balances {
		if b.Token == sym {
			return b.Amount
		}
	}
	return codec.U128{}
}

func send(to address.Address, amount uint64) tx.Call {
	return call("send", token.SendArgs{Token: "VSYS", To: to, Amount: codec.NewU128(amount)})
}

func TestTransferChargesGasAndBumpsNonce(t *testing.T) {
	h := newHarness(t)
	raw := h.sign(alice, 100_000, send(addr(carol), 1234))
	require.Zero(t, h.check(raw).Code)
	res := h.block(raw)
	require.Zero(t, res[0].Code, res[0].Log)
	used := uint64(res[0].GasUsed)
	require.Equal(t, codec.NewU128(1234), h.balance(addr(carol), "VSYS"))
	require.Equal(t, codec.NewU128(10_000_000-1234-used), h.balance(addr(alice), "VSYS"))
	require.Equal(t, codec.NewU128(used), h.balance(FeeCollector, "VSYS"))
	acc, _ := h.app.Account(0, addr(alice))
	require.Equal(t, uint64(1), acc.Nonce)
	// The transfer event names both parties.
	var found bool
	for _, e := range res[0].Events {
		if e.Type == "transfer" {
			found = true
			attrs := map[string]string{}
			for _, a := range e.Attributes {
				attrs[a.Key] = a.Value
			}
			require.Equal(t, addr(carol).String(), attrs["to"])
			require.Equal(t, "1234", attrs["amount"])
		}
	}
	require.True(t, found, "transfer event")
}

// TestGoldenGas pins the gas of a native transfer: a change of costs or of
// the token module's storage must show up here on purpose.
func TestGoldenGas(t *testing.T) {
	h := newHarness(t)
	res := h.block(h.sign(alice, 100_000, send(addr(carol), 1)), h.sign(alice, 100_000, send(addr(carol), 1)))
	require.Equal(t, int64(goldenGasFirst), res[0].GasUsed, "first transfer to a new account")
	require.Equal(t, int64(goldenGasSecond), res[1].GasUsed, "transfer to an existing balance")
}

const (
	goldenGasFirst  = 22118
	goldenGasSecond = 22166 // 48 more: it reads carol's 16-byte balance at 3 gas a byte
)

// TestBadInputChangesNothing: each bad tx gets a clear error at CheckTx,
// and a block that includes it anyway leaves the app hash untouched.
func TestBadInputChangesNothing(t *testing.T) {
	h := newHarness(t)
	good := func(mut func(b *tx.Body)) []byte {
		b := tx.Body{ChainID: chainID, Nonce: 0, GasLimit: 100_000, GasPrice: codec.NewU128(1), Calls: []tx.Call{send(addr(carol), 5)}}
		mut(&b)
		signed, err := tx.Sign(b, alice)
		require.NoError(t, err)
		return signed.Bytes()
	}
	flipped := good(func(*tx.Body) {})
	flipped = append([]byte(nil), flipped...)
	flipped[len(flipped)-1] ^= 1
	poor := func() []byte { // carol has nothing to pay fees with
		s, err := tx.Sign(tx.Body{ChainID: chainID, GasLimit: 100_000, GasPrice: codec.NewU128(1), Calls: []tx.Call{send(addr(bob), 1)}}, carol)
		require.NoError(t, err)
		return s.Bytes()
	}()
	cases := []struct {
		name string
		raw  []byte
		code uint32
		msg  string
	}{
		{"malformed bytes", []byte{1, 2, 3}, CodeMalformed, "malformed"},
		{"bad signature", flipped, CodeBadSignature, "signature"},
		{"wrong chain id", good(func(b *tx.Body) { b.ChainID = "other-chain" }), CodeWrongChain, `"other-chain"`},
		{"nonce too far ahead", good(func(b *tx.Body) { b.Nonce = MaxNonceGap + 1 }), CodeBadNonce, "expects nonce 0, tx has 65"},
		{"fee larger than balance", good(func(b *tx.Body) { b.GasPrice = codec.NewU128(1_000_000) }), CodeInsufficientFee, "fee"},
		{"no balance for fee", poor, CodeInsufficientFee, "fee"},
		{"gas price below minimum", good(func(b *tx.Body) { b.GasPrice = codec.U128{} }), CodeGasPriceTooLow, "minimum"},
		{"gas limit below intrinsic", good(func(b *tx.Body) { b.GasLimit = 10 }), CodeGasLimit, "intrinsic"},
		{"gas limit above max", good(func(b *tx.Body) { b.GasLimit = 1 << 62 }), CodeGasLimit, "at most"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := h.check(c.raw)
			require.Equal(t, c.code, res.Code, res.Log)
			require.Contains(t, res.Log, c.msg)
			before := h.app.Store().Hash()
			out := h.block(c.raw)
			require.Equal(t, c.code, out[0].Code)
			require.Zero(t, out[0].GasUsed)
			require.Equal(t, before, h.app.Store().Hash(), "state changed")
		})
	}
}

func TestReplayedNonce(t *testing.T) {
	h := newHarness(t)
	raw := h.sign(alice, 100_000, send(addr(carol), 1))
	require.Zero(t, h.block(raw)[0].Code)
	res := h.check(raw)
	require.Equal(t, CodeBadNonce, res.Code)
	require.Contains(t, res.Log, "expects nonce 1, tx has 0")
	before := h.app.Store().Hash()
	require.Equal(t, CodeBadNonce, h.block(raw)[0].Code)
	require.Equal(t, before, h.app.Store().Hash())
}

// TestMempoolQueuesNonces: CheckTx admits consecutive nonces of one sender
// before any is committed, and rejects a gap.
func TestMempoolQueuesNonces(t *testing.T) {
	h := newHarness(t)
	var raws [][]byte
	for i := 0; i < 3; i++ {
		raws = append(raws, h.sign(alice, 100_000, send(addr(carol), 1)))
		require.Zero(t, h.check(raws[i]).Code)
	}
	// A tx ahead of its turn (nonce 4 while 3 is missing) waits in the
	// mempool; one beyond MaxNonceGap, or a replayed one, is refused.
	h.nonces[addr(alice)]++
	early := h.sign(alice, 100_000, send(addr(carol), 1))
	require.Zero(t, h.check(early).Code, "waits for nonce 3")
	h.nonces[addr(alice)] = 4 + MaxNonceGap
	require.Equal(t, CodeBadNonce, h.check(h.sign(alice, 100_000, send(addr(carol), 1))).Code)
	require.Equal(t, CodeBadNonce, h.check(raws[0]).Code, "nonce 0 is already queued")

	// The proposer takes each sender's txs in nonce order only: given them
	// out of order and with a gap, it proposes 0, 1, 2 and leaves 4.
	prop, err := h.app.PrepareProposal(context.Background(), &abci.RequestPrepareProposal{
		Txs: [][]byte{early, raws[2], raws[0], raws[1]}, MaxTxBytes: 1 << 20, Height: h.Height() + 1})
	require.NoError(t, err)
	require.Equal(t, [][]byte{raws[0], raws[1], raws[2]}, prop.Txs)
	for _, r := range h.block(prop.Txs...) {
		require.Zero(t, r.Code, r.Log)
	}
}

// TestFailedCallPaysGasRevertsWrites: a transfer over balance fails, the
// sender pays for the gas used and its nonce moves, nothing else changes.
func TestFailedCallPaysGasRevertsWrites(t *testing.T) {
	h := newHarness(t)
	raw := h.sign(bob, 100_000, send(addr(carol), 1), send(addr(carol), 5_000_000))
	res := h.block(raw)[0]
	require.Equal(t, CodeInsufficientFunds, res.Code)
	require.Contains(t, res.Log, "call 1")
	require.Positive(t, res.GasUsed)
	require.True(t, h.balance(addr(carol), "VSYS").IsZero(), "the first call's transfer must be reverted too")
	require.Equal(t, codec.NewU128(1_000_000-uint64(res.GasUsed)), h.balance(addr(bob), "VSYS"))
	acc, _ := h.app.Account(0, addr(bob))
	require.Equal(t, uint64(1), acc.Nonce)
	for _, e := range res.Events {
		require.NotEqual(t, "transfer", e.Type, "events of a failed tx must be dropped")
	}
}

func TestOutOfGas(t *testing.T) {
	h := newHarness(t)
	costs := h.app.Params().Costs
	limit := IntrinsicGas(&costs, len(h.sign(alice, 100_000, send(addr(carol), 1)))) + 10
	h.nonces[addr(alice)] = 0
	res := h.block(h.sign(alice, limit, send(addr(carol), 1)))[0]
	require.Equal(t, CodeOutOfGas, res.Code, res.Log)
	require.Equal(t, int64(limit), res.GasUsed, "out of gas uses the whole limit")
	require.True(t, h.balance(addr(carol), "VSYS").IsZero())
}

func TestTokenLifecycleAndOverflow(t *testing.T) {
	h := newHarness(t)
	res := h.block(
		h.sign(alice, 1_000_000, call("create", token.CreateArgs{Symbol: "ABC", Name: "Alpha", Decimals: 2, MaxSupply: codec.MaxU128})),
		h.sign(alice, 1_000_000, call("issue", token.IssueArgs{Token: "ABC", Amount: codec.MaxU128})),
		h.sign(alice, 1_000_000, call("send", token.SendArgs{Token: "ABC", To: addr(bob), Amount: codec.NewU128(10)})),
		h.sign(bob, 100_000, call("burn", token.BurnArgs{Token: "ABC", Amount: codec.NewU128(4)})),
	)
	for i, r := range res {
		require.Zero(t, r.Code, "tx %d: %s", i, r.Log)
	}
	require.Equal(t, codec.NewU128(6), h.balance(addr(bob), "ABC"))
	// Supply is 2^128-5: issuing 5 more overflows u128... after the burn it fits exactly;
	// issuing 6 overflows.
	res = h.block(
		h.sign(alice, 1_000_000, call("issue", token.IssueArgs{Token: "ABC", Amount: codec.NewU128(6)})),
		h.sign(bob, 100_000, call("issue", token.IssueArgs{Token: "ABC", Amount: codec.NewU128(1)})),
		h.sign(bob, 100_000, call("create", token.CreateArgs{Symbol: "ABC", Name: "Dup", MaxSupply: codec.NewU128(1)})),
	)
	require.Equal(t, CodeOverflow, res[0].Code, res[0].Log)
	require.Equal(t, Codespace, res[0].Codespace)
	// The token module's own errors carry its codespace and codes.
	require.Contains(t, res[1].Log, "only the issuer")
	require.Equal(t, [2]any{"token", uint32(3)}, [2]any{res[1].Codespace, res[1].Code}, "NotIssuer")
	require.Contains(t, res[2].Log, "already exists")
	require.Equal(t, [2]any{"token", uint32(2)}, [2]any{res[2].Codespace, res[2].Code}, "TokenExists")
	info, _, err := h.app.Call(context.Background(), 0, token.Address, "supply", mustMarshal(token.TokenArgs{Token: "ABC"}), 1_000_000)
	require.NoError(t, err)
	var supply codec.U128
	require.NoError(t, codec.Unmarshal(info, &supply))
	want, _ := codec.MaxU128.Sub(codec.NewU128(4))
	require.Equal(t, want, supply)
}

func mustMarshal(v any) []byte {
	b, err := codec.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

func TestUnknownContractAndMethod(t *testing.T) {
	h := newHarness(t)
	res := h.block(
		h.sign(alice, 100_000, tx.Call{Contract: address.Module(42), Method: "send", Args: nil}),
		h.sign(alice, 100_000, tx.Call{Contract: token.Address, Method: "steal", Args: nil}),
		h.sign(alice, 100_000, tx.Call{Contract: token.Address, Method: "send", Args: []byte{1, 2}}),
	)
	require.Equal(t, CodeUnknownContract, res[0].Code, res[0].Log)
	require.Equal(t, CodeUnknownMethod, res[1].Code, res[1].Log)
	require.Contains(t, res[1].Log, `"steal"`)
	require.Equal(t, CodeBadArgs, res[2].Code, res[2].Log)
}

// TestEstimateIsExact: a tx sent with gas_limit = estimate succeeds and uses
// exactly the estimate.
func TestEstimateIsExact(t *testing.T) {
	h := newHarness(t)
	body := tx.Body{ChainID: chainID, PubKey: alice.Public().(ed25519.PublicKey), GasLimit: 5_000_000, GasPrice: codec.NewU128(1),
		Calls: []tx.Call{send(addr(carol), 7), call("create", token.CreateArgs{Symbol: "EST", Name: "Estimate", MaxSupply: codec.NewU128(100)})}}
	estimate := func() uint64 {
		probe, err := tx.WithSignature(body, make([]byte, tx.SignatureLen))
		require.NoError(t, err)
		out, err := h.app.Simulate(context.Background(), probe.Bytes())
		require.NoError(t, err)
		require.NoError(t, out.Err)
		return out.GasUsed
	}
	est := estimate()

	body.GasLimit = est - 1
	signed, err := tx.Sign(body, alice)
	require.NoError(t, err)
	res := h.block(signed.Bytes())[0]
	require.Equal(t, CodeOutOfGas, res.Code, "one gas less must fail: %s", res.Log)
	require.True(t, h.balance(addr(carol), "VSYS").IsZero())

	body.Nonce, body.GasLimit = 1, 5_000_000
	require.Equal(t, est, estimate(), "same tx shape, same state sizes: same gas")
	body.GasLimit = est
	signed, err = tx.Sign(body, alice)
	require.NoError(t, err)
	res = h.block(signed.Bytes())[0]
	require.Zero(t, res.Code, res.Log)
	require.Equal(t, int64(est), res.GasUsed)
	require.Equal(t, codec.NewU128(7), h.balance(addr(carol), "VSYS"))
}

// TestSameBlocksSameHash: two apps fed the same blocks agree on every app
// hash, and the final one is pinned.
func TestSameBlocksSameHash(t *testing.T) {
	h1, h2 := newHarness(t), newHarness(t)
	for round := 0; round < 5; round++ {
		var txs [][]byte
		for i := 0; i < 20; i++ {
			txs = append(txs, h1.sign(alice, 100_000, send(addr(key(byte(10+i))), uint64(round*100+i+1))))
		}
		txs = append(txs, h1.sign(bob, 100_000, send(addr(carol), 1_000_000_000))) // fails
		h1.block(txs...)
		h2.block(txs...)
		require.Equal(t, h1.app.Store().Hash(), h2.app.Store().Hash(), "round %d", round)
	}
	require.Equal(t, "85edbd0882c4f0e8757be4c4d9f909f281c6aead42c3d41548d50c813376c5d9", hex.EncodeToString(h1.app.Store().Hash()))
}

func TestRestartFromDisk(t *testing.T) {
	dir := t.TempDir()
	store, err := state.Open(dir, state.Options{})
	require.NoError(t, err)
	a, err := New(store, Options{})
	require.NoError(t, err)
	gs := genesis.Default()
	gs.Accounts = []genesis.Account{chain.Fund(alice, 10_000_000)}
	h := wrapChain(t, a, chain.Init(t, a, chain.Options{ChainID: chainID, Genesis: gs}))
	h.block(h.sign(alice, 100_000, send(addr(bob), 9)))
	hash := store.Hash()
	require.NoError(t, store.Close())

	store2, err := state.Open(dir, state.Options{})
	require.NoError(t, err)
	defer store2.Close()
	a2, err := New(store2, Options{})
	require.NoError(t, err)
	info, err := a2.Info(context.Background(), &abci.RequestInfo{})
	require.NoError(t, err)
	require.Equal(t, int64(2), info.LastBlockHeight)
	require.True(t, bytes.Equal(hash, info.LastBlockAppHash))
	require.Equal(t, chainID, a2.ChainID())
	h2 := wrapChain(t, a2, chain.Resume(t, a2, chainID, info.LastBlockHeight, h.nonces))
	require.Zero(t, h2.block(h2.sign(alice, 100_000, send(addr(bob), 1)))[0].Code)
}

// testValidators is the genesis validator set of apps driven directly by
// tests: one validator, whose key is derived like the test accounts'.
func testValidators() []abci.ValidatorUpdate { return chain.Validators() }
