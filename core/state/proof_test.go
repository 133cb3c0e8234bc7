package state

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/proof"
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
	val, p, err := s.Prove(v1, []byte("b"))
	require.NoError(t, err)
	require.Equal(t, []byte("vb"), val)
	require.NoError(t, proof.Verify(root, p, []byte("b"), val))
	// A tampered value, another key, or another root fails.
	require.ErrorIs(t, proof.Verify(root, p, []byte("b"), []byte("vx")), proof.ErrProof)
	require.ErrorIs(t, proof.Verify(root, p, []byte("a"), val), proof.ErrProof)
	require.ErrorIs(t, proof.Verify(s.Hash(), p, []byte("b"), val), proof.ErrProof)

	// Absence is provable too.
	val, p, err = s.Prove(v1, []byte("c"))
	require.NoError(t, err)
	require.Nil(t, val)
	require.NoError(t, proof.Verify(root, p, []byte("c"), nil))
	require.ErrorIs(t, proof.Verify(root, p, []byte("a"), nil), proof.ErrProof)
}
