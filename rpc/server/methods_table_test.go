package server

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/app"
	"github.com/vsys/vsys/core/state"
	"github.com/vsys/vsys/internal/testkit"
	"github.com/vsys/vsys/rpc"
)

// TestMethodTable checks rpc.Methods, the one table of the vsys_* methods,
// against what reads it: the server registers exactly the table (the
// methods that need no app also without one), every entry has a handler
// and nothing else does, and docs/rpc.md documents exactly the table.
func TestMethodTable(t *testing.T) {
	var all, noApp []string
	for _, m := range rpc.Methods() {
		require.True(t, strings.HasPrefix(m.Name, "vsys_"), m.Name)
		require.NotEmpty(t, m.Doc, m.Name)
		require.NotContains(t, all, m.Name, "listed twice")
		all = append(all, m.Name)
		if !m.NeedsApp {
			noApp = append(noApp, m.Name)
		}
	}
	slices.Sort(all)
	slices.Sort(noApp)

	handlers := (&handlers{}).byMethod()
	for name, h := range handlers {
		require.Contains(t, all, name, "a handler for a method not in rpc.Methods")
		require.NotNil(t, h, name)
	}
	require.Len(t, handlers, len(all))

	store, err := state.Open(t.TempDir(), state.Options{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = store.Close() })
	a, err := app.New(store, app.Options{})
	require.NoError(t, err)
	require.Equal(t, all, New(Backend{App: a}, 0).Methods(), "registered with an app")
	require.Equal(t, noApp, New(Backend{}, 0).Methods(), "registered without an app (kvstore)")

	doc, err := os.ReadFile(filepath.Join(testkit.RepoRoot(t), "docs", "rpc.md"))
	require.NoError(t, err)
	var documented []string
	for _, line := range strings.Split(string(doc), "\n") {
		if !strings.HasPrefix(line, "| `vsys_") {
			continue // only the rows of the methods table name a method first
		}
		first, _, _ := strings.Cut(strings.TrimPrefix(line, "| "), " |")
		for _, m := range regexp.MustCompile("`(vsys_[A-Za-z]+)`").FindAllStringSubmatch(first, -1) {
			documented = append(documented, m[1])
		}
	}
	slices.Sort(documented)
	require.Equal(t, all, documented, "docs/rpc.md's methods table")
}
