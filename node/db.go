package node

import (
	"fmt"
	"sync"

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
	if err != nil {
		return nil, err
	}
	sd := &shutdownDB{DB: db}
	n.cometDBs = append(n.cometDBs, sd)
	return sd, nil
}

// shutdownDB is one of CometBFT's databases that, once closed, answers a
// read as "not found" instead of with an error. CometBFT 0.38 closes its
// block store in OnStop while a peer's queryMaj23Routine may still be in
// its 2 s sleep; on waking it calls LoadCommit, and the block store
// panics on the "leveldb: closed" error, taking the process down during
// an orderly stop (seen in node/multihost's tests, several nodes in one
// process). A gossip goroutine that finds nothing ends at its next check
// of the reactor; nothing else reads after Stop.
type shutdownDB struct {
	cmtdb.DB
	mu     sync.RWMutex // a read holds it shared, so Close waits for reads in flight
	closed bool
}

// Get implements cmtdb.DB.
func (d *shutdownDB) Get(key []byte) ([]byte, error) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	if d.closed {
		return nil, nil
	}
	return d.DB.Get(key)
}

// Has implements cmtdb.DB.
func (d *shutdownDB) Has(key []byte) (bool, error) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	if d.closed {
		return false, nil
	}
	return d.DB.Has(key)
}

// Close implements cmtdb.DB; a second Close is a no-op.
func (d *shutdownDB) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return nil
	}
	d.closed = true
	return d.DB.Close()
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
