package node_test

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/node"
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
	n, err := node.Start(home, node.Options{LogOutput: &out})
	require.NoError(t, err)
	waitHeight(t, client.New(n.RPCAddr), 2)
	require.NoError(t, n.Stop())
	time.Sleep(100 * time.Millisecond) // let CometBFT's goroutines log their exit
	for _, line := range strings.Split(out.String(), "\n") {
		require.False(t, strings.HasPrefix(line, "E["), "error logged on a clean stop: %s", line)
	}
}
