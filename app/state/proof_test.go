package state

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestProofs(t *testing.T) {
	s, err := Open(t.TempDir(), Options{})
	require.NoError(t, err)
	defer s.Close()
	w := s.Working()
	for _, k := range []string{"a", "b", "d"} {
		require.NoError(t, w.Set([]byte(k), []byte("v"+k)))
	}
	root, v1, err := s.Commit()
	require.NoError(t, err)
	require.NoError(t, w.Set([]byte("b"), []byte("changed")))
	_, _, err = s.Commit()
	require.NoError(t, err)

	// Membership at the first version, against its root.
	val, proof, err := s.Prove(v1, []byte("b"))
	require.NoError(t, err)
	require.Equal(t, []byte("vb"), val)
	require.NoError(t, VerifyProof(root, proof, []byte("b"), val))
	// A tampered value, another key, or another root fails.
	require.ErrorIs(t, VerifyProof(root, proof, []byte("b"), []byte("vx")), ErrProof)
	require.ErrorIs(t, VerifyProof(root, proof, []byte("a"), val), ErrProof)
	require.ErrorIs(t, VerifyProof(s.Hash(), proof, []byte("b"), val), ErrProof)

	// Absence is provable too.
	val, proof, err = s.Prove(v1, []byte("c"))
	require.NoError(t, err)
	require.Nil(t, val)
	require.NoError(t, VerifyProof(root, proof, []byte("c"), nil))
	require.ErrorIs(t, VerifyProof(root, proof, []byte("a"), nil), ErrProof)
}
