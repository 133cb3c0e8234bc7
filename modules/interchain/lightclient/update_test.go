package lightclient_test

import (
	"errors"
	"testing"
	"time"

	"github.com/cometbft/cometbft/types"
	"github.com/stretchr/testify/require"

	lc "github.com/vsys/vsys/modules/interchain/lightclient"
	"github.com/vsys/vsys/modules/interchain/lightclient/lctest"
)

const chainID = "chain-b"

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// fixture is a client of chainID created at height 10 (time t0) with
// nine validators of equal power, and the block time "now" a minute on.
type fixture struct {
	vals    *lctest.Validators
	cs      lc.ClientState
	trusted lc.ConsensusState // at height 10
	now     time.Time
}

func newFixture(t *testing.T) fixture {
	t.Helper()
	vals := lctest.NewValidators("v", 9, 10)
	f := fixture{
		vals: vals,
		cs: lc.ClientState{
			ChainID: chainID, TrustLevel: lc.DefaultTrustLevel,
			TrustingPeriod: time.Hour, UnbondingPeriod: 2 * time.Hour, MaxClockDrift: 10 * time.Second,
			LatestHeight: 10,
		},
		trusted: lctest.ConsensusState(f0(vals)),
		now:     t0.Add(time.Minute),
	}
	require.NoError(t, lc.ValidateNew(f.cs, f.trusted, f.now))
	return f
}

// f0 is the block the client was created at.
func f0(vals *lctest.Validators) lctest.Block {
	return lctest.Block{ChainID: chainID, Height: 10, Time: t0, AppHash: []byte("app-10"), Vals: vals}
}

// block is a block of the fixture's chain at height, seconds after t0.
func (f fixture) block(height int64, secs int) lctest.Block {
	return lctest.Block{ChainID: chainID, Height: height, Time: t0.Add(time.Duration(secs) * time.Second),
		AppHash: []byte{byte(height)}, Vals: f.vals}
}

func TestUpdate(t *testing.T) {
	f := newFixture(t)
	// Five of nine replaced: four ninths of the trusted power remain,
	// more than the 1/3 trust level. Six replaced leave exactly 1/3,
	// which is not more than it.
	five := f.vals.Replace("w", 5)
	six := f.vals.Replace("w", 6)
	isOld := func(v *lctest.Validators, i int) bool {
		_, val := f.vals.Set.GetByAddress(v.Set.Validators[i].Address)
		return val != nil
	}

	cases := []struct {
		name   string
		header func() *lc.Header
		now    time.Time // zero: f.now
		cs     func(lc.ClientState) lc.ClientState
		want   error
	}{
		{name: "adjacent", header: func() *lc.Header { return lctest.Header(f.block(11, 5), 10, f.vals) }},
		{name: "skipping, validators unchanged", header: func() *lc.Header { return lctest.Header(f.block(50, 30), 10, f.vals) }},
		{name: "skipping, 5 of 9 validators changed", header: func() *lc.Header {
			b := f.block(20, 10)
			b.Vals = five
			return lctest.Header(b, 10, f.vals)
		}},
		{name: "skipping, 6 of 9 changed: exactly 1/3 trusted power", want: lc.ErrInsufficientPower, header: func() *lc.Header {
			b := f.block(20, 10)
			b.Vals = six
			return lctest.Header(b, 10, f.vals)
		}},
		{name: "skipping, too little trusted power signed", want: lc.ErrInsufficientPower, header: func() *lc.Header {
			// The five new validators and two old ones sign: 7/9 of the
			// new set, but only 2/9 of the trusted one.
			b := f.block(20, 10)
			b.Vals = five
			old := 0
			b.Signers = func(i int) bool {
				if !isOld(five, i) {
					return true
				}
				old++
				return old <= 2
			}
			return lctest.Header(b, 10, f.vals)
		}},
		{name: "adjacent, 2/3 of its validators did not sign", want: lc.ErrInsufficientPower, header: func() *lc.Header {
			b := f.block(11, 5)
			b.Signers = lctest.First(6) // 6/9 is not more than 2/3
			return lctest.Header(b, 10, f.vals)
		}},
		{name: "adjacent, validators not the trusted next ones", want: lc.ErrBadHeader, header: func() *lc.Header {
			b := f.block(11, 5)
			b.Vals = five
			return lctest.Header(b, 10, f.vals)
		}},
		{name: "future beyond the drift", want: lc.ErrHeaderFuture, header: func() *lc.Header {
			return lctest.Header(f.block(11, 60+10), 10, f.vals)
		}},
		{name: "future within the drift", header: func() *lc.Header {
			return lctest.Header(f.block(11, 60+9), 10, f.vals)
		}},
		{name: "time not after the trusted header", want: lc.ErrBadHeader, header: func() *lc.Header {
			return lctest.Header(f.block(11, 0), 10, f.vals)
		}},
		{name: "wrong chain id", want: lc.ErrChainID, header: func() *lc.Header {
			b := f.block(11, 5)
			b.ChainID = "chain-x"
			return lctest.Header(b, 10, f.vals)
		}},
		{name: "height equal to trusted", want: lc.ErrHeight, header: func() *lc.Header {
			return lctest.Header(f.block(10, 5), 10, f.vals)
		}},
		{name: "height below trusted", want: lc.ErrHeight, header: func() *lc.Header {
			return lctest.Header(f.block(9, 5), 10, f.vals)
		}},
		{name: "trusted validators not the trusted state's", want: lc.ErrTrustedValidators, header: func() *lc.Header {
			return lctest.Header(f.block(20, 10), 10, five)
		}},
		{name: "validator set not the header's", want: lc.ErrBadHeader, header: func() *lc.Header {
			h := lctest.Header(f.block(11, 5), 10, f.vals)
			h.ValidatorSet = five.Set
			return h
		}},
		{name: "tampered commit signature", want: lc.ErrBadHeader, header: func() *lc.Header {
			h := lctest.Header(f.block(11, 5), 10, f.vals)
			h.SignedHeader.Commit.Signatures[0].Signature[0] ^= 1
			return h
		}},
		{name: "tampered app hash after signing", want: lc.ErrBadHeader, header: func() *lc.Header {
			h := lctest.Header(f.block(11, 5), 10, f.vals)
			h.SignedHeader.AppHash = []byte("forged")
			return h
		}},
		{name: "client expired", want: lc.ErrExpired, now: t0.Add(time.Hour),
			header: func() *lc.Header { return lctest.Header(f.block(11, 5), 10, f.vals) }},
		{name: "client frozen", want: lc.ErrFrozen, cs: lc.Freeze,
			header: func() *lc.Header { return lctest.Header(f.block(11, 5), 10, f.vals) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			now, cs := f.now, f.cs
			if !c.now.IsZero() {
				now = c.now
			}
			if c.cs != nil {
				cs = c.cs(cs)
			}
			h := c.header()
			got, cons, err := lc.Update(cs, f.trusted, f.trusted, h, now)
			if c.want != nil {
				t.Logf("refused: %v", err)
				require.ErrorIs(t, err, c.want)
				require.Equal(t, cs, got, "a refused update changes nothing")
				return
			}
			require.NoError(t, err)
			require.Equal(t, h.Height(), got.LatestHeight)
			require.Equal(t, h.ConsensusState(), cons)
			require.Equal(t, []byte(h.SignedHeader.AppHash), cons.Root)
		})
	}
}

// TestUpdateFromExpiredTrustedState: the client itself is active (its
// latest state is fresh) but the header is verified from an old state
// past the trusting period, which light.Verify refuses.
func TestUpdateFromExpiredTrustedState(t *testing.T) {
	f := newFixture(t)
	now := t0.Add(time.Hour + time.Minute)
	cs := f.cs
	cs.LatestHeight = 100
	latest := lctest.ConsensusState(f.block(100, 3600))
	_, _, err := lc.Update(cs, latest, f.trusted, lctest.Header(f.block(101, 3610), 10, f.vals), now)
	require.ErrorIs(t, err, lc.ErrExpired)
}

// TestUpdateKeepsLatestHeight: a header below the latest height (filling
// in a past height) does not move LatestHeight back.
func TestUpdateKeepsLatestHeight(t *testing.T) {
	f := newFixture(t)
	cs, _, err := lc.Update(f.cs, f.trusted, f.trusted, lctest.Header(f.block(30, 20), 10, f.vals), f.now)
	require.NoError(t, err)
	require.EqualValues(t, 30, cs.LatestHeight)
	cs, cons, err := lc.Update(cs, lctest.ConsensusState(f.block(30, 20)), f.trusted, lctest.Header(f.block(20, 10), 10, f.vals), f.now)
	require.NoError(t, err)
	require.EqualValues(t, 30, cs.LatestHeight)
	require.Equal(t, []byte{20}, cons.Root)
}

// TestUpdateChain walks a client along a chain whose validators change
// every step, each header verified from the one before.
func TestUpdateChain(t *testing.T) {
	f := newFixture(t)
	cs, trusted, vals := f.cs, f.trusted, f.vals
	for i := 1; i <= 5; i++ {
		next := vals.Replace("step"+string(rune('0'+i)), 3)
		b := f.block(int64(10+i*10), i*10)
		b.Vals = vals
		b.NextVals = next
		h := lctest.Header(b, cs.LatestHeight, vals)
		var err error
		cs, trusted, err = lc.Update(cs, trusted, trusted, h, f.now)
		require.NoError(t, err, "step %d", i)
		vals = next
	}
	require.EqualValues(t, 60, cs.LatestHeight)
	// The trusted state's next validators are the last set: a header
	// verified from it with the set before is refused.
	b := f.block(61, 55)
	b.Vals = vals
	_, _, err := lc.Update(cs, trusted, trusted, lctest.Header(b, 60, f.vals), f.now)
	require.ErrorIs(t, err, lc.ErrTrustedValidators)
	_, _, err = lc.Update(cs, trusted, trusted, lctest.Header(b, 60, vals), f.now)
	require.NoError(t, err)
}

// TestEmptyInputsAreErrors: missing parts are refused with a sentinel,
// never a panic.
func TestEmptyInputsAreErrors(t *testing.T) {
	f := newFixture(t)
	full := lctest.Header(f.block(11, 5), 10, f.vals)
	for name, h := range map[string]*lc.Header{
		"nil":               nil,
		"empty":             {},
		"no commit":         {SignedHeader: &types.SignedHeader{Header: full.SignedHeader.Header}, ValidatorSet: full.ValidatorSet, TrustedHeight: 10, TrustedValidators: full.TrustedValidators},
		"no validators":     {SignedHeader: full.SignedHeader, TrustedHeight: 10, TrustedValidators: full.TrustedValidators},
		"no trusted set":    {SignedHeader: full.SignedHeader, ValidatorSet: full.ValidatorSet, TrustedHeight: 10},
		"no header in it":   {SignedHeader: &types.SignedHeader{Commit: full.SignedHeader.Commit}, ValidatorSet: full.ValidatorSet, TrustedHeight: 10, TrustedValidators: full.TrustedValidators},
		"no trusted height": {SignedHeader: full.SignedHeader, ValidatorSet: full.ValidatorSet, TrustedValidators: full.TrustedValidators},
	} {
		t.Run(name, func(t *testing.T) {
			_, _, err := lc.Update(f.cs, f.trusted, f.trusted, h, f.now)
			require.Error(t, err)
			require.True(t, errors.Is(err, lc.ErrBadHeader) || errors.Is(err, lc.ErrHeight), "%v", err)
			_, err = lc.CheckMisbehaviour(f.cs, f.trusted, f.trusted, f.trusted, &lc.Misbehaviour{Header1: h, Header2: full}, f.now)
			require.Error(t, err)
		})
	}
	_, err := lc.CheckForMisbehaviour(nil, lc.Neighbours{})
	require.ErrorIs(t, err, lc.ErrBadHeader)
	_, err = lc.CheckMisbehaviour(f.cs, f.trusted, f.trusted, f.trusted, nil, f.now)
	require.ErrorIs(t, err, lc.ErrNotMisbehaviour)
	_, err = lc.EncodeMisbehaviour(nil)
	require.ErrorIs(t, err, lc.ErrNotMisbehaviour)
}
