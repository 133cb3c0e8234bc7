package token

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/core/state"
)

// TestLedger: the unexported ledger, the one writer of balances, as the
// Bank hands it out: every key it writes lies under the module's store
// prefix, and it refuses what the module's methods refuse.
func TestLedger(t *testing.T) {
	store, err := state.Open(t.TempDir(), state.Options{})
	require.NoError(t, err)
	t.Cleanup(func() { store.Close() })
	kv := store.Working()
	alice, bob := address.Derive("token-test", []byte("alice")), address.Derive("token-test", []byte("bob"))
	u := codec.NewU128
	require.NoError(t, Genesis(kv, Info{Symbol: "VSYS", Name: "V Systems", Decimals: 8, MaxSupply: codec.MaxU128, Issuer: bob},
		[]Allocation{{alice, u(1_000_000)}, {bob, u(0)}}))

	var bank router.Bank = New()
	b, err := bank.Ledger(kv).Balance(alice, "VSYS")
	require.NoError(t, err)
	require.Equal(t, u(1_000_000), b)
	supply, max, err := bank.Minter(kv).Supply("VSYS")
	require.NoError(t, err)
	require.Equal(t, []codec.U128{u(1_000_000), codec.MaxU128}, []codec.U128{supply, max})

	root := ledgerAt(kv)
	info, err := root.Info("VSYS")
	require.NoError(t, err)
	require.Equal(t, address.Zero, info.Issuer, "the native coin has no issuer, whatever genesis was given")

	it, err := kv.Iterator(nil, nil, true)
	require.NoError(t, err)
	defer it.Close()
	var keys int
	for ; it.Valid(); it.Next() {
		require.True(t, strings.HasPrefix(string(it.Key()), string(router.StorePrefix(Address))), "%q", it.Key())
		keys++
	}
	require.Equal(t, 2, keys, "the coin's record and alice's balance: a zero allocation writes nothing")

	_, err = root.Info("NOPE")
	require.ErrorIs(t, err, ErrUnknownToken)
	require.ErrorIs(t, root.Mint(alice, "NOPE", u(1)), ErrUnknownToken)
	require.ErrorIs(t, root.Burn(alice, "NOPE", u(1)), ErrUnknownToken)
	require.ErrorIs(t, root.Transfer(alice, bob, "NOPE", u(1)), ErrUnknownToken)
	require.ErrorIs(t, root.Create(Info{Symbol: "VSYS", Name: "again", MaxSupply: u(1)}), ErrTokenExists)
	require.ErrorIs(t, Genesis(kv, Info{Symbol: "VSYS", Name: "again", MaxSupply: u(1)}, nil), ErrTokenExists)

	// Create ignores a supply it is given.
	require.NoError(t, root.Create(Info{Symbol: "FREE", Name: "Free", MaxSupply: u(10), Supply: u(10)}))
	info, err = root.Info("FREE")
	require.NoError(t, err)
	require.True(t, info.Supply.IsZero())
}
