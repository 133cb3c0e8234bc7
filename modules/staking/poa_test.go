package staking

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/modules/native"
)

var four = []string{"v0", "v1", "v2", "v3"}

func poaFixture(t *testing.T, genesis []GenesisValidator) *fixture {
	var funded []address.Address
	for _, v := range genesis {
		funded = append(funded, address.FromPubKey(v.PubKey))
	}
	return newFixture(t, DefaultParams(), codec.MaxU128, genesis, funded, 100)
}

func TestPoAProposalNeedsMoreThanTwoThirds(t *testing.T) {
	tests := []struct {
		name    string
		args    ProposeArgs
		voters  []string // after the proposer v0
		passes  bool
		want    []Update
		wantSet map[address.Address]int64
	}{
		{"add, 2 of 4 votes", ProposeArgs{ActionAdd, pubKey("new"), 10}, []string{"v1"}, false, nil, nil},
		{"add, 3 of 4 votes", ProposeArgs{ActionAdd, pubKey("new"), 10}, []string{"v1", "v2"}, true,
			[]Update{{pubKey("new"), 10}},
			map[address.Address]int64{valAddr("v0"): 10, valAddr("v1"): 10, valAddr("v2"): 10, valAddr("v3"): 10, valAddr("new"): 10}},
		{"add, 4 of 4 votes", ProposeArgs{ActionAdd, pubKey("new"), 7}, []string{"v1", "v2", "v3"}, true,
			[]Update{{pubKey("new"), 7}},
			map[address.Address]int64{valAddr("v0"): 10, valAddr("v1"): 10, valAddr("v2"): 10, valAddr("v3"): 10, valAddr("new"): 7}},
		{"re-power, 3 of 4", ProposeArgs{ActionAdd, pubKey("v1"), 25}, []string{"v1", "v2"}, true,
			[]Update{{pubKey("v1"), 25}},
			map[address.Address]int64{valAddr("v0"): 10, valAddr("v1"): 25, valAddr("v2"): 10, valAddr("v3"): 10}},
		{"remove, 2 of 4 votes", ProposeArgs{ActionRemove, pubKey("v3"), 0}, []string{"v2"}, false, nil, nil},
		{"remove, 3 of 4 votes (power ignored)", ProposeArgs{ActionRemove, pubKey("v3"), 99}, []string{"v1", "v2"}, true,
			[]Update{{pubKey("v3"), 0}},
			map[address.Address]int64{valAddr("v0"): 10, valAddr("v1"): 10, valAddr("v2"): 10}},
		{"remove self, 3 of 4", ProposeArgs{ActionRemove, pubKey("v0"), 0}, []string{"v1", "v2"}, true,
			[]Update{{pubKey("v0"), 0}},
			map[address.Address]int64{valAddr("v1"): 10, valAddr("v2"): 10, valAddr("v3"): 10}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := poaFixture(t, genesisOf(10, four...))
			before := f.validators(t)
			var id uint64
			require.NoError(t, f.call(t, valAddr("v0"), "propose", tc.args, &id))
			require.Equal(t, uint64(1), id)
			for _, v := range tc.voters {
				require.NoError(t, f.call(t, valAddr(v), "vote", IDArgs{id}, nil))
			}
			var ps []Proposal
			f.query(t, "proposals", native.Empty{}, &ps)
			require.Len(t, ps, 1)
			require.Equal(t, tc.passes, ps[0].Passed)
			require.Equal(t, int64(10*(1+len(tc.voters))), ps[0].VotedPower)
			require.Equal(t, int64(40), ps[0].TotalPower)

			ups := f.endBlock(t, valAddr("v0"))
			if !tc.passes {
				require.Empty(t, ups)
				require.Equal(t, before, f.validators(t))
				f.query(t, "proposals", native.Empty{}, &ps)
				require.Len(t, ps, 1, "still open")
				return
			}
			require.Equal(t, tc.want, ups)
			require.Equal(t, tc.wantSet, powersOf(f.validators(t)))
			var vs []Validator
			f.query(t, "validators", native.Empty{}, &vs)
			require.Equal(t, f.validators(t), vs)
			f.query(t, "proposals", native.Empty{}, &ps)
			require.Empty(t, ps, "closed")
			require.Empty(t, f.endBlock(t, valAddr("v0")), "applied once")
		})
	}
}

func TestPoASingleValidatorProposalPassesAtOnce(t *testing.T) {
	f := poaFixture(t, genesisOf(5, "solo"))
	require.NoError(t, f.call(t, valAddr("solo"), "propose", ProposeArgs{ActionAdd, pubKey("two"), 5}, nil))
	require.Equal(t, []Update{{pubKey("two"), 5}}, f.endBlock(t, valAddr("solo")))
	// Now 2 members of 5: one vote is half, not enough.
	var id uint64
	require.NoError(t, f.call(t, valAddr("two"), "propose", ProposeArgs{ActionRemove, pubKey("solo"), 0}, &id))
	require.Empty(t, f.endBlock(t, valAddr("solo")))
	require.NoError(t, f.call(t, valAddr("solo"), "vote", IDArgs{id}, nil))
	require.Equal(t, []Update{{pubKey("solo"), 0}}, f.endBlock(t, valAddr("two")))
	require.Equal(t, map[address.Address]int64{valAddr("two"): 5}, powersOf(f.validators(t)))
}

// Proposals passing in the same block apply in id order; one that no longer
// applies lapses; and a set change can make an open proposal pass.
func TestPoAEndBlockOrderAndRetally(t *testing.T) {
	g := []GenesisValidator{{pubKey("v0"), 10}, {pubKey("v1"), 10}, {pubKey("v2"), 5}, {pubKey("v3"), 5}}
	f := poaFixture(t, g)
	var add, rm, rm2 uint64
	require.NoError(t, f.call(t, valAddr("v0"), "propose", ProposeArgs{ActionAdd, pubKey("x"), 3}, &add))
	require.NoError(t, f.call(t, valAddr("v1"), "vote", IDArgs{add}, nil)) // 20 of 30: open
	require.NoError(t, f.call(t, valAddr("v0"), "propose", ProposeArgs{ActionRemove, pubKey("v3"), 0}, &rm))
	require.NoError(t, f.call(t, valAddr("v0"), "propose", ProposeArgs{ActionRemove, pubKey("v3"), 0}, &rm2))
	for _, v := range []string{"v1", "v2"} {
		require.NoError(t, f.call(t, valAddr(v), "vote", IDArgs{rm}, nil))
		require.NoError(t, f.call(t, valAddr(v), "vote", IDArgs{rm2}, nil))
	}
	// Both removals passed; the second lapses. One update, no duplicate.
	require.Equal(t, []Update{{pubKey("v3"), 0}}, f.endBlock(t, valAddr("v0")))
	// Without v3 the add has 20 of 25: it passes and applies next block.
	var ps []Proposal
	f.query(t, "proposals", native.Empty{}, &ps)
	require.Len(t, ps, 1)
	require.True(t, ps[0].Passed)
	require.Equal(t, []Update{{pubKey("x"), 3}}, f.endBlock(t, valAddr("v0")))
}

func TestPoARejects(t *testing.T) {
	outsider := account("outsider")
	tests := []struct {
		name   string
		caller address.Address
		method string
		args   any
		want   error
	}{
		{"non-member propose", outsider, "propose", ProposeArgs{ActionAdd, pubKey("new"), 10}, ErrNotMember},
		{"non-member vote", outsider, "vote", IDArgs{1}, ErrNotMember},
		{"vote twice", valAddr("v1"), "vote", IDArgs{1}, ErrAlreadyVoted},
		{"proposer votes again", valAddr("v0"), "vote", IDArgs{1}, ErrAlreadyVoted},
		{"unknown proposal", valAddr("v2"), "vote", IDArgs{99}, ErrUnknownProposal},
		{"bad action", valAddr("v0"), "propose", ProposeArgs{"promote", pubKey("new"), 10}, ErrInvalid},
		{"short pubkey", valAddr("v0"), "propose", ProposeArgs{ActionAdd, make([]byte, 31), 10}, ErrInvalid},
		{"zero power", valAddr("v0"), "propose", ProposeArgs{ActionAdd, pubKey("new"), 0}, ErrInvalid},
		{"negative power", valAddr("v0"), "propose", ProposeArgs{ActionAdd, pubKey("new"), -1}, ErrInvalid},
		{"power over the cap", valAddr("v0"), "propose", ProposeArgs{ActionAdd, pubKey("new"), MaxTotalPower}, ErrTotalPower},
		{"remove a non-member", valAddr("v0"), "propose", ProposeArgs{ActionRemove, pubKey("new"), 0}, ErrNotMember},
		{"spos method", valAddr("v0"), "lease", LeaseArgs{valAddr("v1"), u(1)}, router.ErrUnknownMethod},
		{"funds attached", valAddr("v2"), "vote", IDArgs{1}, ErrFundsAttached},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := poaFixture(t, genesisOf(10, four...))
			require.NoError(t, f.call(t, valAddr("v0"), "propose", ProposeArgs{ActionAdd, pubKey("new"), 10}, nil))
			require.NoError(t, f.call(t, valAddr("v1"), "vote", IDArgs{1}, nil))
			before := dump(t, f.kv)
			var funds []router.Coin
			if tc.want == ErrFundsAttached {
				funds = []router.Coin{{Token: coin, Amount: u(1)}}
			}
			err := f.callFunds(t, tc.caller, tc.method, tc.args, nil, funds)
			require.ErrorIs(t, err, tc.want)
			require.Equal(t, before, dump(t, f.kv), "state unchanged")
		})
	}
}

func TestPoARemoveLastValidator(t *testing.T) {
	f := poaFixture(t, genesisOf(10, "solo"))
	before := dump(t, f.kv)
	err := f.call(t, valAddr("solo"), "propose", ProposeArgs{ActionRemove, pubKey("solo"), 0}, nil)
	require.ErrorIs(t, err, ErrLastValidator)
	require.Equal(t, before, dump(t, f.kv))
}

func TestPoALateVoteOnPassedProposal(t *testing.T) {
	f := poaFixture(t, genesisOf(10, four...))
	require.NoError(t, f.call(t, valAddr("v0"), "propose", ProposeArgs{ActionAdd, pubKey("new"), 10}, nil))
	require.NoError(t, f.call(t, valAddr("v1"), "vote", IDArgs{1}, nil))
	require.NoError(t, f.call(t, valAddr("v2"), "vote", IDArgs{1}, nil))
	require.NoError(t, f.call(t, valAddr("v3"), "vote", IDArgs{1}, nil), "a late vote in the same block is recorded")
	require.ErrorIs(t, f.call(t, valAddr("v3"), "vote", IDArgs{1}, nil), ErrAlreadyVoted)
	require.Equal(t, []Update{{pubKey("new"), 10}}, f.endBlock(t, valAddr("v0")))
	require.ErrorIs(t, f.call(t, valAddr("v3"), "vote", IDArgs{1}, nil), ErrUnknownProposal, "closed")
}
