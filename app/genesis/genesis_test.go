package genesis

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
)

func TestDefaultRoundTrips(t *testing.T) {
	d := Default()
	d.Accounts = []Account{{Address: address.Derive("g", []byte{1}), Balance: codec.NewU128(5)}}
	b, err := json.Marshal(d)
	require.NoError(t, err)
	back, err := Parse(b)
	require.NoError(t, err)
	require.Equal(t, d, back)
}

func TestParseRejects(t *testing.T) {
	a := address.Derive("g", []byte{1})
	mutate := func(f func(*State)) []byte {
		s := Default()
		f(&s)
		b, err := json.Marshal(s)
		require.NoError(t, err)
		return b
	}
	for name, b := range map[string][]byte{
		"not json":      []byte(`{`),
		"unknown field": []byte(`{"native_token":{"symbol":"X"},"acounts":[]}`),
		"duplicate":     mutate(func(s *State) { s.Accounts = []Account{{Address: a}, {Address: a}} }),
		"supply overflow": mutate(func(s *State) {
			s.Accounts = []Account{{a, codec.MaxU128}, {address.Derive("g", []byte{2}), codec.NewU128(1)}}
		}),
		"no symbol":               mutate(func(s *State) { s.NativeToken.Symbol = "" }),
		"zero limit":              mutate(func(s *State) { s.Params.MaxTxBytes = 0 }),
		"no cost version":         mutate(func(s *State) { s.Params.Costs.Version = 0 }),
		"block smaller than a tx": mutate(func(s *State) { s.Params.MaxBlockBytes = uint64(s.Params.MaxTxBytes) }),
		"block over the ceiling":  mutate(func(s *State) { s.Params.MaxBlockBytes = MaxBlockBytesCeiling + 1 }),
		"block gas below a tx's":  mutate(func(s *State) { s.Params.MaxBlockGas = s.Params.MaxGasPerTx - 1 }),
		"no memory":               mutate(func(s *State) { s.Params.MaxCallMemoryPages = 0 }),
	} {
		_, err := Parse(b)
		require.ErrorIs(t, err, ErrInvalid, name)
	}
}

func TestModules(t *testing.T) {
	s := Default()
	require.Equal(t, []string{"token", "wasm", "db", "billing", "staking", "interchain"}, s.EnabledModules())
	require.True(t, s.AllEnabled())
	s.Modules = []string{"db", "token"}
	require.NoError(t, s.Validate())
	require.Equal(t, []string{"token", "db"}, s.EnabledModules(), "id order")
	require.False(t, s.AllEnabled())
	s.Modules = []string{"staking", "billing", "db", "wasm", "token", "interchain"}
	require.True(t, s.AllEnabled())

	for name, c := range map[string]struct {
		modules []string
		spos    bool
		want    string
	}{
		"unknown module":   {[]string{"token", "dbx"}, false, `unknown module "dbx" (known: token, wasm, db, billing, staking, interchain)`},
		"no token":         {[]string{"db", "wasm"}, false, `"token" is required`},
		"twice":            {[]string{"token", "db", "db"}, false, `"db" listed twice`},
		"spos, no staking": {[]string{"token"}, true, `consensus "spos" needs the "staking" module`},
	} {
		s := Default()
		s.Modules = c.modules
		if c.spos {
			s.Params.Staking.Mode = "spos"
		}
		b, err := json.Marshal(s)
		require.NoError(t, err)
		_, err = Parse(b)
		require.ErrorIs(t, err, ErrInvalid, name)
		require.ErrorContains(t, err, c.want, name)
	}
}
