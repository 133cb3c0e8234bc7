package node

import (
	"bytes"
	"fmt"
	"path/filepath"
	"testing"

	cmtcfg "github.com/cometbft/cometbft/config"
	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/node/config"
)

// TestCometDBSizes: app.toml's [db] reaches CometBFT's goleveldb
// databases. 1 MiB written to a block store stays in the memtable (no
// table file yet) at the defaults, and is written out as tables under
// config.Small's write buffer; both read back the same.
func TestCometDBSizes(t *testing.T) {
	require.Zero(t, blockStoreTables(t, config.DB{}), "goleveldb's 4 MiB write buffer")
	require.Positive(t, blockStoreTables(t, config.Small(config.Default()).DB), "config.Small's write buffer")
}

// blockStoreTables writes 1 MiB to a block store opened with db and
// returns how many table files it has then.
func blockStoreTables(t *testing.T, db config.DB) int {
	t.Helper()
	cfg := cmtcfg.DefaultConfig()
	cfg.SetRoot(t.TempDir())
	store, err := openCometDB(&cmtcfg.DBContext{ID: "blockstore", Config: cfg}, db)
	require.NoError(t, err)
	defer func() { require.NoError(t, store.Close()) }()
	for i := range 256 {
		require.NoError(t, store.Set([]byte(fmt.Sprintf("block-%04d", i)), bytes.Repeat([]byte{byte(i)}, 4096)))
	}
	v, err := store.Get([]byte("block-0007"))
	require.NoError(t, err)
	require.Equal(t, bytes.Repeat([]byte{7}, 4096), v)
	tables, err := filepath.Glob(filepath.Join(cfg.DBDir(), "blockstore.db", "*.ldb"))
	require.NoError(t, err)
	return len(tables)
}
