package limits

import (
	"fmt"
	"io"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// threadSlacks is the timer slack of several threads of this process,
// each a goroutine locked to its own OS thread, so most are threads the
// runtime creates after start: "slack=N" for each, sorted.
func threadSlacks() string {
	const n = 4
	out := make([]string, n)
	var read, done sync.WaitGroup
	release := make(chan struct{})
	for i := range n {
		read.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			runtime.LockOSThread() // held until all have read theirs: n distinct threads
			defer runtime.UnlockOSThread()
			ns, err := unix.PrctlRetInt(unix.PR_GET_TIMERSLACK, 0, 0, 0, 0)
			out[i] = fmt.Sprintf("slack=%d err=%v", ns, err)
			read.Done()
			<-release
		}()
	}
	read.Wait()
	close(release)
	done.Wait()
	return strings.Join(out, " ")
}

// TestStartTimerSlack: a child started by Start has the slack on its main
// thread (/proc) and on threads its runtime creates later; the threads
// of this process keep theirs, so a child started the ordinary way after
// it has the kernel's default.
func TestStartTimerSlack(t *testing.T) {
	const slack = 20 * time.Millisecond
	c := startChildWith(t, "slack", Limits{}, func(cmd *exec.Cmd) error { return Start(cmd, slack) })
	got, err := TimerSlack(c.cmd.Process.Pid)
	require.NoError(t, err)
	require.Equal(t, slack, got)
	c.line(t) // the runtime settings line
	_, err = io.WriteString(c.stdin, "go\n")
	require.NoError(t, err)
	want := strings.TrimSpace(strings.Repeat(fmt.Sprintf("slack=%d err=<nil> ", slack.Nanoseconds()), 4))
	require.Equal(t, want, c.line(t), "every thread of the child")

	plain := startChild(t, "slack", Limits{})
	got, err = TimerSlack(plain.cmd.Process.Pid)
	require.NoError(t, err)
	require.NotEqual(t, slack, got, "a child started after, the ordinary way")
	require.Less(t, got, time.Millisecond, "the kernel's default is 50µs")

	// Zero leaves the slack alone.
	zero := startChildWith(t, "slack", Limits{}, func(cmd *exec.Cmd) error { return Start(cmd, 0) })
	got, err = TimerSlack(zero.cmd.Process.Pid)
	require.NoError(t, err)
	require.Less(t, got, time.Millisecond)
	require.ErrorIs(t, Limits{TimerSlack: -time.Millisecond}.Validate(), ErrBadLimits)
}
