package config

import "fmt"

// DB sizes the memory of the node's goleveldb databases: CometBFT's block
// store, state, evidence and tx index, and the vsys state. It changes how
// much each database buffers and caches, never what it stores, so nodes
// with different [db] settings fed the same blocks reach the same app
// hash. A zero field keeps goleveldb's default.
type DB struct {
	WriteBufferBytes int `toml:"write_buffer_bytes" comment:"memtable of each database, written out as a table when full; 0: goleveldb's 4 MiB"`
	BlockCacheBytes  int `toml:"block_cache_bytes" comment:"cache of table blocks read from disk, per database; 0: goleveldb's 8 MiB"`
	OpenFiles        int `toml:"open_files" comment:"table files each database keeps open; 0: goleveldb's 500"`
}

// MinWriteBufferBytes is the smallest write buffer [db] accepts: below it
// almost every block would flush a table and trigger compactions.
const MinWriteBufferBytes = 64 << 10

// check validates the database sizes.
func (d DB) check() error {
	if d.WriteBufferBytes < 0 || d.BlockCacheBytes < 0 || d.OpenFiles < 0 {
		return fmt.Errorf("db: write_buffer_bytes %d, block_cache_bytes %d and open_files %d must not be negative",
			d.WriteBufferBytes, d.BlockCacheBytes, d.OpenFiles)
	}
	if d.WriteBufferBytes > 0 && d.WriteBufferBytes < MinWriteBufferBytes {
		return fmt.Errorf("db.write_buffer_bytes %d: want 0 (the default) or at least %d", d.WriteBufferBytes, MinWriteBufferBytes)
	}
	return nil
}

// Small returns c sized for a node that should cost little while idle, such
// as each of a cloud's many chains (docs/cloud.md, "Measured"): small
// goleveldb buffers and caches, and a small mempool cache. Every field it
// sets is node-local; the chain's blocks and app hash are unchanged.
func Small(c App) App {
	// Five databases at goleveldb's defaults hold 20 MiB of write buffers
	// alone, which the Go heap counts as live and GOGC doubles.
	c.DB = DB{WriteBufferBytes: 512 << 10, BlockCacheBytes: 1 << 20, OpenFiles: 64}
	// CometBFT allocates the whole cache up front (14 MB at 200,000);
	// the cache only spares CheckTx for txs seen twice.
	c.Mempool.CacheSize = 10_000
	return c
}
