package node

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cometbft/cometbft/libs/log"
	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/rpc/client"
)

// lockedBuffer is a bytes.Buffer safe for the node's logging goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestStopLogsNoError: a node started and stopped cleanly logs not one
// error line (CometBFT logged two for its own listeners closing).
func TestStopLogsNoError(t *testing.T) {
	home, _ := initHome(t, "stop-chain")
	var out lockedBuffer
	n, err := Start(home, Options{LogOutput: &out})
	require.NoError(t, err)
	waitHeight(t, client.New(n.RPCAddr), 2)
	require.NoError(t, n.Stop())
	time.Sleep(100 * time.Millisecond) // let CometBFT's goroutines log their exit
	for _, line := range strings.Split(out.String(), "\n") {
		require.False(t, strings.HasPrefix(line, "E["), "error logged on a clean stop: %s", line)
	}
}

// TestStopAware: shutdown noise is demoted to info only while stopping;
// any other error stays an error.
func TestStopAware(t *testing.T) {
	var buf bytes.Buffer
	var stopping atomic.Bool
	l := stopAware{log.NewTMLogger(&buf), &stopping}.With("module", "p2p")
	closed := fmt.Errorf("accept tcp: %w", net.ErrClosed)
	line := func(f func()) string { buf.Reset(); f(); return buf.String() }

	require.True(t, strings.HasPrefix(line(func() { l.Error("Error serving server", "err", closed) }), "E["), "not stopping: an error")
	stopping.Store(true)
	require.True(t, strings.HasPrefix(line(func() { l.Error("Error serving server", "err", closed) }), "I["))
	require.True(t, strings.HasPrefix(line(func() { l.Error("Stopped accept routine, as transport is closed", "numPeers", 0) }), "I["))
	require.True(t, strings.HasPrefix(line(func() { l.Error("disk full", "err", errors.New("ENOSPC")) }), "E["), "a real error while stopping")
}
