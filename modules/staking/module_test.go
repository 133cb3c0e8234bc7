package staking

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/internal/testkit"
)

func TestParamsValidate(t *testing.T) {
	ok := sposParams(1)
	tests := []struct {
		name  string
		edit  func(*Params)
		valid bool
	}{
		{"default", func(p *Params) { *p = DefaultParams() }, true},
		{"spos", func(*Params) {}, true},
		{"poa ignores spos fields", func(p *Params) { *p = Params{Mode: ModePoA} }, true},
		{"no mode", func(p *Params) { p.Mode = "" }, false},
		{"unknown mode", func(p *Params) { p.Mode = "pos" }, false},
		{"zero epoch", func(p *Params) { p.EpochBlocks = 0 }, false},
		{"zero validators", func(p *Params) { p.MaxValidators = 0 }, false},
		{"too many validators", func(p *Params) { p.MaxValidators = MaxValidatorsLimit + 1 }, false},
		{"most validators", func(p *Params) { p.MaxValidators = MaxValidatorsLimit }, true},
		{"free candidacy", func(p *Params) { p.MinSelfStake = codec.U128{} }, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := ok
			tc.edit(&p)
			if tc.valid {
				require.NoError(t, p.Validate())
			} else {
				require.Error(t, p.Validate())
			}
		})
	}
}

func TestInitGenesisRejects(t *testing.T) {
	good := genesisOf(10, "a", "b")
	tests := []struct {
		name   string
		params Params
		denom  string
		vals   []GenesisValidator
	}{
		{"no validators", DefaultParams(), coin, nil},
		{"short pubkey", DefaultParams(), coin, []GenesisValidator{{PubKey: make([]byte, 31), Power: 1}}},
		{"zero power", DefaultParams(), coin, []GenesisValidator{{PubKey: pubKey("a"), Power: 0}}},
		{"total power over the cap", DefaultParams(), coin, []GenesisValidator{{pubKey("a"), MaxTotalPower}, {pubKey("b"), 1}}},
		{"duplicate", DefaultParams(), coin, append(genesisOf(10, "a"), genesisOf(3, "a")...)},
		{"bad params", Params{Mode: "x"}, coin, good},
		{"spos without denom", sposParams(0), "", good},
		{"negative height", DefaultParams(), coin, good},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := testkit.OpenStore(t)
			p := tc.params
			p.Denom = tc.denom
			before := dump(t, s.Working())
			height := int64(1)
			if tc.name == "negative height" {
				height = -1
			}
			require.ErrorIs(t, New(p, nil).InitGenesis(s.Working(), tc.vals, height), ErrGenesis)
			require.Equal(t, before, dump(t, s.Working()))
		})
	}
	f := poaFixture(t, good)
	require.ErrorIs(t, f.m.InitGenesis(f.kv, good, 1), ErrGenesis, "twice")
}

func TestABIByMode(t *testing.T) {
	names := func(p Params) []string {
		var out []string
		for _, m := range New(p, nil).ABI().Methods {
			out = append(out, m.Name)
		}
		return out
	}
	require.Equal(t, []string{"validators", "params", "propose", "vote", "proposals"}, names(DefaultParams()))
	require.Equal(t, []string{"validators", "params", "register", "set_share", "unregister", "lease", "cancel_lease", "candidates", "leases", "rewards"}, names(sposParams(0)))
	for _, m := range New(sposParams(0), nil).ABI().Methods {
		ro := map[string]bool{"validators": true, "params": true, "candidates": true, "leases": true, "rewards": true}[m.Name]
		require.Equal(t, ro, m.ReadOnly, m.Name)
	}
}

func TestParamsQuery(t *testing.T) {
	f := sposFixture(t, sposParams(3), codec.MaxU128)
	var p Params
	f.query(t, "params", struct{}{}, &p)
	want := sposParams(3)
	want.Denom = coin
	require.Equal(t, want, p)
}

func TestVotingPowers(t *testing.T) {
	big := codec.U128{Hi: 1 << 20} // 2^84
	tests := []struct {
		name   string
		stakes []codec.U128
		want   []int64
	}{
		{"small stakes keep their value", []codec.U128{u(300), u(150), u(0)}, []int64{300, 150, 1}},
		{"just under the cap", []codec.U128{u(1<<50 - 2)}, []int64{1<<50 - 2}},
		{"at the cap halves", []codec.U128{u(1 << 50)}, []int64{1 << 49}},
		{"u128 stakes", []codec.U128{big, big, u(5)}, []int64{1 << 48, 1 << 48, 1}},
		{"max u128", []codec.U128{codec.MaxU128, codec.MaxU128}, []int64{1<<49 - 1, 1<<49 - 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := votingPowers(tc.stakes)
			require.Equal(t, tc.want, got)
			var sum int64
			for _, p := range got {
				require.Positive(t, p)
				sum += p
			}
			require.Less(t, sum, MaxTotalPower)
		})
	}
	// Many tiny stakes at the limit still fit.
	many := make([]codec.U128, MaxValidatorsLimit)
	for i := range many {
		many[i] = codec.MaxU128
	}
	var sum int64
	for _, p := range votingPowers(many) {
		sum += p
	}
	require.Less(t, sum, MaxTotalPower)
}

// EndBlock writes nothing when it fails.
func TestEndBlockAtomic(t *testing.T) {
	p := sposParams(5)
	f := sposFixture(t, p, codec.MaxU128)
	f.register(t, "A", 0)
	// Break the lease index: the reward finds an indexed lease that is missing.
	f.lease(t, "L1", "A", 10)
	require.NoError(t, f.call(t, account("A"), "set_share", ShareArgs{50}, nil))
	require.NoError(t, store(f.kv).Delete(idKey(pLease, 1)))
	before := dump(t, f.kv)
	_, err := f.m.EndBlock(f.kv, 2, valAddr("A"))
	require.Error(t, err)
	require.Equal(t, before, dump(t, f.kv))
}

// Every node must reach the same app hash: the same genesis and the same
// blocks give the same tree, whatever Go's map order.
func TestDeterministicHash(t *testing.T) {
	names := []string{"a", "b", "c", "d", "e", "f", "g", "h"}
	run := func() []byte {
		p := sposParams(7)
		p.MaxValidators = 3
		f := newFixture(t, p, codec.MaxU128, genesisOf(10, names...), accounts("A", "B", "L1"), startBalance)
		f.register(t, "A", 30)
		f.register(t, "B", 60)
		f.lease(t, "L1", "A", 11)
		f.lease(t, "L1", "B", 13)
		for f.height <= 20 {
			f.endBlock(t, valAddr(names[f.height%int64(len(names))]))
		}
		return f.store.WorkingHash()
	}
	first := run()
	for i := 0; i < 5; i++ {
		require.Equal(t, first, run())
	}
}
