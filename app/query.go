package app

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/gas"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/core/state"
)

// View opens committed state at height (0 = latest) for reading. Safe to
// call from any goroutine, concurrently with block execution and commit.
func (a *App) View(height int64) (state.KV, int64, error) {
	latest := a.store.Version()
	if height <= 0 {
		height = latest
	}
	if height == 0 {
		return nil, 0, fmt.Errorf("%w: the chain has no committed block yet", ErrBlockHeightNotYet)
	}
	if height > latest {
		return nil, 0, fmt.Errorf("%w: height %d, latest is %d", ErrBlockHeightNotYet, height, latest)
	}
	kv, err := a.store.At(height)
	return kv, height, err
}

// ErrQueryStopped is the error of a Call or Simulate whose context ended
// (the caller went away, or the node's query deadline passed) before the
// contract returned. It also wraps the context's error.
var ErrQueryStopped = errors.New("query stopped")

// queryStats counts queries for QueryStats.
type queryStats struct {
	running            atomic.Int64
	canceled, timedOut atomic.Uint64
}

// QueryStats counts the node's queries (Call and Simulate).
type QueryStats struct {
	Running int64 // queries running now
	// Queries whose contracts were stopped (ErrQueryStopped): because
	// their caller went away (context.Canceled), or because their
	// deadline passed (context.DeadlineExceeded).
	Canceled, TimedOut uint64
}

// QueryStats returns the query counters.
func (a *App) QueryStats() QueryStats {
	return QueryStats{Running: a.queries.running.Load(),
		Canceled: a.queries.canceled.Load(), TimedOut: a.queries.timedOut.Load()}
}

// beginQuery counts a query as running.
func (a *App) beginQuery() { a.queries.running.Add(1) }

// endQuery counts a query done, and turns an error caused by ctx ending
// into ErrQueryStopped, saying how much gas the query had used.
func (a *App) endQuery(ctx context.Context, err error, used uint64) error {
	a.queries.running.Add(-1)
	switch {
	case err == nil || ctx.Err() == nil:
		return err
	case errors.Is(err, context.Canceled):
		a.queries.canceled.Add(1)
	case errors.Is(err, context.DeadlineExceeded):
		a.queries.timedOut.Add(1)
	default:
		return err
	}
	return fmt.Errorf("%w after %d gas: %w", ErrQueryStopped, used, context.Cause(ctx))
}

// Call runs a read-only method at height (0 = latest) with a gas cap, and
// returns its canonical result and the gas it used. Nothing is written.
// The contract stops when ctx ends (the error is then ErrQueryStopped):
// RPC passes the request's context with the node's query deadline.
func (a *App) Call(ctx context.Context, height int64, contract address.Address, method string, args []byte, gasCap uint64) ([]byte, uint64, error) {
	kv, h, err := a.View(height)
	if err != nil {
		return nil, 0, err
	}
	_, r := a.chainInfo()
	env := &router.Env{Block: router.Block{Height: h, ChainID: a.ChainID()}, Gas: gas.NewMeter(gasCap), ReadOnly: true, Ctx: ctx}
	a.beginQuery()
	out, err := r.Call(env, state.NewReadOnly(kv), address.Zero, contract, method, args, nil)
	used := env.Gas.Used()
	return out, used, a.endQuery(ctx, err, used)
}

// ErrEstimateUnstable is returned by Simulate for a tx whose gas depends
// on its gas limit (a contract that reads gas_left): no limit can be
// promised to use exactly itself.
var ErrEstimateUnstable = errors.New("gas depends on the gas limit")

// Simulate executes a tx on a throwaway copy of the latest state, without
// checking its signature, and reports what it would do; its GasUsed is
// exact: the tx signed with gas_limit = GasUsed succeeds using exactly
// that gas, against the same state. The probe's gas limit and signature
// bytes are ignored (both are fixed-width, so they do not change the tx's
// length or its intrinsic gas).
//
// It runs delivery's own path (execTx), twice, so it is exact by
// construction: the first pass runs the tx with max_gas_per_tx to learn
// the gas U it uses; the second runs what delivery will run, gas_limit = U
// and the fee check for U, and its outcome is the answer. Delivery holds
// no fee while the calls run, so the passes see the same state and agree;
// if they do not (gas that reads gas_left), Simulate says so rather than
// guess. A tx that does not decode or that ante refuses is an error.
//
// The tx's contracts stop when ctx ends, and Simulate then returns
// ErrQueryStopped.
func (a *App) Simulate(ctx context.Context, raw []byte) (Outcome, error) {
	ci, r := a.chainInfo()
	t, err := decodeUnverified(raw, ci.params.MaxTxBytes)
	if err != nil {
		return Outcome{}, err
	}
	kv, h, err := a.View(0)
	if err != nil {
		return Outcome{}, err
	}
	block := router.Block{Height: h + 1, Time: nextBlockTime(a.lastTime.Load(), time.Now()), ChainID: ci.chainID}
	run := func(gasLimit, payFor uint64) (Outcome, error) {
		a.beginQuery()
		out, err := execTx(r, &ci, state.NewCache(kv), t, nil, block,
			execMode{simulate: true, ctx: ctx, gasLimit: gasLimit, payFor: payFor})
		stopped := a.endQuery(ctx, out.Err, out.GasUsed)
		switch {
		case err != nil:
			return Outcome{}, err
		case out.refused:
			return Outcome{}, out.Err
		case errors.Is(stopped, ErrQueryStopped):
			return Outcome{}, stopped
		}
		return out, nil
	}
	first, err := run(ci.params.MaxGasPerTx, 0)
	if err != nil || first.Err != nil {
		return first, err
	}
	out, err := run(first.GasUsed, first.GasUsed)
	if err != nil {
		return out, err
	}
	// By construction the second pass succeeds using exactly its limit;
	// anything else means the gas depends on the limit.
	if out.Err != nil {
		out.Err = fmt.Errorf("%w: with %d gas it uses %d, with %d it fails: %w",
			ErrEstimateUnstable, ci.params.MaxGasPerTx, first.GasUsed, first.GasUsed, out.Err)
	} else if out.GasUsed != first.GasUsed {
		out.Err = fmt.Errorf("%w: with %d gas it uses %d, with %d it uses %d (does a contract read gas_left?)",
			ErrEstimateUnstable, ci.params.MaxGasPerTx, first.GasUsed, first.GasUsed, out.GasUsed)
	}
	return out, nil
}

// Account is an account's nonce and balances.
type Account struct {
	Address  address.Address `json:"address"`
	Nonce    uint64          `json:"nonce"`
	Balances []router.Coin   `json:"balances"`
	Height   int64           `json:"height"`
}

// Account reads an account at height (0 = latest).
func (a *App) Account(height int64, addr address.Address) (Account, error) {
	kv, h, err := a.View(height)
	if err != nil {
		return Account{}, err
	}
	nonce, err := Nonce(kv, addr)
	if err != nil {
		return Account{}, err
	}
	ci, _ := a.chainInfo()
	bals, err := ci.bank.Ledger(kv).Balances(addr)
	if err != nil {
		return Account{}, err
	}
	return Account{Address: addr, Nonce: nonce, Balances: bals, Height: h}, nil
}

// nextBlockTime is the time Simulate runs a tx at: that of the block that
// would include it, which is after the last one and, on a chain that
// makes blocks only when txs come (a cloud's idle chain), about now, not
// the last block's time, which may be minutes old. A light client
// checking a fresh header against "now" must not refuse in simulation
// what the next block accepts. The wall clock is node-local here and
// never reaches state: delivery runs at the header's time.
func nextBlockTime(lastUnixNano int64, now time.Time) time.Time {
	last := time.Unix(0, lastUnixNano)
	if now.After(last) {
		return now.UTC()
	}
	return last.UTC()
}
