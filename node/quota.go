package node

import (
	"errors"
	"path/filepath"
	"sync"
	"time"

	"github.com/vsys/vsys/internal/dirsize"
)

// watchDisk measures the data directory for the disk quota (app.toml
// [admission]): once now, so a node that starts over its quota refuses
// txs from its first request, then every disk_check_interval, handing
// each figure to the app (app.SetDiskUsage). It measures periodically,
// never per tx: a walk costs far more than a CheckTx. Without a quota it
// does nothing.
func (n *Node) watchDisk() error {
	adm := n.Config.Admission
	if adm.DiskQuotaBytes <= 0 || n.App == nil {
		return nil
	}
	every, err := adm.DiskCheckEvery()
	if err != nil {
		return err
	}
	dir := filepath.Join(n.Home, "data")
	measure := func() {
		used, err := dirsize.Bytes(dir, 0)
		if err != nil && !errors.Is(err, dirsize.ErrTooManyEntries) {
			// Keep the last figure: a failed walk (a file vanishing is
			// skipped, so this is rarer) must not lift the quota.
			n.Logger.Error("disk quota: cannot measure the data directory", "dir", dir, "err", err)
			return
		}
		// At the entry bound the partial sum is a lower bound: still
		// enough to refuse when it is over.
		n.App.SetDiskUsage(used)
	}
	measure()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				measure()
			}
		}
	}()
	var once sync.Once
	n.stopDisk = func() { once.Do(func() { close(stop); wg.Wait() }) }
	return nil
}
