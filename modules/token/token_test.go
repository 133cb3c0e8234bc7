package token_test

import (
	"fmt"
	"math/big"
	"math/rand"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/gas"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/core/state"
	"github.com/vsys/vsys/internal/testkit"
	"github.com/vsys/vsys/modules/native"
	"github.com/vsys/vsys/modules/token"
)

const coin = "VSYS" // the native coin, created at "genesis" with no issuer

var (
	alice = address.Derive("token-test", []byte("alice"))
	bob   = address.Derive("token-test", []byte("bob"))
	carol = address.Derive("token-test", []byte("carol"))
)

func u(v uint64) codec.U128 { return codec.NewU128(v) }

type harness struct {
	t     *testing.T
	store *state.Store
	kv    state.KV
	r     *router.Router
}

// newHarness sets up the token module the way the app does (router
// registration, bank, genesis native coin) on a real IAVL store.
// Alice holds 1,000,000 of the native coin.
func newHarness(t *testing.T) *harness {
	t.Helper()
	store := testkit.OpenStore(t)
	r := router.New(gas.DefaultCosts(), router.Limits{MaxCallDepth: 8, MaxEventBytes: 1 << 10})
	tok := token.New()
	r.Register("token", token.Address, tok)
	r.SetBank(tok)
	kv := store.Working()
	require.NoError(t, token.Genesis(kv, token.Info{Symbol: coin, Name: "V Systems", Decimals: 8, MaxSupply: codec.MaxU128},
		[]token.Allocation{{Address: alice, Amount: u(1_000_000)}}))
	return &harness{t: t, store: store, kv: kv, r: r}
}

func marshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := codec.Marshal(v)
	require.NoError(t, err)
	return b
}

// call makes a top-level tx call of the token module.
func (h *harness) call(caller address.Address, method string, args any) ([]byte, []router.Event, error) {
	h.t.Helper()
	env := &router.Env{Origin: caller, Gas: gas.NewMeter(10_000_000)}
	out, err := h.r.Call(env, h.kv, caller, token.Address, method, marshal(h.t, args), nil)
	return out, env.Events, err
}

// query makes a read-only call and decodes its result into out.
func (h *harness) query(method string, args, out any) error {
	h.t.Helper()
	env := &router.Env{Gas: gas.NewMeter(10_000_000), ReadOnly: true}
	b, err := h.r.Call(env, state.NewReadOnly(h.kv), address.Zero, token.Address, method, marshal(h.t, args), nil)
	if err != nil {
		return err
	}
	return codec.Unmarshal(b, out)
}

func (h *harness) must(caller address.Address, method string, args any) []byte {
	h.t.Helper()
	out, _, err := h.call(caller, method, args)
	require.NoError(h.t, err, "%s %+v", method, args)
	return out
}

func (h *harness) create(issuer address.Address, sym string, max codec.U128) {
	h.t.Helper()
	h.must(issuer, "create", token.CreateArgs{Symbol: sym, Name: sym + " token", Decimals: 6, MaxSupply: max})
}

func (h *harness) balance(a address.Address, sym string) codec.U128 {
	h.t.Helper()
	b, err := h.r.Bank().Ledger(h.kv).Balance(a, sym)
	require.NoError(h.t, err)
	return b
}

func (h *harness) info(sym string) token.Info {
	h.t.Helper()
	var i token.Info
	require.NoError(h.t, h.query("info", token.TokenArgs{Token: sym}, &i))
	return i
}

func (h *harness) dump() map[string]string {
	h.t.Helper()
	it, err := h.kv.Iterator(nil, nil, true)
	require.NoError(h.t, err)
	defer it.Close()
	m := map[string]string{}
	for ; it.Valid(); it.Next() {
		m[string(it.Key())] = string(it.Value())
	}
	require.NoError(h.t, it.Error())
	return m
}

// failing runs a call that must fail with want and leave state unchanged.
func (h *harness) failing(caller address.Address, method string, args any, want error) {
	h.t.Helper()
	before := h.dump()
	out, events, err := h.call(caller, method, args)
	require.ErrorIs(h.t, err, want, "%s %+v", method, args)
	require.Nil(h.t, out)
	require.Empty(h.t, events)
	require.Equal(h.t, before, h.dump(), "a failed %s changes nothing", method)
}

func TestCreate(t *testing.T) {
	ok := token.CreateArgs{Symbol: "GOLD", Name: "Gold", Decimals: 8, MaxSupply: u(1000)}
	with := func(f func(a *token.CreateArgs)) token.CreateArgs { a := ok; f(&a); return a }
	tests := []struct {
		name    string
		args    token.CreateArgs
		wantErr error
	}{
		{"valid", ok, nil},
		{"two letters", with(func(a *token.CreateArgs) { a.Symbol = "AB" }), nil},
		{"twelve characters", with(func(a *token.CreateArgs) { a.Symbol = "ABCDEFGHIJ12" }), nil},
		{"letter then digits", with(func(a *token.CreateArgs) { a.Symbol = "X2024" }), nil},
		{"zero decimals", with(func(a *token.CreateArgs) { a.Decimals = 0 }), nil},
		{"eighteen decimals", with(func(a *token.CreateArgs) { a.Decimals = 18 }), nil},
		{"64-byte name", with(func(a *token.CreateArgs) { a.Name = strings.Repeat("n", 64) }), nil},
		{"max u128 supply", with(func(a *token.CreateArgs) { a.MaxSupply = codec.MaxU128 }), nil},
		{"duplicate of the native coin", with(func(a *token.CreateArgs) { a.Symbol = coin }), token.ErrTokenExists},
		{"empty symbol", with(func(a *token.CreateArgs) { a.Symbol = "" }), token.ErrInvalid},
		{"one letter", with(func(a *token.CreateArgs) { a.Symbol = "A" }), token.ErrInvalid},
		{"thirteen characters", with(func(a *token.CreateArgs) { a.Symbol = "ABCDEFGHIJ123" }), token.ErrInvalid},
		{"lower case", with(func(a *token.CreateArgs) { a.Symbol = "gold" }), token.ErrInvalid},
		{"mixed case", with(func(a *token.CreateArgs) { a.Symbol = "Gold" }), token.ErrInvalid},
		{"leading digit", with(func(a *token.CreateArgs) { a.Symbol = "1AB" }), token.ErrInvalid},
		{"punctuation", with(func(a *token.CreateArgs) { a.Symbol = "AB-C" }), token.ErrInvalid},
		{"space", with(func(a *token.CreateArgs) { a.Symbol = "AB C" }), token.ErrInvalid},
		{"non-ASCII", with(func(a *token.CreateArgs) { a.Symbol = "ÄB" }), token.ErrInvalid},
		{"NUL byte", with(func(a *token.CreateArgs) { a.Symbol = "AB\x00" }), token.ErrInvalid},
		{"empty name", with(func(a *token.CreateArgs) { a.Name = "" }), token.ErrInvalid},
		{"65-byte name", with(func(a *token.CreateArgs) { a.Name = strings.Repeat("n", 65) }), token.ErrInvalid},
		{"nineteen decimals", with(func(a *token.CreateArgs) { a.Decimals = 19 }), token.ErrInvalid},
		{"max decimals", with(func(a *token.CreateArgs) { a.Decimals = 255 }), token.ErrInvalid},
		{"zero max supply", with(func(a *token.CreateArgs) { a.MaxSupply = codec.U128{} }), token.ErrInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			if tc.wantErr != nil {
				h.failing(bob, "create", tc.args, tc.wantErr)
				return
			}
			out, events, err := h.call(bob, "create", tc.args)
			require.NoError(t, err)
			require.Equal(t, marshal(t, tc.args.Symbol), out)
			require.Equal(t, []router.Event{{Contract: token.Address, Name: "created",
				Data: marshal(t, token.CreatedEvent{Token: tc.args.Symbol, Issuer: bob, MaxSupply: tc.args.MaxSupply})}}, events)
			require.Equal(t, token.Info{Symbol: tc.args.Symbol, Name: tc.args.Name, Decimals: tc.args.Decimals,
				MaxSupply: tc.args.MaxSupply, Issuer: bob}, h.info(tc.args.Symbol))

			// The symbol is taken now, whoever asks and whatever the rest.
			again := tc.args
			again.Name, again.MaxSupply = "Other", u(1)
			h.failing(bob, "create", again, token.ErrTokenExists)
			h.failing(carol, "create", again, token.ErrTokenExists)
		})
	}
}

func TestValidSymbol(t *testing.T) {
	for s, want := range map[string]bool{
		"AB": true, "ZZ": true, "A0": true, "ABCDEFGHIJKL": true, "V9": true,
		"": false, "A": false, "0A": false, "ABCDEFGHIJKLM": false, "aB": false, "Ab": false,
		"A_": false, "A.": false, "@A": false, "[A": false, "A:": false, "A/": false,
	} {
		require.Equal(t, want, token.ValidSymbol(s), "%q", s)
	}
}

func TestIssue(t *testing.T) {
	tests := []struct {
		name       string
		caller     address.Address
		token      string
		pre        []uint64 // earlier successful issues
		amount     codec.U128
		wantErr    error
		wantSupply uint64
	}{
		{"first issue", bob, "GOLD", nil, u(400), nil, 400},
		{"up to max", bob, "GOLD", []uint64{400}, u(600), nil, 1000},
		{"zero", bob, "GOLD", []uint64{400}, u(0), nil, 400},
		{"one past max", bob, "GOLD", []uint64{400}, u(601), token.ErrMaxSupply, 400},
		{"past max at once", bob, "GOLD", nil, u(1001), token.ErrMaxSupply, 0},
		{"at max, one more", bob, "GOLD", []uint64{1000}, u(1), token.ErrMaxSupply, 1000},
		{"huge", bob, "GOLD", nil, codec.MaxU128, token.ErrMaxSupply, 0},
		{"not the issuer", carol, "GOLD", []uint64{10}, u(1), token.ErrNotIssuer, 10},
		{"the holder of the native coin", alice, coin, nil, u(1), token.ErrNotIssuer, 0},
		{"the zero address, issuer of the native coin", address.Zero, coin, nil, u(1), token.ErrNotIssuer, 0},
		{"the token module itself", token.Address, coin, nil, u(1), token.ErrNotIssuer, 0},
		{"unknown token", bob, "NOPE", nil, u(1), token.ErrUnknownToken, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.create(bob, "GOLD", u(1000))
			for _, p := range tc.pre {
				h.must(bob, "issue", token.IssueArgs{Token: "GOLD", Amount: u(p)})
			}
			nativeSupply := h.info(coin).Supply
			args := token.IssueArgs{Token: tc.token, Amount: tc.amount}
			if tc.wantErr != nil {
				h.failing(tc.caller, "issue", args, tc.wantErr)
			} else {
				out, events, err := h.call(tc.caller, "issue", args)
				require.NoError(t, err)
				require.Equal(t, marshal(t, u(tc.wantSupply)), out, "issue returns the new supply")
				require.Equal(t, []router.Event{{Contract: token.Address, Name: "issued", Data: marshal(t,
					token.SupplyEvent{Token: "GOLD", Account: bob, Amount: tc.amount, Supply: u(tc.wantSupply)})}}, events)
			}
			require.Equal(t, u(tc.wantSupply), h.info("GOLD").Supply)
			require.Equal(t, u(tc.wantSupply), h.balance(bob, "GOLD"), "issues go to the issuer")
			require.Equal(t, nativeSupply, h.info(coin).Supply)
		})
	}
}

func TestIssueOverflow(t *testing.T) {
	h := newHarness(t)
	h.create(bob, "BIG", codec.MaxU128)
	half := codec.U128{Hi: 1 << 63}
	h.must(bob, "issue", token.IssueArgs{Token: "BIG", Amount: half})
	h.failing(bob, "issue", token.IssueArgs{Token: "BIG", Amount: codec.MaxU128}, codec.ErrOverflow)
	rest, err := codec.MaxU128.Sub(half)
	require.NoError(t, err)
	h.must(bob, "issue", token.IssueArgs{Token: "BIG", Amount: rest})
	require.Equal(t, codec.MaxU128, h.info("BIG").Supply)
	require.Equal(t, codec.MaxU128, h.balance(bob, "BIG"))
	h.failing(bob, "issue", token.IssueArgs{Token: "BIG", Amount: u(1)}, codec.ErrOverflow)
	h.must(bob, "issue", token.IssueArgs{Token: "BIG", Amount: u(0)})

	// The whole supply moves and burns without overflow either.
	h.must(bob, "send", token.SendArgs{Token: "BIG", To: carol, Amount: codec.MaxU128})
	require.Equal(t, codec.MaxU128, h.balance(carol, "BIG"))
	h.must(carol, "burn", token.BurnArgs{Token: "BIG", Amount: codec.MaxU128})
	require.True(t, h.info("BIG").Supply.IsZero())
}

func TestSend(t *testing.T) {
	tests := []struct {
		name      string
		from, to  address.Address
		token     string
		amount    uint64
		wantErr   error
		wantFrom  uint64
		wantTo    uint64
		wantEvent bool
	}{
		{"some", alice, bob, coin, 300, nil, 999_700, 300, true},
		{"all", alice, bob, coin, 1_000_000, nil, 0, 1_000_000, true},
		{"zero", alice, bob, coin, 0, nil, 1_000_000, 0, true},
		{"to a module address", alice, token.Address, coin, 5, nil, 999_995, 5, true},
		{"one more than balance", alice, bob, coin, 1_000_001, token.ErrInsufficientFunds, 1_000_000, 0, false},
		{"from an empty account", bob, alice, coin, 1, token.ErrInsufficientFunds, 0, 1_000_000, false},
		{"unknown token", alice, bob, "NOPE", 1, token.ErrUnknownToken, 1_000_000, 0, false},
		{"zero of an unknown token", alice, bob, "NOPE", 0, token.ErrUnknownToken, 1_000_000, 0, false},
		{"invalid symbol", alice, bob, "", 1, token.ErrUnknownToken, 1_000_000, 0, false},
		{"to self", alice, alice, coin, 400, nil, 1_000_000, 1_000_000, true},
		{"to self, unknown token", alice, alice, "NOPE", 1, token.ErrUnknownToken, 1_000_000, 1_000_000, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			args := token.SendArgs{Token: tc.token, To: tc.to, Amount: u(tc.amount)}
			if tc.wantErr != nil {
				h.failing(tc.from, "send", args, tc.wantErr)
			} else {
				out, events, err := h.call(tc.from, "send", args)
				require.NoError(t, err)
				require.Equal(t, marshal(t, native.Empty{}), out)
				require.Equal(t, []router.Event{{Contract: token.Address, Name: "transfer", Data: marshal(t,
					token.TransferEvent{Token: tc.token, From: tc.from, To: tc.to, Amount: u(tc.amount)})}}, events)
			}
			require.Equal(t, u(tc.wantFrom), h.balance(tc.from, coin))
			require.Equal(t, u(tc.wantTo), h.balance(tc.to, coin))
			require.Equal(t, u(1_000_000), h.info(coin).Supply, "send never changes supply")
		})
	}
}

func TestSendToSelfBeyondBalance(t *testing.T) {
	h := newHarness(t)
	h.failing(bob, "send", token.SendArgs{Token: coin, To: bob, Amount: u(1)}, token.ErrInsufficientFunds)
	h.failing(alice, "send", token.SendArgs{Token: coin, To: alice, Amount: u(1_000_001)}, token.ErrInsufficientFunds)
}

// A balance that reaches zero is deleted, not stored as zero.
func TestZeroBalanceTakesNoSpace(t *testing.T) {
	h := newHarness(t)
	before := h.dump()
	h.must(alice, "send", token.SendArgs{Token: coin, To: bob, Amount: u(10)})
	h.must(bob, "send", token.SendArgs{Token: coin, To: alice, Amount: u(10)})
	require.Equal(t, before, h.dump())
	h.must(alice, "send", token.SendArgs{Token: coin, To: bob, Amount: u(1_000_000)})
	var coins []router.Coin
	require.NoError(t, h.query("balances", token.BalancesArgs{Address: alice}, &coins))
	require.Empty(t, coins)
}

func TestBurn(t *testing.T) {
	tests := []struct {
		name       string
		caller     address.Address
		token      string
		amount     uint64
		wantErr    error
		wantBal    uint64
		wantSupply uint64
	}{
		{"issuer burns some", bob, "GOLD", 100, nil, 500, 800},
		{"issuer burns all", bob, "GOLD", 600, nil, 0, 300},
		{"holder burns", carol, "GOLD", 300, nil, 0, 600},
		{"zero", carol, "GOLD", 0, nil, 300, 900},
		{"more than balance", bob, "GOLD", 601, token.ErrInsufficientFunds, 600, 900},
		{"holder, more than balance", carol, "GOLD", 301, token.ErrInsufficientFunds, 300, 900},
		{"nothing held", alice, "GOLD", 1, token.ErrInsufficientFunds, 0, 900},
		{"native coin", alice, coin, 1, nil, 0, 900}, // GOLD unchanged; checked below
		{"unknown token", bob, "NOPE", 1, token.ErrUnknownToken, 600, 900},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.create(bob, "GOLD", u(1000))
			h.must(bob, "issue", token.IssueArgs{Token: "GOLD", Amount: u(900)})
			h.must(bob, "send", token.SendArgs{Token: "GOLD", To: carol, Amount: u(300)})
			args := token.BurnArgs{Token: tc.token, Amount: u(tc.amount)}
			if tc.wantErr != nil {
				h.failing(tc.caller, "burn", args, tc.wantErr)
			} else {
				out, events, err := h.call(tc.caller, "burn", args)
				require.NoError(t, err)
				supply := h.info(tc.token).Supply
				require.Equal(t, marshal(t, supply), out, "burn returns the new supply")
				require.Equal(t, []router.Event{{Contract: token.Address, Name: "burned", Data: marshal(t,
					token.SupplyEvent{Token: tc.token, Account: tc.caller, Amount: u(tc.amount), Supply: supply})}}, events)
			}
			if tc.token == coin {
				require.Equal(t, u(999_999), h.balance(alice, coin))
				require.Equal(t, u(999_999), h.info(coin).Supply)
				return
			}
			require.Equal(t, u(tc.wantBal), h.balance(tc.caller, "GOLD"))
			require.Equal(t, u(tc.wantSupply), h.info("GOLD").Supply)
			require.Equal(t, u(1000), h.info("GOLD").MaxSupply, "burning does not lower the max supply")
		})
	}
}

// Burned tokens can be issued again: max supply bounds the supply, not
// the total ever issued.
func TestIssueAfterBurn(t *testing.T) {
	h := newHarness(t)
	h.create(bob, "GOLD", u(100))
	h.must(bob, "issue", token.IssueArgs{Token: "GOLD", Amount: u(100)})
	h.must(bob, "burn", token.BurnArgs{Token: "GOLD", Amount: u(40)})
	h.must(bob, "issue", token.IssueArgs{Token: "GOLD", Amount: u(40)})
	require.Equal(t, u(100), h.info("GOLD").Supply)
	h.failing(bob, "issue", token.IssueArgs{Token: "GOLD", Amount: u(1)}, token.ErrMaxSupply)
}

func TestQueries(t *testing.T) {
	h := newHarness(t)
	h.create(bob, "ZED", u(1000))
	h.create(bob, "GOLD", u(500))
	h.must(bob, "issue", token.IssueArgs{Token: "ZED", Amount: u(70)})
	h.must(bob, "issue", token.IssueArgs{Token: "GOLD", Amount: u(50)})
	h.must(bob, "send", token.SendArgs{Token: "GOLD", To: alice, Amount: u(20)})
	h.must(bob, "send", token.SendArgs{Token: "ZED", To: alice, Amount: u(70)})
	goldInfo := token.Info{Symbol: "GOLD", Name: "GOLD token", Decimals: 6, MaxSupply: u(500), Supply: u(50), Issuer: bob}
	_, _, err := h.store.Commit()
	require.NoError(t, err)

	tests := []struct {
		name    string
		method  string
		args    any
		out     any // pointer to decode into
		want    any
		wantErr error
	}{
		{"balance", "balance", token.BalanceArgs{Address: alice, Token: "GOLD"}, new(codec.U128), u(20), nil},
		{"native balance", "balance", token.BalanceArgs{Address: alice, Token: coin}, new(codec.U128), u(1_000_000), nil},
		{"balance of a stranger", "balance", token.BalanceArgs{Address: carol, Token: "GOLD"}, new(codec.U128), codec.U128{}, nil},
		{"balance of an unknown token", "balance", token.BalanceArgs{Address: alice, Token: "NOPE"}, new(codec.U128), nil, token.ErrUnknownToken},
		{"balances by symbol", "balances", token.BalancesArgs{Address: alice}, new([]router.Coin),
			[]router.Coin{{Token: "GOLD", Amount: u(20)}, {Token: coin, Amount: u(1_000_000)}, {Token: "ZED", Amount: u(70)}}, nil},
		{"balances without zeros", "balances", token.BalancesArgs{Address: bob}, new([]router.Coin),
			[]router.Coin{{Token: "GOLD", Amount: u(30)}}, nil},
		{"no balances", "balances", token.BalancesArgs{Address: carol}, new([]router.Coin), []router.Coin{}, nil},
		{"info", "info", token.TokenArgs{Token: "GOLD"}, new(token.Info), goldInfo, nil},
		{"native info", "info", token.TokenArgs{Token: coin}, new(token.Info),
			token.Info{Symbol: coin, Name: "V Systems", Decimals: 8, MaxSupply: codec.MaxU128, Supply: u(1_000_000)}, nil},
		{"unknown info", "info", token.TokenArgs{Token: "NOPE"}, new(token.Info), nil, token.ErrUnknownToken},
		{"supply", "supply", token.TokenArgs{Token: "ZED"}, new(codec.U128), u(70), nil},
		{"unknown supply", "supply", token.TokenArgs{Token: "NOPE"}, new(codec.U128), nil, token.ErrUnknownToken},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// Through a read-only query on the working tree ...
			err := h.query(tc.method, tc.args, tc.out)
			if tc.wantErr != nil {
				require.ErrorIs(t, err, tc.wantErr)
			} else {
				require.NoError(t, err)
				require.Equal(t, tc.want, deref(tc.out))
			}
			// ... and on the committed version, as JSON-RPC queries run.
			committed, err := h.store.At(0)
			require.NoError(t, err)
			env := &router.Env{Gas: gas.NewMeter(1_000_000), ReadOnly: true}
			b, err := h.r.Call(env, committed, address.Zero, token.Address, tc.method, marshal(t, tc.args), nil)
			if tc.wantErr != nil {
				require.ErrorIs(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			require.Equal(t, marshal(t, tc.want), b)
		})
	}

	// Queries also work as part of a tx.
	out, _, err := h.call(carol, "supply", token.TokenArgs{Token: "GOLD"})
	require.NoError(t, err)
	require.Equal(t, marshal(t, u(50)), out)
	// State-changing methods are refused in a read-only call.
	var s string
	err = h.query("create", token.CreateArgs{Symbol: "RO", Name: "x", MaxSupply: u(1)}, &s)
	require.ErrorIs(t, err, router.ErrReadOnlyCall)
}

func deref(p any) any {
	switch v := p.(type) {
	case *codec.U128:
		return *v
	case *[]router.Coin:
		return *v
	case *token.Info:
		return *v
	}
	panic(fmt.Sprintf("deref %T", p))
}

// TestRandomOps applies random sends, issues and burns among five
// accounts and two tokens both through the module and to a plain model,
// comparing every balance and supply after each step.
func TestRandomOps(t *testing.T) {
	const ops = 2000
	h := newHarness(t)
	rng := rand.New(rand.NewSource(20240601))
	accts := make([]address.Address, 5)
	for i := range accts {
		accts[i] = address.Derive("token-test-random", []byte{byte(i)})
	}
	maxU128 := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 128), big.NewInt(1))
	type tok struct {
		sym    string
		issuer address.Address
		max    *big.Int
	}
	toks := []tok{
		{"SMALL", accts[0], big.NewInt(100_000)},
		{"HUGE", accts[1], maxU128},
	}
	for _, tk := range toks {
		h.create(tk.issuer, tk.sym, toU128(t, tk.max))
	}
	// The model.
	bal := map[address.Address]map[string]*big.Int{}
	supply := map[string]*big.Int{}
	for _, a := range accts {
		bal[a] = map[string]*big.Int{}
		for _, tk := range toks {
			bal[a][tk.sym] = new(big.Int)
		}
	}
	for _, tk := range toks {
		supply[tk.sym] = new(big.Int)
	}

	amount := func(tk tok, holder address.Address) *big.Int {
		switch r := rng.Intn(10); {
		case r == 0:
			return new(big.Int)
		case r < 3 && bal[holder][tk.sym].Sign() > 0: // exactly or about what is held
			return new(big.Int).Add(bal[holder][tk.sym], big.NewInt(int64(rng.Intn(3)-1)))
		case r < 5 && tk.sym == "HUGE":
			return new(big.Int).Rand(rng, new(big.Int).Add(maxU128, big.NewInt(1)))
		}
		return big.NewInt(int64(rng.Intn(3000)))
	}

	counts := map[string]int{}
	for i := 0; i < ops; i++ {
		tk := toks[rng.Intn(len(toks))]
		caller := accts[rng.Intn(len(accts))]
		if rng.Intn(3) == 0 { // issuers act more often, so issues happen
			caller = tk.issuer
		}
		amt := amount(tk, caller)
		if amt.Sign() < 0 {
			amt.SetInt64(0)
		}
		var (
			method  string
			args    any
			wantErr error
			apply   func()
		)
		switch op := rng.Intn(4); op {
		case 0, 1:
			to := accts[rng.Intn(len(accts))]
			for to == caller {
				to = accts[rng.Intn(len(accts))]
			}
			method, args = "send", token.SendArgs{Token: tk.sym, To: to, Amount: toU128(t, amt)}
			if bal[caller][tk.sym].Cmp(amt) < 0 {
				wantErr = token.ErrInsufficientFunds
			}
			apply = func() {
				bal[caller][tk.sym].Sub(bal[caller][tk.sym], amt)
				bal[to][tk.sym].Add(bal[to][tk.sym], amt)
			}
		case 2:
			method, args = "issue", token.IssueArgs{Token: tk.sym, Amount: toU128(t, amt)}
			next := new(big.Int).Add(supply[tk.sym], amt)
			switch {
			case caller != tk.issuer:
				wantErr = token.ErrNotIssuer
			case next.Cmp(maxU128) > 0:
				wantErr = codec.ErrOverflow
			case next.Cmp(tk.max) > 0:
				wantErr = token.ErrMaxSupply
			}
			apply = func() {
				supply[tk.sym] = next
				bal[caller][tk.sym].Add(bal[caller][tk.sym], amt)
			}
		case 3:
			method, args = "burn", token.BurnArgs{Token: tk.sym, Amount: toU128(t, amt)}
			if bal[caller][tk.sym].Cmp(amt) < 0 {
				wantErr = token.ErrInsufficientFunds
			}
			apply = func() {
				supply[tk.sym] = new(big.Int).Sub(supply[tk.sym], amt)
				bal[caller][tk.sym].Sub(bal[caller][tk.sym], amt)
			}
		}
		what := fmt.Sprintf("op %d: %s %s %+v by %d", i, method, tk.sym, args, indexOf(accts, caller))
		if wantErr != nil {
			before := h.dump()
			_, events, err := h.call(caller, method, args)
			require.ErrorIs(t, err, wantErr, what)
			require.Empty(t, events, what)
			require.Equal(t, before, h.dump(), what)
			counts[method+" failed"]++
		} else {
			_, events, err := h.call(caller, method, args)
			require.NoError(t, err, what)
			require.Len(t, events, 1, what)
			apply()
			counts[method]++
		}

		for _, tk := range toks {
			sum := new(big.Int)
			for _, a := range accts {
				require.Equal(t, toU128(t, bal[a][tk.sym]), h.balance(a, tk.sym), "%s: balance of %d", what, indexOf(accts, a))
				sum.Add(sum, bal[a][tk.sym])
			}
			require.Equal(t, 0, sum.Cmp(supply[tk.sym]), "model: balances sum to supply")
			require.Equal(t, toU128(t, supply[tk.sym]), h.info(tk.sym).Supply, "%s: supply", what)
		}
		if i%250 == 249 { // commit now and then, and check the balances query
			_, _, err := h.store.Commit()
			require.NoError(t, err)
			for _, a := range accts {
				var got []router.Coin
				require.NoError(t, h.query("balances", token.BalancesArgs{Address: a}, &got))
				want := []router.Coin{}
				for _, sym := range []string{"HUGE", "SMALL"} { // symbol order
					if bal[a][sym].Sign() > 0 {
						want = append(want, router.Coin{Token: sym, Amount: toU128(t, bal[a][sym])})
					}
				}
				require.Equal(t, want, got)
			}
		}
	}
	t.Logf("ops: %v", counts)
	for _, k := range []string{"send", "send failed", "issue", "issue failed", "burn", "burn failed"} {
		require.Positive(t, counts[k], "the run exercises %q", k)
	}
}

func toU128(t *testing.T, x *big.Int) codec.U128 {
	t.Helper()
	require.True(t, x.Sign() >= 0 && x.BitLen() <= 128, "%s out of u128 range", x)
	lo := new(big.Int).And(x, new(big.Int).SetUint64(^uint64(0)))
	hi := new(big.Int).Rsh(x, 64)
	return codec.U128{Hi: hi.Uint64(), Lo: lo.Uint64()}
}

func indexOf(as []address.Address, a address.Address) int {
	for i := range as {
		if as[i] == a {
			return i
		}
	}
	return -1
}
