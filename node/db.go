package node

import (
	"fmt"

	cmtdb "github.com/cometbft/cometbft-db"
	cmtcfg "github.com/cometbft/cometbft/config"
	"github.com/syndtr/goleveldb/leveldb/opt"

	"github.com/vsys/vsys/core/state"
	"github.com/vsys/vsys/node/config"
)

// trackDBs hands CometBFT its databases, sized by app.toml's [db], and
// remembers them: CometBFT 0.38 never closes the tx indexer's, so a node
// stopped and started in the same process would find it still locked.
func (n *Node) trackDBs(ctx *cmtcfg.DBContext) (cmtdb.DB, error) {
	db, err := openCometDB(ctx, n.Config.DB)
	if err == nil {
		n.cometDBs = append(n.cometDBs, db)
	}
	return db, err
}

// openCometDB opens one of CometBFT's databases. With [db] at its zero
// value, or a backend other than goleveldb, it is CometBFT's own
// DefaultDBProvider; otherwise the same goleveldb database with [db]'s
// sizes and every other option at the default CometBFT uses (nil
// options: no bloom filter).
func openCometDB(ctx *cmtcfg.DBContext, c config.DB) (cmtdb.DB, error) {
	if c == (config.DB{}) || cmtdb.BackendType(ctx.Config.DBBackend) != cmtdb.GoLevelDBBackend {
		return cmtcfg.DefaultDBProvider(ctx)
	}
	db, err := cmtdb.NewGoLevelDBWithOpts(ctx.ID, ctx.Config.DBDir(), &opt.Options{
		WriteBuffer: c.WriteBufferBytes, BlockCacheCapacity: c.BlockCacheBytes, OpenFilesCacheCapacity: c.OpenFiles,
	})
	if err != nil {
		return nil, fmt.Errorf("open CometBFT database %s: %w", ctx.ID, err)
	}
	return db, nil
}

// stateOptions are the vsys state store's options from app.toml.
func stateOptions(c config.App) state.Options {
	return state.Options{WriteBufferBytes: c.DB.WriteBufferBytes, BlockCacheBytes: c.DB.BlockCacheBytes, OpenFiles: c.DB.OpenFiles}
}
