package node

import (
	"context"
	"fmt"
	"os"
	"runtime/debug"
	"sync/atomic"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cometbft/cometbft/libs/log"
)

// Why a node process exits on a panic (Options.ExitOnPanic): CometBFT
// recovers a panic on its consensus goroutine, logs "CONSENSUS FAILURE!!!"
// and stops consensus, leaving the process up. An app that panics in
// FinalizeBlock or Commit, or returns an error there (CometBFT then
// panics itself), so leaves a node that answers queries and never makes
// another block: a supervisor sees nothing to restart. With ExitOnPanic
// the process exits with status 2, as an unrecovered Go panic does, and a
// supervisor (the cloud's, systemd, Kubernetes) restarts it; a
// deterministic bug then shows as a crash loop with its backoff, a
// transient one (a full disk) heals.

// exitStatus is the exit status of a node that panicked, the Go
// runtime's own for an unrecovered panic.
const exitStatus = 2

// consensusFailure is what CometBFT 0.38 logs when it recovers a panic of
// its consensus goroutine (consensus/state.go, receiveRoutine).
const consensusFailure = "CONSENSUS FAILURE!!!"

// guarded wraps the ABCI app: a panic in a consensus method ends the
// process (when exit is set), and the armed fault, if any, fires after a
// commit.
type guarded struct {
	abci.Application
	logger log.Logger
	faults *faults // nil: no fault injection
	exit   bool    // a panic in a consensus method ends the process
	height atomic.Int64
}

// guardApp wraps a for Start; it returns a itself when there is nothing
// to guard.
func guardApp(a abci.Application, logger log.Logger, f *faults, exit bool) abci.Application {
	if f == nil && !exit {
		return a
	}
	return &guarded{Application: a, logger: logger, faults: f, exit: exit}
}

// recovered is deferred by each consensus method; recover must be called
// by the deferred function itself. Without exit the panic goes on to
// CometBFT untouched.
func (g *guarded) recovered(method string) {
	if !g.exit {
		return
	}
	if v := recover(); v != nil {
		die(g.logger, "ABCI "+method, v, debug.Stack())
	}
}

// die logs a panic's value and stack and ends the process as an
// unrecovered panic would.
func die(logger log.Logger, where string, v any, stack []byte) {
	logger.Error("panic: the node exits so that its supervisor restarts it", "in", where, "panic", fmt.Sprint(v))
	fmt.Fprintf(os.Stderr, "panic: %v [in %s; the node exits]\n\n%s", v, where, stack)
	os.Exit(exitStatus)
}

// guard runs one consensus method under g's recovery. ExtendVote and
// VerifyVoteExtension are not guarded: CometBFT calls them only with vote
// extensions enabled, which no vsys chain enables.
func guard[Req, Res any](g *guarded, method string, f func(context.Context, Req) (Res, error), ctx context.Context, req Req) (Res, error) {
	defer g.recovered(method)
	return f(ctx, req)
}

// InitChain implements abci.Application.
func (g *guarded) InitChain(ctx context.Context, req *abci.RequestInitChain) (*abci.ResponseInitChain, error) {
	return guard(g, "InitChain", g.Application.InitChain, ctx, req)
}

// PrepareProposal implements abci.Application.
func (g *guarded) PrepareProposal(ctx context.Context, req *abci.RequestPrepareProposal) (*abci.ResponsePrepareProposal, error) {
	return guard(g, "PrepareProposal", g.Application.PrepareProposal, ctx, req)
}

// ProcessProposal implements abci.Application.
func (g *guarded) ProcessProposal(ctx context.Context, req *abci.RequestProcessProposal) (*abci.ResponseProcessProposal, error) {
	return guard(g, "ProcessProposal", g.Application.ProcessProposal, ctx, req)
}

// FinalizeBlock implements abci.Application; it remembers the height for
// the fault check at Commit, whose request has none.
func (g *guarded) FinalizeBlock(ctx context.Context, req *abci.RequestFinalizeBlock) (*abci.ResponseFinalizeBlock, error) {
	g.height.Store(req.Height)
	return guard(g, "FinalizeBlock", g.Application.FinalizeBlock, ctx, req)
}

// Commit implements abci.Application: the armed fault fires once the
// block is committed, inside the Commit path.
func (g *guarded) Commit(ctx context.Context, req *abci.RequestCommit) (*abci.ResponseCommit, error) {
	return guard(g, "Commit", func(ctx context.Context, req *abci.RequestCommit) (*abci.ResponseCommit, error) {
		res, err := g.Application.Commit(ctx, req)
		if err == nil {
			g.faults.atCommit(g.height.Load())
		}
		return res, err
	}, ctx, req)
}

// exitOnFailure is CometBFT's logger with ExitOnPanic: when CometBFT logs
// that it recovered a consensus panic, the process exits instead of
// staying up with consensus stopped.
type exitOnFailure struct{ log.Logger }

// Error implements log.Logger.
func (l exitOnFailure) Error(msg string, keyvals ...any) {
	l.Logger.Error(msg, keyvals...)
	if msg != consensusFailure {
		return
	}
	v, stack := any(msg), ""
	for i := 0; i+1 < len(keyvals); i += 2 {
		switch keyvals[i] {
		case "err":
			v = keyvals[i+1]
		case "stack":
			stack = fmt.Sprint(keyvals[i+1])
		}
	}
	die(l.Logger, "CometBFT consensus", v, []byte(stack))
}

// With keeps the wrapper on derived loggers.
func (l exitOnFailure) With(keyvals ...any) log.Logger {
	return exitOnFailure{l.Logger.With(keyvals...)}
}
