package lightclient_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/state"
	"github.com/vsys/vsys/internal/testkit"
	lc "github.com/vsys/vsys/modules/interchain/lightclient"
	"github.com/vsys/vsys/modules/interchain/lightclient/lctest"
)

// counterparty is a real IAVL store standing in for the counterparty's
// state, two versions committed, and the consensus states a client would
// hold for the headers carrying their roots (ProofHeight).
type counterparty struct {
	store        *state.Store
	v1, v2       int64
	cons1, cons2 lc.ConsensusState
}

func newCounterparty(t *testing.T, f fixture) counterparty {
	t.Helper()
	s := testkit.OpenStore(t)
	w := s.Working()
	for _, k := range []string{"commitments/1", "commitments/2", "commitments/4"} {
		require.NoError(t, w.Set([]byte(k), []byte("hash of "+k)))
	}
	root1, v1, err := s.Commit()
	require.NoError(t, err)
	require.NoError(t, w.Set([]byte("commitments/2"), []byte("changed")))
	require.NoError(t, w.Set([]byte("commitments/3"), []byte("hash of commitments/3")))
	root2, v2, err := s.Commit()
	require.NoError(t, err)
	cons := func(v int64, root []byte) lc.ConsensusState {
		b := f.block(int64(lc.ProofHeight(uint64(v))), int(v))
		b.AppHash = root
		return lctest.ConsensusState(b)
	}
	return counterparty{store: s, v1: v1, v2: v2, cons1: cons(v1, root1), cons2: cons(v2, root2)}
}

func (c counterparty) prove(t *testing.T, v int64, key string) []byte {
	t.Helper()
	_, p, err := c.store.Prove(v, []byte(key))
	require.NoError(t, err)
	b, err := lc.EncodeProof(p)
	require.NoError(t, err)
	return b
}

func TestVerifyMembership(t *testing.T) {
	f := newFixture(t)
	c := newCounterparty(t, f)
	k2, k3 := "commitments/2", "commitments/3"
	v2old, v2new := []byte("hash of commitments/2"), []byte("changed")

	ok := []struct {
		name  string
		at    lc.ConsensusState
		proof []byte
		key   string
		value []byte // nil: non-membership
	}{
		{name: "member at v1", at: c.cons1, proof: c.prove(t, c.v1, k2), key: k2, value: v2old},
		{name: "member at v2", at: c.cons2, proof: c.prove(t, c.v2, k2), key: k2, value: v2new},
		{name: "absent at v1", at: c.cons1, proof: c.prove(t, c.v1, k3), key: k3},
		{name: "absent past the last key", at: c.cons2, proof: c.prove(t, c.v2, "commitments/9"), key: "commitments/9"},
		{name: "absent before the first key", at: c.cons2, proof: c.prove(t, c.v2, "a"), key: "a"},
	}
	for _, o := range ok {
		t.Run(o.name, func(t *testing.T) {
			if o.value != nil {
				require.NoError(t, lc.VerifyMembership(f.cs, f.trusted, o.at, f.now, o.proof, []byte(o.key), o.value))
			} else {
				require.NoError(t, lc.VerifyNonMembership(f.cs, f.trusted, o.at, f.now, o.proof, []byte(o.key)))
			}
		})
	}

	big := make([]byte, lc.MaxProofBytes+1)
	bad := []struct {
		name  string
		cs    lc.ClientState
		at    lc.ConsensusState
		now   time.Time
		proof []byte
		key   string
		value []byte
		want  error
	}{
		{name: "another value", at: c.cons1, proof: c.prove(t, c.v1, k2), key: k2, value: v2new, want: lc.ErrProof},
		{name: "another key", at: c.cons1, proof: c.prove(t, c.v1, k2), key: "commitments/1", value: v2old, want: lc.ErrProof},
		{name: "proof of v2 at the height of v1", at: c.cons1, proof: c.prove(t, c.v2, k2), key: k2, value: v2new, want: lc.ErrProof},
		{name: "proof of v1 at the height of v2", at: c.cons2, proof: c.prove(t, c.v1, k2), key: k2, value: v2old, want: lc.ErrProof},
		{name: "absence of a present key", at: c.cons2, proof: c.prove(t, c.v2, k3), key: k3, want: lc.ErrProof},
		{name: "absence proven by a membership proof", at: c.cons1, proof: c.prove(t, c.v1, k2), key: k2, want: lc.ErrProof},
		{name: "absence at v1 claimed at v2", at: c.cons2, proof: c.prove(t, c.v1, k3), key: k3, want: lc.ErrProof},
		{name: "empty value for a member", at: c.cons1, proof: c.prove(t, c.v1, k2), key: k2, value: []byte{}, want: lc.ErrProof},
		{name: "garbage proof", at: c.cons1, proof: []byte("not a proof"), key: k2, value: v2old, want: lc.ErrProof},
		{name: "empty proof", at: c.cons1, proof: nil, key: k2, value: v2old, want: lc.ErrProof},
		{name: "oversized proof", at: c.cons1, proof: big, key: k2, value: v2old, want: lc.ErrTooLarge},
		{name: "forged root", at: lc.ConsensusState{Timestamp: t0, Root: []byte("forged"), NextValidatorsHash: f.trusted.NextValidatorsHash},
			proof: c.prove(t, c.v1, k2), key: k2, value: v2old, want: lc.ErrProof},
		{name: "client expired", now: t0.Add(time.Hour), at: c.cons1, proof: c.prove(t, c.v1, k2), key: k2, value: v2old, want: lc.ErrExpired},
		{name: "client frozen", cs: lc.Freeze(f.cs), at: c.cons1, proof: c.prove(t, c.v1, k2), key: k2, value: v2old, want: lc.ErrFrozen},
	}
	for _, b := range bad {
		t.Run(b.name, func(t *testing.T) {
			cs, now := f.cs, f.now
			if b.cs != (lc.ClientState{}) {
				cs = b.cs
			}
			if !b.now.IsZero() {
				now = b.now
			}
			var err error
			if b.value != nil {
				err = lc.VerifyMembership(cs, f.trusted, b.at, now, b.proof, []byte(b.key), b.value)
			} else {
				err = lc.VerifyNonMembership(cs, f.trusted, b.at, now, b.proof, []byte(b.key))
			}
			require.ErrorIs(t, err, b.want)
		})
	}
}
