package cloud

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"
)

// logRotateEvery is how often the control plane looks at node logs.
const logRotateEvery = 10 * time.Second

// rotateLog keeps the node log at path under maxBytes: past it, path.1 ..
// path.(keep-1) move up one (path.keep is dropped), path is copied to
// path.1 and truncated to zero. It reports whether it rotated.
//
// Copy and truncate, not rename: the node holds its log open with
// O_APPEND (it is its stdout, opened straight on the file so the node
// outlives the control plane), so it keeps writing to the same inode and,
// after the truncate, from offset zero. A line written between the last
// copy and the truncate is lost; the second copy pass keeps that window to
// the time of one truncate call. A node's panic trace goes to the same
// file, so it is never in a file the node no longer writes.
func rotateLog(path string, maxBytes int64, keep int) (bool, error) {
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) || (err == nil && fi.Size() <= maxBytes) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if keep < 1 {
		keep = 1
	}
	for i := keep - 1; i >= 1; i-- {
		err := os.Rename(fmt.Sprintf("%s.%d", path, i), fmt.Sprintf("%s.%d", path, i+1))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return false, fmt.Errorf("rotate %s: %w", path, err)
		}
	}
	src, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return false, fmt.Errorf("rotate %s: %w", path, err)
	}
	defer src.Close()
	dst, err := os.OpenFile(path+".1", os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return false, fmt.Errorf("rotate %s: %w", path, err)
	}
	// Two passes: the first copies the bulk, the second what the node
	// wrote meanwhile, just before the truncate.
	for range 2 {
		if _, err := io.Copy(dst, src); err != nil {
			dst.Close()
			return false, fmt.Errorf("rotate %s: copy: %w", path, err)
		}
	}
	if err := src.Truncate(0); err != nil {
		dst.Close()
		return false, fmt.Errorf("rotate %s: truncate: %w", path, err)
	}
	if err := dst.Close(); err != nil {
		return false, fmt.Errorf("rotate %s: %w", path, err)
	}
	return true, nil
}

// rotateLogs runs until stop is closed, rotating every chain's node log
// and every relayer's log that has outgrown logs.max_bytes.
func (p *Plane) rotateLogs(stop <-chan struct{}) {
	t := time.NewTicker(logRotateEvery)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		p.mu.Lock()
		paths := make([]string, 0, len(p.chains)+len(p.relayers))
		for name := range p.chains {
			paths = append(paths, p.home.LogPath(name))
		}
		for name := range p.relayers { // relay.log, rotated the same way
			paths = append(paths, p.home.RelayLogPath(name))
		}
		p.mu.Unlock()
		for _, path := range paths {
			if _, err := rotateLog(path, p.cfg.Logs.MaxBytes, p.cfg.Logs.Keep); err != nil {
				p.logf("%v", err)
			}
		}
	}
}
