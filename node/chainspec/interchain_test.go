package chainspec_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/node/chainspec"
)

// TestCreateWithInterchain: a chain can be made with the interchain
// module (`vsysd chain create --modules token,interchain`).
func TestCreateWithInterchain(t *testing.T) {
	res, err := chainspec.Create(filepath.Join(t.TempDir(), "hub"), chainspec.Spec{Name: "hub", Modules: []string{"interchain", "token"}, Validators: 1})
	require.NoError(t, err)
	require.Equal(t, []string{"token", "interchain"}, res.Modules)
}
