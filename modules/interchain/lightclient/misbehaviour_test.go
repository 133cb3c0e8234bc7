package lightclient_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	lc "github.com/vsys/vsys/modules/interchain/lightclient"
	"github.com/vsys/vsys/modules/interchain/lightclient/lctest"
)

// fork is two blocks at one height, signed by the same validators, with
// different app hashes: the equivocation a misbehaving set signs.
func (f fixture) fork(height int64) (lctest.Block, lctest.Block) {
	a, b := f.block(height, 20), f.block(height, 20)
	b.AppHash = []byte("the other fork")
	return a, b
}

func TestMisbehaviourFreezes(t *testing.T) {
	f := newFixture(t)
	a, b := f.fork(15)
	m := &lc.Misbehaviour{Header1: lctest.Header(a, 10, f.vals), Header2: lctest.Header(b, 10, f.vals)}
	frozen, err := lc.CheckMisbehaviour(f.cs, f.trusted, f.trusted, f.trusted, m, f.now)
	require.NoError(t, err)
	require.True(t, frozen.IsFrozen())
	require.Equal(t, lc.Frozen, lc.ClientStatus(frozen, f.trusted, f.now))

	// A frozen client refuses everything: updates, proofs and more
	// misbehaviour.
	_, _, err = lc.Update(frozen, f.trusted, f.trusted, lctest.Header(f.block(11, 5), 10, f.vals), f.now)
	require.ErrorIs(t, err, lc.ErrFrozen)
	require.ErrorIs(t, lc.VerifyMembership(frozen, f.trusted, f.trusted, f.now, []byte{1}, []byte("k"), []byte("v")), lc.ErrFrozen)
	require.ErrorIs(t, lc.VerifyNonMembership(frozen, f.trusted, f.trusted, f.now, []byte{1}, []byte("k")), lc.ErrFrozen)
	_, err = lc.CheckMisbehaviour(frozen, f.trusted, f.trusted, f.trusted, m, f.now)
	require.ErrorIs(t, err, lc.ErrFrozen)

	// The encoded misbehaviour (what a tx carries) decodes to the same.
	enc, err := lc.EncodeMisbehaviour(m)
	require.NoError(t, err)
	dec, err := lc.DecodeMisbehaviour(enc)
	require.NoError(t, err)
	again, err := lc.CheckMisbehaviour(f.cs, f.trusted, f.trusted, f.trusted, dec, f.now)
	require.NoError(t, err)
	require.True(t, again.IsFrozen())
}

func TestMisbehaviourRefused(t *testing.T) {
	f := newFixture(t)
	a, b := f.fork(15)
	cases := []struct {
		name string
		m    func() *lc.Misbehaviour
		now  time.Time
		want error
	}{
		{name: "the same header twice", want: lc.ErrNotMisbehaviour, m: func() *lc.Misbehaviour {
			return &lc.Misbehaviour{Header1: lctest.Header(a, 10, f.vals), Header2: lctest.Header(a, 10, f.vals)}
		}},
		{name: "two consistent heights", want: lc.ErrNotMisbehaviour, m: func() *lc.Misbehaviour {
			return &lc.Misbehaviour{Header1: lctest.Header(f.block(16, 30), 10, f.vals), Header2: lctest.Header(a, 10, f.vals)}
		}},
		{name: "header 1 below header 2", want: lc.ErrNotMisbehaviour, m: func() *lc.Misbehaviour {
			return &lc.Misbehaviour{Header1: lctest.Header(a, 10, f.vals), Header2: lctest.Header(f.block(16, 10), 10, f.vals)}
		}},
		{name: "a fork of another chain", want: lc.ErrChainID, m: func() *lc.Misbehaviour {
			a, b := a, b
			a.ChainID, b.ChainID = "chain-x", "chain-x"
			return &lc.Misbehaviour{Header1: lctest.Header(a, 10, f.vals), Header2: lctest.Header(b, 10, f.vals)}
		}},
		{name: "headers of two chains", want: lc.ErrChainID, m: func() *lc.Misbehaviour {
			b := b
			b.ChainID = "chain-x"
			return &lc.Misbehaviour{Header1: lctest.Header(a, 10, f.vals), Header2: lctest.Header(b, 10, f.vals)}
		}},
		{name: "one header signed by too little power", want: lc.ErrInsufficientPower, m: func() *lc.Misbehaviour {
			b := b
			b.Signers = lctest.First(5)
			return &lc.Misbehaviour{Header1: lctest.Header(a, 10, f.vals), Header2: lctest.Header(b, 10, f.vals)}
		}},
		{name: "a fork by validators the client does not trust", want: lc.ErrInsufficientPower, m: func() *lc.Misbehaviour {
			a, b := a, b
			a.Vals = f.vals.Replace("x", 9)
			b.Vals = a.Vals
			return &lc.Misbehaviour{Header1: lctest.Header(a, 10, f.vals), Header2: lctest.Header(b, 10, f.vals)}
		}},
		{name: "trusted validators not the trusted state's", want: lc.ErrTrustedValidators, m: func() *lc.Misbehaviour {
			other := f.vals.Replace("x", 9)
			return &lc.Misbehaviour{Header1: lctest.Header(a, 10, other), Header2: lctest.Header(b, 10, f.vals)}
		}},
		{name: "tampered signature", want: lc.ErrBadHeader, m: func() *lc.Misbehaviour {
			h := lctest.Header(b, 10, f.vals)
			h.SignedHeader.Commit.Signatures[3].Signature[5] ^= 1
			return &lc.Misbehaviour{Header1: lctest.Header(a, 10, f.vals), Header2: h}
		}},
		{name: "missing header", want: lc.ErrNotMisbehaviour, m: func() *lc.Misbehaviour {
			return &lc.Misbehaviour{Header1: lctest.Header(a, 10, f.vals)}
		}},
		{name: "client expired", want: lc.ErrExpired, now: t0.Add(time.Hour), m: func() *lc.Misbehaviour {
			return &lc.Misbehaviour{Header1: lctest.Header(a, 10, f.vals), Header2: lctest.Header(b, 10, f.vals)}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			now := f.now
			if !c.now.IsZero() {
				now = c.now
			}
			got, err := lc.CheckMisbehaviour(f.cs, f.trusted, f.trusted, f.trusted, c.m(), now)
			t.Logf("refused: %v", err)
			require.ErrorIs(t, err, c.want)
			require.Equal(t, f.cs, got, "refused misbehaviour leaves the client as it was")
		})
	}
}

// TestMisbehaviourTimeViolation: a higher block whose time is not after
// a lower one's is misbehaviour (BFT time is monotonic).
func TestMisbehaviourTimeViolation(t *testing.T) {
	f := newFixture(t)
	m := &lc.Misbehaviour{
		Header1: lctest.Header(f.block(16, 20), 10, f.vals),
		Header2: lctest.Header(f.block(15, 20), 10, f.vals),
	}
	frozen, err := lc.CheckMisbehaviour(f.cs, f.trusted, f.trusted, f.trusted, m, f.now)
	require.NoError(t, err)
	require.True(t, frozen.IsFrozen())
}

// TestMisbehaviourTrustedStateExpired: each header is verified from a
// trusted state that must be within the trusting period, even while the
// client itself is active.
func TestMisbehaviourTrustedStateExpired(t *testing.T) {
	f := newFixture(t)
	a, b := f.fork(15)
	now := t0.Add(time.Hour + time.Minute)
	cs := f.cs
	cs.LatestHeight = 100
	latest := lctest.ConsensusState(f.block(100, 3600))
	m := &lc.Misbehaviour{Header1: lctest.Header(a, 10, f.vals), Header2: lctest.Header(b, 10, f.vals)}
	_, err := lc.CheckMisbehaviour(cs, latest, f.trusted, f.trusted, m, now)
	require.ErrorIs(t, err, lc.ErrExpired)
}

// TestCheckForMisbehaviour: a verified header compared with what the
// client stores around its height.
func TestCheckForMisbehaviour(t *testing.T) {
	f := newFixture(t)
	h := lctest.Header(f.block(15, 20), 10, f.vals)
	same := h.ConsensusState()
	_, b := f.fork(15)
	other := lctest.ConsensusState(b)
	before := lctest.ConsensusState(f.block(14, 19))
	after := lctest.ConsensusState(f.block(16, 21))
	sameTime := lctest.ConsensusState(f.block(14, 20))
	cases := []struct {
		name      string
		n         lc.Neighbours
		duplicate bool
		want      error
	}{
		{name: "nothing stored"},
		{name: "ordered neighbours", n: lc.Neighbours{Prev: &before, Next: &after}},
		{name: "the same state stored", n: lc.Neighbours{Existing: &same}, duplicate: true},
		{name: "another state stored", n: lc.Neighbours{Existing: &other}, want: lc.ErrMisbehaviour},
		{name: "previous not earlier", n: lc.Neighbours{Prev: &sameTime}, want: lc.ErrMisbehaviour},
		{name: "next not later", n: lc.Neighbours{Next: &before}, want: lc.ErrMisbehaviour},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dup, err := lc.CheckForMisbehaviour(h, c.n)
			require.ErrorIs(t, err, c.want)
			require.Equal(t, c.duplicate, dup)
		})
	}
}
