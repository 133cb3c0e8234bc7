package lightclient_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	lc "github.com/vsys/vsys/modules/interchain/lightclient"
	"github.com/vsys/vsys/modules/interchain/lightclient/lctest"
)

func TestValidateNew(t *testing.T) {
	f := newFixture(t)
	cases := []struct {
		name string
		edit func(*lc.ClientState, *lc.ConsensusState)
		now  time.Time
		want error
	}{
		{name: "valid"},
		{name: "trust level 1", edit: func(cs *lc.ClientState, _ *lc.ConsensusState) {
			cs.TrustLevel = lc.TrustLevel{Numerator: 1, Denominator: 1}
		}},
		{name: "empty chain id", want: lc.ErrBadClientState, edit: func(cs *lc.ClientState, _ *lc.ConsensusState) { cs.ChainID = " " }},
		{name: "long chain id", want: lc.ErrBadClientState, edit: func(cs *lc.ClientState, _ *lc.ConsensusState) { cs.ChainID = strings.Repeat("c", 51) }},
		{name: "trust level below 1/3", want: lc.ErrBadClientState, edit: func(cs *lc.ClientState, _ *lc.ConsensusState) {
			cs.TrustLevel = lc.TrustLevel{Numerator: 1, Denominator: 4}
		}},
		{name: "trust level above 1", want: lc.ErrBadClientState, edit: func(cs *lc.ClientState, _ *lc.ConsensusState) {
			cs.TrustLevel = lc.TrustLevel{Numerator: 4, Denominator: 3}
		}},
		{name: "trust level over zero", want: lc.ErrBadClientState, edit: func(cs *lc.ClientState, _ *lc.ConsensusState) { cs.TrustLevel = lc.TrustLevel{} }},
		{name: "no trusting period", want: lc.ErrBadClientState, edit: func(cs *lc.ClientState, _ *lc.ConsensusState) { cs.TrustingPeriod = 0 }},
		{name: "negative unbonding period", want: lc.ErrBadClientState, edit: func(cs *lc.ClientState, _ *lc.ConsensusState) { cs.UnbondingPeriod = -1 }},
		{name: "no clock drift", want: lc.ErrBadClientState, edit: func(cs *lc.ClientState, _ *lc.ConsensusState) { cs.MaxClockDrift = 0 }},
		{name: "trusting not below unbonding", want: lc.ErrBadClientState, edit: func(cs *lc.ClientState, _ *lc.ConsensusState) { cs.TrustingPeriod = cs.UnbondingPeriod }},
		{name: "zero height", want: lc.ErrBadClientState, edit: func(cs *lc.ClientState, _ *lc.ConsensusState) { cs.LatestHeight = 0 }},
		{name: "frozen", want: lc.ErrBadClientState, edit: func(cs *lc.ClientState, _ *lc.ConsensusState) { *cs = lc.Freeze(*cs) }},
		{name: "no root", want: lc.ErrBadConsensusState, edit: func(_ *lc.ClientState, c *lc.ConsensusState) { c.Root = nil }},
		{name: "short validators hash", want: lc.ErrBadConsensusState, edit: func(_ *lc.ClientState, c *lc.ConsensusState) { c.NextValidatorsHash = c.NextValidatorsHash[:31] }},
		{name: "no timestamp", want: lc.ErrBadConsensusState, edit: func(_ *lc.ClientState, c *lc.ConsensusState) { c.Timestamp = time.Unix(0, 0) }},
		{name: "already expired", want: lc.ErrExpired, now: t0.Add(time.Hour)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cs, cons, now := f.cs, f.trusted, f.now
			cons.NextValidatorsHash = append([]byte(nil), cons.NextValidatorsHash...)
			if c.edit != nil {
				c.edit(&cs, &cons)
			}
			if !c.now.IsZero() {
				now = c.now
			}
			require.ErrorIs(t, lc.ValidateNew(cs, cons, now), c.want)
		})
	}
}

func TestClientStatus(t *testing.T) {
	f := newFixture(t)
	require.Equal(t, lc.Active, lc.ClientStatus(f.cs, f.trusted, f.now))
	// Expired exactly when latest + trusting period <= now, as ibc-go's
	// IsExpired.
	require.Equal(t, lc.Active, lc.ClientStatus(f.cs, f.trusted, t0.Add(time.Hour-time.Nanosecond)))
	require.Equal(t, lc.Expired, lc.ClientStatus(f.cs, f.trusted, t0.Add(time.Hour)))
	require.Equal(t, lc.Frozen, lc.ClientStatus(lc.Freeze(f.cs), f.trusted, f.now))
	require.Equal(t, t0.Add(time.Hour), lc.ExpiresAt(f.cs, f.trusted))
	require.Equal(t, lc.Expired, lc.ClientStatus(f.cs, f.trusted, lc.ExpiresAt(f.cs, f.trusted)))
	require.Equal(t, lc.Frozen, lc.ClientStatus(lc.Freeze(f.cs), f.trusted, t0.Add(time.Hour)), "frozen outranks expired")
	require.Equal(t, "Active Expired Frozen", strings.Join([]string{lc.Active.String(), lc.Expired.String(), lc.Frozen.String()}, " "))
}

// TestExpiredClientRefusesUpdates: once the latest consensus state is a
// trusting period old, no header revives the client; only Recover does.
func TestExpiredClientRefusesUpdates(t *testing.T) {
	f := newFixture(t)
	later := t0.Add(2 * time.Hour)
	b := f.block(11, 2*3600-5) // a header that is itself fresh
	_, _, err := lc.Update(f.cs, f.trusted, f.trusted, lctest.Header(b, 10, f.vals), later)
	require.ErrorIs(t, err, lc.ErrExpired)
}

func TestRecover(t *testing.T) {
	f := newFixture(t)
	a, b := f.fork(15)
	frozen, err := lc.CheckMisbehaviour(f.cs, f.trusted, f.trusted, f.trusted,
		&lc.Misbehaviour{Header1: lctest.Header(a, 10, f.vals), Header2: lctest.Header(b, 10, f.vals)}, f.now)
	require.NoError(t, err)

	// The substitute: a new client of the same chain, created later
	// from a header the operators trust.
	later := t0.Add(30 * time.Minute)
	sb := f.block(40, 30*60-10)
	sub := f.cs
	sub.LatestHeight = 40
	sub.TrustingPeriod = 50 * time.Minute
	subCons := lctest.ConsensusState(sb)
	require.NoError(t, lc.ValidateNew(sub, subCons, later))

	got, err := lc.Recover(frozen, f.trusted, sub, subCons, later)
	require.NoError(t, err)
	require.False(t, got.IsFrozen())
	require.EqualValues(t, 40, got.LatestHeight)
	require.Equal(t, sub.TrustingPeriod, got.TrustingPeriod, "the substitute's trusting period, as ibc-go")
	require.Equal(t, lc.Active, lc.ClientStatus(got, subCons, later))
	// It updates again, from the substitute's consensus state.
	_, _, err = lc.Update(got, subCons, subCons, lctest.Header(f.block(41, 30*60), 40, f.vals), later)
	require.NoError(t, err)

	// An expired client recovers the same way.
	expiredNow := t0.Add(time.Hour + time.Minute)
	sb2 := f.block(60, 3600+30)
	sub2 := sub
	sub2.LatestHeight = 60
	got, err = lc.Recover(f.cs, f.trusted, sub2, lctest.ConsensusState(sb2), expiredNow)
	require.NoError(t, err)
	require.EqualValues(t, 60, got.LatestHeight)

	bad := []struct {
		name    string
		subject lc.ClientState
		edit    func(*lc.ClientState)
		now     time.Time
	}{
		{name: "subject active", subject: f.cs, now: f.now},
		{name: "another chain", subject: frozen, edit: func(c *lc.ClientState) { c.ChainID = "chain-x" }},
		{name: "another trust level", subject: frozen, edit: func(c *lc.ClientState) { c.TrustLevel = lc.TrustLevel{Numerator: 1, Denominator: 2} }},
		{name: "another unbonding period", subject: frozen, edit: func(c *lc.ClientState) { c.UnbondingPeriod++ }},
		{name: "another clock drift", subject: frozen, edit: func(c *lc.ClientState) { c.MaxClockDrift++ }},
		{name: "substitute not ahead", subject: frozen, edit: func(c *lc.ClientState) { c.LatestHeight = 10 }},
		{name: "substitute frozen", subject: frozen, edit: func(c *lc.ClientState) { *c = lc.Freeze(*c) }},
		{name: "substitute expired", subject: frozen, now: later.Add(time.Hour)},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			s := sub
			if c.edit != nil {
				c.edit(&s)
			}
			now := later
			if !c.now.IsZero() {
				now = c.now
			}
			got, err := lc.Recover(c.subject, f.trusted, s, subCons, now)
			require.ErrorIs(t, err, lc.ErrSubstitute)
			require.Equal(t, c.subject, got)
		})
	}
}

func TestStateEncodingGolden(t *testing.T) {
	f := newFixture(t)
	enc := lc.EncodeClientState(f.cs)
	// chain id (u32 length + bytes), trust level (u64 u64), three i64
	// durations in nanoseconds, latest and frozen height (u64).
	require.Equal(t,
		"07000000"+"636861696e2d62"+"0100000000000000"+"0300000000000000"+
			"00a0b83046030000"+"004071618c060000"+"00e40b5402000000"+
			"0a00000000000000"+"0000000000000000",
		hexOf(enc))
	back, err := lc.DecodeClientState(enc)
	require.NoError(t, err)
	require.Equal(t, f.cs, back)
	frozen := lc.Freeze(f.cs)
	back, err = lc.DecodeClientState(lc.EncodeClientState(frozen))
	require.NoError(t, err)
	require.Equal(t, frozen, back)

	cons := lc.EncodeConsensusState(f.trusted)
	// timestamp (i64 Unix ns), root and next validators hash (u32 length + bytes).
	require.Equal(t,
		"0000faed51728618"+"06000000"+"6170702d3130"+"20000000"+hexOf(f.vals.Set.Hash()),
		hexOf(cons))
	cback, err := lc.DecodeConsensusState(cons)
	require.NoError(t, err)
	require.True(t, f.trusted.Equal(cback))
	require.Equal(t, f.trusted, cback)

	for _, b := range [][]byte{nil, enc[:len(enc)-1], append(enc, 0)} {
		_, err := lc.DecodeClientState(b)
		require.ErrorIs(t, err, lc.ErrBadClientState)
	}
	for _, b := range [][]byte{nil, cons[:len(cons)-1], append(cons, 0)} {
		_, err := lc.DecodeConsensusState(b)
		require.ErrorIs(t, err, lc.ErrBadConsensusState)
	}
}
