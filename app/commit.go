package app

import "fmt"

// commit saves the working tree as the next version, resets the CheckTx
// view onto it, and prunes the versions past Options.KeepVersions.
func (a *App) commit() error {
	hash, version, err := a.store.Commit()
	if err != nil {
		return fmt.Errorf("commit height %d: %w", a.block.Height, err)
	}
	a.lastTime.Store(a.block.Time.UnixNano())
	a.log.Info("committed block", "height", version, "txs", a.blockTxs, "gas", a.blockGas, "app_hash", fmt.Sprintf("%X", hash))
	if err := a.resetCheck(); err != nil {
		return err
	}
	a.prune(version)
	return nil
}

// prune drops the versions older than the last KeepVersions (0 keeps
// every version). Pruning is node-local: it never changes what the state
// machine computes, so a failure is logged, not fatal.
func (a *App) prune(version int64) {
	if keep := a.opts.KeepVersions; keep > 0 && version > keep {
		if err := a.store.Prune(keep); err != nil {
			a.log.Error("prune", "err", err)
		}
	}
}
