package usage

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/prometheus/procfs"

	"github.com/vsys/vsys/internal/dirsize"
)

// Proc is what one process has used.
type Proc struct {
	// CPUSeconds is user plus system time (utime+stime), in seconds.
	CPUSeconds float64
	// RSSBytes is the resident set now.
	RSSBytes int64
	// RSSPeakBytes is the peak resident set (VmHWM) of the process's
	// life.
	RSSPeakBytes int64
	// PrivateBytes is the part of the resident set no other process
	// shares: anonymous and shmem pages (RssAnon + RssShmem), without the
	// executable's file pages, which every chain node maps from one page
	// cache and RSSBytes counts in full for each (docs/cloud.md).
	PrivateBytes int64
	// PSSBytes is the proportional set size (smaps_rollup's Pss): the
	// private pages plus each shared page divided by the processes that
	// map it, so the PSS of all chain nodes adds up to the memory they
	// use together, which RSS, counting the shared executable in every
	// node, overstates. 0 where the kernel has no smaps_rollup.
	PSSBytes int64
}

// ErrNoProcess is the error of a pid that is not running (or not visible
// in /proc).
var ErrNoProcess = errors.New("no such process")

// ReadProc reads pid's usage from /proc.
func ReadProc(pid int) (Proc, error) {
	p, err := procfs.NewProc(pid)
	if err != nil {
		return Proc{}, procError(pid, err)
	}
	st, err := p.Stat()
	if err != nil {
		return Proc{}, procError(pid, err)
	}
	status, err := p.NewStatus()
	if err != nil {
		return Proc{}, procError(pid, err)
	}
	out := Proc{CPUSeconds: st.CPUTime(), RSSBytes: int64(st.ResidentMemory()), RSSPeakBytes: int64(status.VmHWM),
		PrivateBytes: int64(status.RssAnon + status.RssShmem)}
	if r, err := p.ProcSMapsRollup(); err == nil {
		out.PSSBytes = int64(r.Pss)
	}
	return out, nil
}

func procError(pid int, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("pid %d: %w", pid, ErrNoProcess)
	}
	return fmt.Errorf("usage of pid %d: %w", pid, err)
}

// DiskBytes is the bytes of the files under dir, visiting at most
// maxEntries entries (0: dirsize.DefaultMaxEntries); at the bound it
// returns the partial sum with dirsize.ErrTooManyEntries.
func DiskBytes(dir string, maxEntries int) (int64, error) {
	return dirsize.Bytes(dir, maxEntries)
}
