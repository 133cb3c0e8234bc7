package staking

import (
	"crypto/ed25519"
	"crypto/sha256"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/gas"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/core/state"
	"github.com/vsys/vsys/internal/testkit"
	"github.com/vsys/vsys/modules/token"
)

const coin = "VSYS"

// pubKey is a deterministic ed25519 consensus key.
func pubKey(name string) []byte {
	seed := sha256.Sum256([]byte("staking-test/" + name))
	return ed25519.NewKeyFromSeed(seed[:]).Public().(ed25519.PublicKey)
}

// valAddr is the vsys (and CometBFT) address of a named key.
func valAddr(name string) address.Address { return address.FromPubKey(pubKey(name)) }

func account(name string) address.Address { return address.Derive("staking-test", []byte(name)) }

type fixture struct {
	store  *state.Store
	kv     state.KV
	r      *router.Router
	m      *Module
	height int64
}

// newFixture builds a router like the app's (token module, funds mover,
// staking) on a real IAVL store with the native coin capped at maxSupply,
// funds each account with balance and records the genesis validators.
func newFixture(t *testing.T, p Params, maxSupply codec.U128, genesis []GenesisValidator, funded []address.Address, balance uint64) *fixture {
	t.Helper()
	s := testkit.OpenStore(t)
	p.Denom = coin
	tok := token.New()
	m := New(p, tok)
	r := router.New(gas.DefaultCosts(), router.Limits{MaxCallDepth: 8, MaxEventBytes: 4096})
	r.Register("token", token.Address, tok)
	r.Register(Name, Address, m)
	r.SetBank(tok)
	kv := s.Working()
	allocs := make([]token.Allocation, len(funded))
	for i, a := range funded {
		allocs[i] = token.Allocation{Address: a, Amount: codec.NewU128(balance)}
	}
	require.NoError(t, token.Genesis(kv, token.Info{Symbol: coin, Name: "V Systems", Decimals: 8, MaxSupply: maxSupply}, allocs))
	require.NoError(t, m.InitGenesis(kv, genesis, 1))
	return &fixture{store: s, kv: kv, r: r, m: m, height: 1}
}

func genesisOf(power int64, names ...string) []GenesisValidator {
	vs := make([]GenesisValidator, len(names))
	for i, n := range names {
		vs[i] = GenesisValidator{PubKey: pubKey(n), Power: power}
	}
	return vs
}

func (f *fixture) env(readOnly bool) *router.Env {
	return &router.Env{Block: router.Block{Height: f.height, ChainID: "test"}, Gas: gas.NewMeter(100_000_000), ReadOnly: readOnly}
}

// call runs a tx's call of method by caller and decodes its result into out
// (when not nil).
func (f *fixture) call(t *testing.T, caller address.Address, method string, args, out any) error {
	return f.callFunds(t, caller, method, args, out, nil)
}

func (f *fixture) callFunds(t *testing.T, caller address.Address, method string, args, out any, funds []router.Coin) error {
	t.Helper()
	raw, err := codec.Marshal(args)
	require.NoError(t, err)
	res, err := f.r.Call(f.env(false), f.kv, caller, Address, method, raw, funds)
	if err != nil {
		return err
	}
	if out != nil {
		require.NoError(t, codec.Unmarshal(res, out))
	}
	return nil
}

// query runs a read-only method and decodes its result into out.
func (f *fixture) query(t *testing.T, method string, args, out any) {
	t.Helper()
	raw, err := codec.Marshal(args)
	require.NoError(t, err)
	res, err := f.r.Call(f.env(true), f.kv, address.Zero, Address, method, raw, nil)
	require.NoError(t, err)
	require.NoError(t, codec.Unmarshal(res, out))
}

// endBlock ends the current block and moves to the next.
func (f *fixture) endBlock(t *testing.T, proposer address.Address) []Update {
	t.Helper()
	ups, err := f.m.EndBlock(f.kv, f.height, proposer)
	require.NoError(t, err)
	f.height++
	return ups
}

// endBlocksTo ends blocks until height h has ended, returning the updates
// of the last one.
func (f *fixture) endBlocksTo(t *testing.T, h int64, proposer address.Address) []Update {
	t.Helper()
	var ups []Update
	for f.height <= h {
		ups = f.endBlock(t, proposer)
	}
	return ups
}

func (f *fixture) balance(t *testing.T, a address.Address) codec.U128 {
	t.Helper()
	b, err := f.r.Bank().Ledger(f.kv).Balance(a, coin)
	require.NoError(t, err)
	return b
}

func (f *fixture) supply(t *testing.T) codec.U128 {
	t.Helper()
	supply, _, err := f.r.Bank().Minter(f.kv).Supply(coin)
	require.NoError(t, err)
	return supply
}

func (f *fixture) validators(t *testing.T) []Validator {
	t.Helper()
	vs, err := f.m.Validators(f.kv)
	require.NoError(t, err)
	return vs
}

// powers maps each validator's address to its power.
func powersOf(vs []Validator) map[address.Address]int64 {
	out := map[address.Address]int64{}
	for _, v := range vs {
		out[v.Address] = v.Power
	}
	return out
}

// dump is every key and value of the tree.
func dump(t *testing.T, kv state.KV) map[string]string { return testkit.Dump(t, kv) }

func u(v uint64) codec.U128 { return codec.NewU128(v) }
