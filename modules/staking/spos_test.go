package staking

import (
	"bytes"
	"sort"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/modules/native"
	"github.com/vsys/vsys/modules/token"
)

const startBalance = 10_000

func sposParams(reward uint64) Params {
	return Params{Mode: ModeSPoS, EpochBlocks: 10, MaxValidators: 2, MinSelfStake: u(100), RewardPerBlock: u(reward)}
}

func accounts(names ...string) []address.Address {
	out := make([]address.Address, len(names))
	for i, n := range names {
		out[i] = account(n)
	}
	return out
}

func sposFixture(t *testing.T, p Params, maxSupply codec.U128) *fixture {
	return newFixture(t, p, maxSupply, genesisOf(10, "g0"), accounts("A", "B", "C", "L1", "L2", "L3"), startBalance)
}

func (f *fixture) register(t *testing.T, name string, share uint32) {
	t.Helper()
	require.NoError(t, f.call(t, account(name), "register", RegisterArgs{PubKey: pubKey(name), SharePercent: share}, nil))
}

func (f *fixture) lease(t *testing.T, lessor, cand string, amount uint64) uint64 {
	t.Helper()
	var id uint64
	require.NoError(t, f.call(t, account(lessor), "lease", LeaseArgs{Candidate: account(cand), Amount: u(amount)}, &id))
	return id
}

// updates builds the expected updates, ordered by address like EndBlock's.
func updates(powers map[string]int64) []Update {
	var out []Update
	for n, p := range powers {
		out = append(out, Update{PubKey: pubKey(n), Power: p})
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := address.FromPubKey(out[i].PubKey), address.FromPubKey(out[j].PubKey)
		return bytes.Compare(a[:], b[:]) < 0
	})
	return out
}

func TestSPoSLeaseAndCancel(t *testing.T) {
	f := sposFixture(t, sposParams(0), codec.MaxU128)
	f.register(t, "A", 10)
	require.Equal(t, u(startBalance-100), f.balance(t, account("A")))
	require.Equal(t, u(100), f.balance(t, Address))

	id1 := f.lease(t, "L1", "A", 250)
	id2 := f.lease(t, "L1", "A", 50)
	id3 := f.lease(t, "A", "A", 7) // a self-lease
	require.Equal(t, []uint64{1, 2, 3}, []uint64{id1, id2, id3})
	require.Equal(t, u(startBalance-300), f.balance(t, account("L1")))
	require.Equal(t, u(100+300+7), f.balance(t, Address))

	var cs []Candidate
	f.query(t, "candidates", native.Empty{}, &cs)
	require.Len(t, cs, 2) // g0 and A
	byAddr := map[address.Address]Candidate{}
	for _, c := range cs {
		byAddr[c.Address] = c
	}
	require.Equal(t, Candidate{Address: account("A"), PubKey: pubKey("A"), SelfStake: u(100), Leased: u(307), SharePercent: 10}, byAddr[account("A")])
	require.Equal(t, Candidate{Address: valAddr("g0"), PubKey: pubKey("g0"), SelfStake: u(0), Leased: u(0)}, byAddr[valAddr("g0")])

	var ls []Lease
	f.query(t, "leases", AccountArgs{account("L1")}, &ls)
	require.Equal(t, []Lease{{1, account("L1"), account("A"), u(250)}, {2, account("L1"), account("A"), u(50)}}, ls)
	f.query(t, "leases", AccountArgs{account("A")}, &ls)
	require.Len(t, ls, 3, "received, and the self-lease once")

	require.NoError(t, f.call(t, account("L1"), "cancel_lease", IDArgs{id1}, nil))
	require.Equal(t, u(startBalance-50), f.balance(t, account("L1")))
	require.Equal(t, u(100+50+7), f.balance(t, Address))
	f.query(t, "leases", AccountArgs{account("L1")}, &ls)
	require.Equal(t, []Lease{{2, account("L1"), account("A"), u(50)}}, ls)
	f.query(t, "candidates", native.Empty{}, &cs)
	sum, err := cs[0].Leased.Add(cs[1].Leased)
	require.NoError(t, err)
	require.Equal(t, u(57), sum)

	// Unregister returns the self stake; the leases stay and can be cancelled.
	require.NoError(t, f.call(t, account("A"), "unregister", native.Empty{}, nil))
	require.Equal(t, u(startBalance-7), f.balance(t, account("A")))
	require.ErrorIs(t, f.call(t, account("L2"), "lease", LeaseArgs{account("A"), u(1)}, nil), ErrUnknownCandidate)
	require.NoError(t, f.call(t, account("L1"), "cancel_lease", IDArgs{id2}, nil))
	require.NoError(t, f.call(t, account("A"), "cancel_lease", IDArgs{id3}, nil))
	require.Equal(t, u(startBalance), f.balance(t, account("L1")))
	require.Equal(t, u(startBalance), f.balance(t, account("A")))
	require.True(t, f.balance(t, Address).IsZero())

	// Registering again is allowed, with the same or another key.
	f.register(t, "A", 0)
}

func TestSPoSEpochRotation(t *testing.T) {
	f := sposFixture(t, sposParams(0), codec.MaxU128)
	require.Equal(t, map[address.Address]int64{valAddr("g0"): 10}, powersOf(f.validators(t)))
	f.register(t, "A", 0)
	f.register(t, "B", 0)
	f.register(t, "C", 0)
	f.lease(t, "L1", "B", 50)
	l2 := f.lease(t, "L2", "C", 200)

	for f.height < 10 {
		require.Empty(t, f.endBlock(t, valAddr("g0")), "height %d is not an epoch", f.height)
	}
	// Epoch 1: C (300) and B (150) in; g0 (stake 0) out; A (100) 3rd of 2.
	steps := []struct {
		name   string
		before func()
		want   map[string]int64
	}{
		{"top 2 replace genesis", nil, map[string]int64{"g0": 0, "B": 150, "C": 300}},
		{"a lease lifts A over B", func() { f.lease(t, "L3", "A", 500) }, map[string]int64{"A": 600, "B": 0}},
		{"no change, no updates", nil, nil},
		{"C drops out of the top 2", func() {
			require.NoError(t, f.call(t, account("L2"), "cancel_lease", IDArgs{l2}, nil))
		}, map[string]int64{"B": 150, "C": 0}},
		{"an unregistered candidate leaves", func() {
			require.NoError(t, f.call(t, account("A"), "unregister", native.Empty{}, nil))
		}, map[string]int64{"A": 0, "C": 100}},
	}
	for _, s := range steps {
		if s.before != nil {
			s.before()
		}
		h := f.height + (10-f.height%10)%10
		for f.height < h {
			require.Empty(t, f.endBlock(t, valAddr("g0")))
		}
		var want []Update
		if s.want != nil {
			want = updates(s.want)
		}
		require.Equal(t, want, f.endBlock(t, valAddr("g0")), s.name)
	}
	require.Equal(t, map[address.Address]int64{valAddr("B"): 150, valAddr("C"): 100}, powersOf(f.validators(t)))
	var vs []Validator
	f.query(t, "validators", native.Empty{}, &vs)
	require.Equal(t, f.validators(t), vs)
}

func TestSPoSTiesGoToLowerAddress(t *testing.T) {
	p := sposParams(0)
	p.MaxValidators = 1
	f := sposFixture(t, p, codec.MaxU128)
	f.register(t, "A", 0)
	f.register(t, "B", 0)
	first, a, b := "A", account("A"), account("B")
	if bytes.Compare(b[:], a[:]) < 0 {
		first = "B"
	}
	require.Equal(t, updates(map[string]int64{"g0": 0, first: 100}), f.endBlocksTo(t, 10, valAddr("g0")))
}

// Rewards with odd numbers over many blocks: every block mints exactly
// RewardPerBlock and pays out exactly that, lessors pro rata and rounded
// down, the candidate the rest.
func TestSPoSRewardsSumExactly(t *testing.T) {
	const reward, share, blocks = 1_000_003, 37, 101
	p := sposParams(reward)
	p.EpochBlocks = 1000
	f := sposFixture(t, p, codec.MaxU128)
	f.register(t, "A", share)
	leases := map[string]uint64{"L1": 7, "L2": 11, "L3": 13, "A": 5}
	var leased uint64
	for _, n := range []string{"L1", "L2", "L3", "A"} {
		f.lease(t, n, "A", leases[n])
		leased += leases[n]
	}
	payees := []string{"A", "L1", "L2", "L3"}
	start := map[string]codec.U128{}
	for _, n := range payees {
		start[n] = f.balance(t, account(n))
	}
	// The expected split of one block, computed independently.
	pool := uint64(reward * share / 100)
	perBlock := map[string]uint64{}
	var given uint64
	for n, amt := range leases {
		perBlock[n] += pool * amt / leased
		given += pool * amt / leased
	}
	perBlock["A"] += reward - given
	require.Less(t, given, pool, "rounding leaves a remainder (the test covers it)")

	for i := 0; i < blocks; i++ {
		supply := f.supply(t)
		var sum0 codec.U128
		for _, n := range payees {
			sum0, _ = sum0.Add(f.balance(t, account(n)))
		}
		require.Empty(t, f.endBlock(t, valAddr("A")))
		var sum1 codec.U128
		for _, n := range payees {
			sum1, _ = sum1.Add(f.balance(t, account(n)))
		}
		minted, _ := f.supply(t).Sub(supply)
		require.Equal(t, u(reward), minted)
		paid, _ := sum1.Sub(sum0)
		require.Equal(t, minted, paid, "block %d", i)
	}
	var total codec.U128
	for _, n := range payees {
		var got codec.U128
		f.query(t, "rewards", AccountArgs{account(n)}, &got)
		require.Equal(t, u(perBlock[n]*blocks), got, n)
		gain, _ := f.balance(t, account(n)).Sub(start[n])
		require.Equal(t, got, gain, n)
		total, _ = total.Add(got)
	}
	require.Equal(t, u(reward*blocks), total)

	// A proposer no candidate owns earns nothing; a share of 0 or 100 still sums.
	supply := f.supply(t)
	f.endBlock(t, account("nobody"))
	require.Equal(t, supply, f.supply(t))
	for _, s := range []uint32{0, 100} {
		require.NoError(t, f.call(t, account("A"), "set_share", ShareArgs{s}, nil))
		before := f.balance(t, account("A"))
		f.endBlock(t, valAddr("A"))
		gain, _ := f.balance(t, account("A")).Sub(before)
		if s == 0 {
			require.Equal(t, u(reward), gain)
		} else {
			lessorsGot := uint64(reward*7/leased + reward*11/leased + reward*13/leased)
			require.Equal(t, u(reward-lessorsGot), gain, "A gets its self-lease share and the remainder")
		}
	}
}

func TestSPoSRewardCappedByMaxSupply(t *testing.T) {
	const reward = 1000
	initial := uint64(6 * startBalance)
	p := sposParams(reward)
	p.EpochBlocks = 1000
	f := sposFixture(t, p, u(initial+2*reward+reward/2+1))
	f.register(t, "A", 50)
	f.lease(t, "L1", "A", 3)
	for _, want := range []uint64{reward, reward, reward/2 + 1, 0, 0} {
		supply := f.supply(t)
		f.endBlock(t, valAddr("A"))
		minted, _ := f.supply(t).Sub(supply)
		require.Equal(t, u(want), minted)
	}
	var a, l codec.U128
	f.query(t, "rewards", AccountArgs{account("A")}, &a)
	f.query(t, "rewards", AccountArgs{account("L1")}, &l)
	sum, _ := a.Add(l)
	require.Equal(t, u(2*reward+reward/2+1), sum)
}

// Genesis validators are candidates of their own address with no stake: they
// earn the whole reward (share 0) until they leave the set.
func TestSPoSGenesisValidatorEarns(t *testing.T) {
	f := sposFixture(t, sposParams(9), codec.MaxU128)
	f.endBlock(t, valAddr("g0"))
	require.Equal(t, u(9), f.balance(t, valAddr("g0")))
	owner, ok, err := f.m.Owner(f.kv, valAddr("g0"))
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, valAddr("g0"), owner)
	f.register(t, "A", 0)
	owner, ok, err = f.m.Owner(f.kv, valAddr("A"))
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, account("A"), owner)
}

func TestSPoSRejects(t *testing.T) {
	poor := account("poor")
	tests := []struct {
		name   string
		caller address.Address
		method string
		args   any
		funds  []router.Coin
		want   error
	}{
		{"lease more than balance", account("L1"), "lease", LeaseArgs{account("A"), u(startBalance + 1)}, nil, token.ErrInsufficientFunds},
		{"cancel someone else's lease", account("L2"), "cancel_lease", IDArgs{1}, nil, ErrNotLessor},
		{"candidate cancels a lease to it", account("A"), "cancel_lease", IDArgs{1}, nil, ErrNotLessor},
		{"cancel an unknown lease", account("L1"), "cancel_lease", IDArgs{42}, nil, ErrUnknownLease},
		{"register twice", account("A"), "register", RegisterArgs{pubKey("A2"), 10}, nil, ErrAlreadyCandidate},
		{"register with a pubkey in use", account("B"), "register", RegisterArgs{pubKey("A"), 10}, nil, ErrPubKeyInUse},
		{"register with a genesis pubkey", account("B"), "register", RegisterArgs{pubKey("g0"), 10}, nil, ErrPubKeyInUse},
		{"register with share_percent > 100", account("B"), "register", RegisterArgs{pubKey("B"), 101}, nil, ErrInvalid},
		{"register with a short pubkey", account("B"), "register", RegisterArgs{pubKey("B")[:31], 10}, nil, ErrInvalid},
		{"register without the self stake", poor, "register", RegisterArgs{pubKey("poor"), 10}, nil, token.ErrInsufficientFunds},
		{"set_share > 100", account("A"), "set_share", ShareArgs{101}, nil, ErrInvalid},
		{"set_share of a non-candidate", account("B"), "set_share", ShareArgs{5}, nil, ErrUnknownCandidate},
		{"unregister a non-candidate", account("B"), "unregister", native.Empty{}, nil, ErrUnknownCandidate},
		{"lease to a non-candidate", account("L1"), "lease", LeaseArgs{account("B"), u(1)}, nil, ErrUnknownCandidate},
		{"lease zero", account("L1"), "lease", LeaseArgs{account("A"), u(0)}, nil, ErrInvalid},
		{"funds attached", account("L1"), "lease", LeaseArgs{account("A"), u(1)}, []router.Coin{{Token: coin, Amount: u(5)}}, ErrFundsAttached},
		{"poa method", account("A"), "propose", ProposeArgs{ActionAdd, pubKey("x"), 1}, nil, router.ErrUnknownMethod},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := sposFixture(t, sposParams(0), codec.MaxU128)
			f.register(t, "A", 10)
			f.lease(t, "L1", "A", 100)
			before := dump(t, f.kv)
			err := f.callFunds(t, tc.caller, tc.method, tc.args, nil, tc.funds)
			require.ErrorIs(t, err, tc.want)
			require.Equal(t, before, dump(t, f.kv), "state unchanged")
		})
	}
}

// With every candidate gone the set stays: CometBFT needs validators. An
// unregistered candidate's blocks earn nothing.
func TestSPoSNoCandidatesKeepsSet(t *testing.T) {
	f := sposFixture(t, sposParams(4), codec.MaxU128)
	require.NoError(t, f.call(t, valAddr("g0"), "unregister", native.Empty{}, nil))
	var cs []Candidate
	f.query(t, "candidates", native.Empty{}, &cs)
	require.Empty(t, cs)
	supply := f.supply(t)
	require.Empty(t, f.endBlocksTo(t, 10, valAddr("g0")))
	require.Equal(t, supply, f.supply(t), "no reward without a candidate")
	require.Equal(t, map[address.Address]int64{valAddr("g0"): 10}, powersOf(f.validators(t)))
	// g0's key is free again: someone else may register it.
	require.NoError(t, f.call(t, account("B"), "register", RegisterArgs{PubKey: pubKey("g0")}, nil))
	require.Equal(t, updates(map[string]int64{"g0": 100}), f.endBlocksTo(t, 20, valAddr("g0")))
}
