package dirsize

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestBytes(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "a", "b"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "x"), make([]byte, 1000), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a", "b", "y"), make([]byte, 2345), 0o644))
	require.NoError(t, os.Symlink(filepath.Join(dir, "x"), filepath.Join(dir, "a", "link"))) // not counted twice
	n, err := Bytes(dir, 0)
	require.NoError(t, err)
	require.Equal(t, int64(3345), n)

	// 6 entries: dir, a, a/b, a/b/y, a/link, x.
	_, err = Bytes(dir, 5)
	require.ErrorIs(t, err, ErrTooManyEntries)
	n, err = Bytes(dir, 6)
	require.NoError(t, err)
	require.Equal(t, int64(3345), n)

	_, err = Bytes(filepath.Join(dir, "missing"), 0)
	require.ErrorIs(t, err, os.ErrNotExist)
	require.False(t, Exists(filepath.Join(dir, "missing")))
	require.True(t, Exists(dir))
}
