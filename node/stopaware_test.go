package node

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/cometbft/cometbft/libs/log"
	"github.com/stretchr/testify/require"
)

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
