package server

import (
	"sync"

	"github.com/cometbft/cometbft/types"
)

// blockMetas is the part of CometBFT's block store the count reads.
type blockMetas interface {
	Base() int64
	Height() int64
	LoadBlockMeta(height int64) *types.BlockMeta
}

// maxCountPerCall bounds the block metas one vsys_status reads to catch
// up the tx count (a restarted node with a long history gets there over
// a few calls instead of stalling the first one).
const maxCountPerCall = 200_000

// txCounter is the running total of txs in the stored blocks, for
// vsys_status's total_txs: the cloud bills a chain by it. Node-local and
// in memory (a restart recounts from the block store), so it never
// touches the app hash.
type txCounter struct {
	mu     sync.Mutex
	height int64 // blocks up to here are counted
	total  uint64
}

// count catches up with the block store and returns the total and the
// height it counts to.
func (c *txCounter) count(bs blockMetas) (total uint64, height int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if base := bs.Base(); c.height < base-1 {
		c.height = base - 1 // pruned below base: what is gone is not counted
	}
	top := min(bs.Height(), c.height+maxCountPerCall)
	for h := c.height + 1; h <= top; h++ {
		m := bs.LoadBlockMeta(h)
		if m == nil {
			break
		}
		c.total += uint64(m.NumTxs)
		c.height = h
	}
	return c.total, c.height
}
