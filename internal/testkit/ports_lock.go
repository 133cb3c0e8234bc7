//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package testkit

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
)

var (
	portsMu sync.Mutex
	held    = map[int]*os.File{} // the locks this process holds, by port
)

// reservePort reserves one port.
func reservePort() (int, error) { return reserveRange(1) }

// reserveRange finds n consecutive ports in the pool whose lock files
// this process can lock exclusively and that can all be bound now, and
// keeps them locked.
func reserveRange(n int) (int, error) {
	portsMu.Lock()
	defer portsMu.Unlock()
	lo, hi := portPool()
	dir := lockDir()
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return 0, fmt.Errorf("lock dir: %w", err)
	}
	// Shared like /tmp itself, so test runs of other users on the machine
	// coordinate through the same locks (a chmod of a dir someone else
	// made fails, and is not needed then).
	_ = os.Chmod(dir, os.ModeSticky|0o777)
	blocks := (hi - lo + 1) / n
	if n <= 0 || blocks <= 0 {
		return 0, fmt.Errorf("no %d ports outside the ephemeral range", n)
	}
	// A random start spreads concurrent processes over the pool, so they
	// rarely try the same lock.
	first := rand.IntN(blocks)
	for i := range blocks {
		base := lo + ((first+i)%blocks)*n
		ok, err := lockBlock(dir, base, n)
		if err != nil {
			return 0, err
		}
		if ok {
			return base, nil
		}
	}
	return 0, fmt.Errorf("no %d free ports left in %d-%d", n, lo, hi)
}

// lockBlock locks base..base+n-1 and records them as held, or locks none.
func lockBlock(dir string, base, n int) (bool, error) {
	var got []*os.File
	release := func() {
		for _, f := range got {
			f.Close()
		}
	}
	for port := base; port < base+n; port++ {
		if held[port] != nil {
			release()
			return false, nil
		}
		f, err := lockPort(dir, port)
		if err != nil {
			release()
			return false, err
		}
		if f == nil { // another process holds it
			release()
			return false, nil
		}
		got = append(got, f)
		if bindable(port) != nil { // taken by something outside the kit
			release()
			return false, nil
		}
	}
	for i, f := range got {
		held[base+i] = f // kept open: the lock lasts until the process exits
	}
	return true, nil
}

// lockDir is where the lock files are: one per port, shared by every
// process of the machine's user(s) that uses the kit.
func lockDir() string { return filepath.Join(os.TempDir(), "vsys-testkit-ports") }

// lockPort locks port's file exclusively without waiting: the open,
// locked file, or nil if another process holds the lock.
func lockPort(dir string, port int) (*os.File, error) {
	// Read-only is enough for flock, and opens another user's file.
	f, err := os.OpenFile(filepath.Join(dir, strconv.Itoa(port)), os.O_CREATE|os.O_RDONLY, 0o666)
	if err != nil {
		return nil, fmt.Errorf("lock file: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, nil
		}
		return nil, fmt.Errorf("lock port %d: %w", port, err)
	}
	return f, nil
}

// portPool is the range the kit hands ports from: below the kernel's
// ephemeral range (Linux's default is 32768-60999), or above it when
// that leaves more room.
func portPool() (lo, hi int) {
	elo, ehi := 32768, 60999
	if b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range"); err == nil {
		if f := strings.Fields(string(b)); len(f) == 2 {
			a, errA := strconv.Atoi(f[0])
			z, errZ := strconv.Atoi(f[1])
			if errA == nil && errZ == nil && a <= z {
				elo, ehi = a, z
			}
		}
	}
	const floor, ceil = 10000, 65535
	if below, above := elo-1-floor, ceil-(ehi+1); below >= above {
		return floor, elo - 1
	}
	return ehi + 1, ceil
}
