package limits

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// Start starts cmd with its timer slack set to slack (0: the kernel's
// default, 50 µs, is left alone).
//
// Linux may delay a timed wait (epoll_wait's or futex's timeout,
// nanosleep) by up to the calling thread's timer slack, so that wakeups
// are batched. An idle chain node's CPU goes almost all to such wakeups:
// CometBFT 0.38's consensus reactor copies the round state on a 100 µs
// ticker (consensus/reactor.go, updateRoundStateRoutine, hard-coded),
// which the Go runtime serves with a 1 ms epoll_wait about 1,000 times a
// second, for nothing on a chain without peers. A slack of 20 ms lets the
// kernel serve them about 50 times a second. Wakeups by I/O (a request, a
// peer's message) are not delayed; a timeout may fire up to slack late.
//
// The slack is a property of the thread, inherited by every thread and
// process it creates, and exec keeps it. So cmd is forked from a thread
// locked to a goroutine that sets its slack first and never unlocks it:
// the Go runtime ends that thread with the goroutine, and no other
// goroutine of this process runs with the changed slack. Every thread of
// the node descends from its main thread, so all of them get the slack.
func Start(cmd *exec.Cmd, slack time.Duration) error {
	if slack <= 0 {
		return cmd.Start()
	}
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread() // not unlocked: see above
		if err := unix.Prctl(unix.PR_SET_TIMERSLACK, uintptr(slack.Nanoseconds()), 0, 0, 0); err != nil {
			errc <- fmt.Errorf("timer slack %v: %w", slack, err)
			return
		}
		errc <- cmd.Start()
	}()
	return <-errc
}

// TimerSlack reads pid's timer slack (of its main thread) from
// /proc/PID/timerslack_ns.
func TimerSlack(pid int) (time.Duration, error) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/timerslack_ns", pid))
	if err != nil {
		return 0, fmt.Errorf("timer slack of pid %d: %w", pid, err)
	}
	ns, err := strconv.ParseInt(strings.TrimSpace(string(raw)), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("timer slack of pid %d: %w", pid, err)
	}
	return time.Duration(ns), nil
}
