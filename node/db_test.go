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
	for _, c := range []struct {
		db         config.DB
		wantTables bool
	}{{config.DB{}, false}, {config.Small(config.Default()).DB, true}} {
		cfg := cmtcfg.DefaultConfig()
		cfg.SetRoot(t.TempDir())
		db, err := openCometDB(&cmtcfg.DBContext{ID: "blockstore", Config: cfg}, c.db)
		require.NoError(t, err)
		for i := range 256 {
			require.NoError(t, db.Set([]byte(fmt.Sprintf("block-%04d", i)), bytes.Repeat([]byte{byte(i)}, 4096)))
		}
		tables, err := filepath.Glob(filepath.Join(cfg.DBDir(), "blockstore.db", "*.ldb"))
		require.NoError(t, err)
		require.Equal(t, c.wantTables, len(tables) > 0, "%+v: %d table files", c.db, len(tables))
		v, err := db.Get([]byte("block-0007"))
		require.NoError(t, err)
		require.Equal(t, bytes.Repeat([]byte{7}, 4096), v)
		require.NoError(t, db.Close())
	}
}
