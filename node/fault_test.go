package node

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/cometbft/cometbft/abci/example/kvstore"
	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cometbft/cometbft/libs/log"
	"github.com/stretchr/testify/require"
)

func TestParseFault(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Fault
		err  bool
	}{
		{"panic", Fault{Kind: FaultPanic}, false},
		{"oom\n", Fault{Kind: FaultOOM}, false},
		{"panic@12", Fault{Kind: FaultPanic, Height: 12}, false},
		{"", Fault{}, true},
		{"exit", Fault{}, true},
		{"panic@", Fault{}, true},
		{"panic@0", Fault{}, true},
		{"oom@-3", Fault{}, true},
		{"panic@x", Fault{}, true},
	} {
		got, err := ParseFault(c.in)
		if c.err {
			require.ErrorIs(t, err, ErrBadFault, "%q", c.in)
			continue
		}
		require.NoError(t, err, "%q", c.in)
		require.Equal(t, c.want, got, "%q", c.in)
	}
}

// TestFaultFiresOnceAfterCommit: an armed panic fires in the guarded
// app's Commit once the height is reached, after the inner commit, and
// only once: its file is gone. Without ExitOnPanic the panic reaches the
// caller (CometBFT's consensus, in a node) untouched.
func TestFaultFiresOnceAfterCommit(t *testing.T) {
	home := t.TempDir()
	t.Setenv(FaultEnv, "1")
	f := faultsFromEnv(home, log.NewNopLogger())
	require.NotNil(t, f)
	kv := kvstore.NewInMemoryApplication()
	g := guardApp(kv, log.NewNopLogger(), f, false)
	ctx := context.Background()
	block := func(h int64) (panicked any) {
		defer func() { panicked = recover() }()
		_, err := g.FinalizeBlock(ctx, &abci.RequestFinalizeBlock{Height: h})
		require.NoError(t, err)
		_, err = g.Commit(ctx, &abci.RequestCommit{})
		require.NoError(t, err)
		return nil
	}
	require.Nil(t, block(1), "nothing armed")
	require.NoError(t, InjectFault(home, Fault{Kind: FaultPanic, Height: 3}))
	require.Nil(t, block(2), "below the fault's height")
	require.Equal(t, "injected fault at height 3", block(3))
	info, err := kv.Info(ctx, &abci.RequestInfo{})
	require.NoError(t, err)
	require.Equal(t, int64(3), info.LastBlockHeight, "the fault fires after the commit")
	_, err = os.Stat(filepath.Join(home, FaultFile))
	require.True(t, errors.Is(err, os.ErrNotExist), "the fault file is removed: %v", err)
	require.Nil(t, block(4), "fired once")

	// A file that does not parse is ignored, and so is everything without
	// the environment variable.
	require.NoError(t, os.WriteFile(filepath.Join(home, FaultFile), []byte("exit"), 0o600))
	require.Nil(t, block(5))
	require.ErrorIs(t, InjectFault(home, Fault{Kind: "exit"}), ErrBadFault)
	t.Setenv(FaultEnv, "")
	require.Nil(t, faultsFromEnv(home, log.NewNopLogger()))
	require.Same(t, kv, guardApp(kv, log.NewNopLogger(), nil, false).(*kvstore.Application))
}

// TestExitOnConsensusFailure: with ExitOnPanic, CometBFT's log line of a
// recovered consensus panic ends the process with status 2 and the panic
// on stderr (a child process: the test binary run again).
func TestExitOnConsensusFailure(t *testing.T) {
	if os.Getenv("VSYS_TEST_CONSENSUS_FAILURE") == "1" {
		l := exitOnFailure{log.NewNopLogger()}.With("module", "consensus")
		l.Error("some other error", "err", "not fatal")
		l.Error(consensusFailure, "err", "boom", "stack", "goroutine 7 [running]:")
		return // not reached
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestExitOnConsensusFailure$")
	cmd.Env = append(os.Environ(), "VSYS_TEST_CONSENSUS_FAILURE=1")
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	require.True(t, errors.As(err, &ee), "%v: %s", err, out)
	require.Equal(t, exitStatus, ee.ExitCode(), "%s", out)
	require.Contains(t, string(out), "panic: boom [in CometBFT consensus; the node exits]\n\ngoroutine 7 [running]:")
}
