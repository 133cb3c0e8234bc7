package dirsize

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrTooManyEntries is the error of a walk that reached its bound.
var ErrTooManyEntries = errors.New("too many directory entries")

// DefaultMaxEntries bounds a walk: a node's data directory holds a few
// thousand files (leveldb tables, CometBFT's WAL), far fewer than this.
const DefaultMaxEntries = 1_000_000

// Bytes is the sum of the sizes of the regular files under dir (as `du
// --apparent-size -b`), visiting at most maxEntries entries (0:
// DefaultMaxEntries). Symbolic links are not followed. Files removed
// while the walk runs (a database compacting) are skipped. At the bound
// it returns what it summed so far with ErrTooManyEntries.
func Bytes(dir string, maxEntries int) (int64, error) {
	if maxEntries <= 0 {
		maxEntries = DefaultMaxEntries
	}
	var total int64
	seen := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && path != dir {
				return nil
			}
			return err
		}
		if seen++; seen > maxEntries {
			return fmt.Errorf("%w: over %d under %s", ErrTooManyEntries, maxEntries, dir)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		total += info.Size()
		return nil
	})
	if err != nil {
		return total, fmt.Errorf("size of %s: %w", dir, err)
	}
	return total, nil
}

// Exists reports whether dir exists; a quota on a directory not yet
// created measures zero.
func Exists(dir string) bool {
	_, err := os.Stat(dir)
	return err == nil
}
