package app

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/app/genesis"
	"github.com/vsys/vsys/core/moduleid"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/core/state"
	"github.com/vsys/vsys/internal/testkit/chain"
	"github.com/vsys/vsys/modules/billing"
	"github.com/vsys/vsys/modules/database"
	"github.com/vsys/vsys/modules/staking"
)

// modulesGenesis is the harness's usual genesis running only modules.
func modulesGenesis(modules ...string) genesis.State {
	gs := genesis.Default()
	gs.Accounts = []genesis.Account{chain.Fund(alice, 10_000_000), chain.Fund(bob, 1_000_000)}
	gs.Modules = modules
	return gs
}

// TestChainWithoutDB: a chain that leaves the db module out answers a db
// call, in a tx and in a query, with "unknown contract", and still moves
// the native coin; the same call on a default chain reaches the module.
func TestChainWithoutDB(t *testing.T) {
	h := newGenesisHarness(t, Options{}, modulesGenesis(moduleid.NameToken, moduleid.NameWasm, moduleid.NameBilling))
	require.Equal(t, []string{"token", "wasm", "billing"}, h.app.Modules())
	create := dbTx("create_table", database.CreateTableArgs{Name: "notes", Schema: noteSchema})
	res := h.block(h.sign(alice, 1_000_000, create))[0]
	codespace, code := ResultOf(router.ErrUnknownContract)
	require.Equal(t, code, res.Code, res.Log)
	require.Equal(t, codespace, res.Codespace)
	require.Contains(t, res.Log, "unknown contract")
	_, _, err := h.app.Call(t.Context(), 0, database.Address, "tables", []byte{}, 1_000_000)
	require.ErrorIs(t, err, router.ErrUnknownContract)

	require.Zero(t, h.block(h.sign(alice, 100_000, send(addr(carol), 7)))[0].Code)
	require.Equal(t, "7", h.balance(addr(carol), "VSYS").String())
	// billing is on, so the fee was billed; staking is off, so not callable.
	b, err := billing.ReadBill(h.app.Store().Working(), addr(alice))
	require.NoError(t, err)
	require.False(t, b.FeesPaid.IsZero())
	_, _, err = h.app.Call(t.Context(), 0, staking.Address, "validators", []byte{}, 1_000_000)
	require.ErrorIs(t, err, router.ErrUnknownContract)

	def := newHarness(t)
	require.Zero(t, def.block(def.sign(alice, 1_000_000, create))[0].Code)
}

// TestChainWithoutBillingKeepsNoBills: fees are still paid and paid out,
// but no bill is kept and no storage deposit is charged.
func TestChainWithoutBillingKeepsNoBills(t *testing.T) {
	h := newGenesisHarness(t, Options{}, modulesGenesis(moduleid.NameToken, moduleid.NameDatabase))
	before := h.balance(addr(alice), "VSYS")
	h.ok(alice, 1_000_000, dbTx("create_table", database.CreateTableArgs{Name: "notes", Schema: noteSchema}))
	require.Equal(t, -1, h.balance(addr(alice), "VSYS").Cmp(before), "the fee was paid")
	b, err := billing.ReadBill(h.app.Store().Working(), addr(alice))
	require.NoError(t, err)
	require.True(t, b.FeesPaid.IsZero() && b.Bytes == 0 && b.Deposit.IsZero(), "%+v", b)
	_, _, err = h.app.Call(t.Context(), 0, billing.Address, "params", []byte{}, 1_000_000)
	require.ErrorIs(t, err, router.ErrUnknownContract)
}

// TestSameModulesSameHash: two apps with one non-default module set, fed
// the same blocks, reach the same app hash, which differs from a default
// chain's after the same blocks (the list is in state); and listing every
// module is the default chain, hash for hash.
func TestSameModulesSameHash(t *testing.T) {
	run := func(gs genesis.State) []byte {
		h := newGenesisHarness(t, Options{}, gs)
		for round := 0; round < 3; round++ {
			var txs [][]byte
			for i := 0; i < 5; i++ {
				txs = append(txs, h.sign(alice, 100_000, send(addr(key(byte(10+i))), uint64(round*10+i+1))))
			}
			h.block(txs...)
		}
		return h.app.Store().Hash()
	}
	some := modulesGenesis(moduleid.NameWasm, moduleid.NameToken)
	h1, h2 := run(some), run(some)
	require.Equal(t, h1, h2)
	def := run(modulesGenesis())
	require.NotEqual(t, def, h1)
	require.Equal(t, def, run(modulesGenesis(genesis.AllModules()...)))
}

// TestModulesSurviveRestart: an app reopened on a store with a module list
// loads it, not the default.
func TestModulesSurviveRestart(t *testing.T) {
	dir := t.TempDir()
	store, err := state.Open(dir, state.Options{})
	require.NoError(t, err)
	a, err := New(store, Options{})
	require.NoError(t, err)
	chain.Init(t, a, chain.Options{ChainID: chainID, Genesis: modulesGenesis(moduleid.NameToken, moduleid.NameStaking)})
	require.NoError(t, a.Close())
	require.NoError(t, store.Close())

	store, err = state.Open(dir, state.Options{})
	require.NoError(t, err)
	defer store.Close()
	a, err = New(store, Options{})
	require.NoError(t, err)
	defer a.Close()
	require.Equal(t, []string{"token", "staking"}, a.Modules())
	_, _, err = a.Call(t.Context(), 0, database.Address, "tables", []byte{}, 1_000_000)
	require.ErrorIs(t, err, router.ErrUnknownContract)
}
