package app

import (
	"errors"
	"fmt"
	"time"

	"github.com/vsys/vsys/app/address"
	"github.com/vsys/vsys/app/gas"
	"github.com/vsys/vsys/app/router"
	"github.com/vsys/vsys/app/state"
	"github.com/vsys/vsys/app/tx"
	"github.com/vsys/vsys/modules/billing"
	"github.com/vsys/vsys/modules/token"
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

// Call runs a read-only method at height (0 = latest) with a gas cap, and
// returns its canonical result and the gas it used. Nothing is written.
func (a *App) Call(height int64, contract address.Address, method string, args []byte, gasCap uint64) ([]byte, uint64, error) {
	kv, h, err := a.View(height)
	if err != nil {
		return nil, 0, err
	}
	_, r := a.chainInfo()
	env := &router.Env{Block: router.Block{Height: h, ChainID: a.ChainID()}, Gas: gas.NewMeter(gasCap), ReadOnly: true}
	out, err := r.Call(env, state.NewReadOnly(kv), address.Zero, contract, method, args, nil)
	return out, env.Gas.Used(), err
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
// Exact by construction, in two passes: the first runs the tx with
// max_gas_per_tx to learn the gas U it uses; the second runs what
// delivery will run, gas_limit = U and the fee check for U, and its
// outcome is the answer. Delivery holds no fee while the calls run
// (execute), so the passes see the same state and agree; if they do not
// (gas that reads gas_left), Simulate says so rather than guess.
func (a *App) Simulate(raw []byte) (Outcome, error) {
	ci, r := a.chainInfo()
	if len(raw) > int(ci.params.MaxTxBytes) {
		return Outcome{}, fmt.Errorf("%w: %d bytes, limit %d", ErrTxTooLarge, len(raw), ci.params.MaxTxBytes)
	}
	t, err := tx.Decode(raw)
	if err != nil {
		return Outcome{}, err
	}
	kv, h, err := a.View(0)
	if err != nil {
		return Outcome{}, err
	}
	block := router.Block{Height: h + 1, Time: time.Unix(0, a.lastTime.Load()).UTC(), ChainID: ci.chainID}
	run := func(gasLimit, payFor uint64) (Outcome, error) {
		c := state.NewCache(kv)
		if _, err := admit(c, &ci, t, gasLimit, payFor); err != nil {
			return Outcome{}, err
		}
		before, err := billing.Locked(c, t.Sender())
		if err != nil {
			return Outcome{}, err
		}
		out := execute(r, &ci, c, t, gasLimit, block)
		after, err := billing.Locked(c, t.Sender())
		if err != nil {
			return Outcome{}, err
		}
		if after.Cmp(before) >= 0 {
			out.DepositLocked, _ = after.Sub(before)
		} else {
			out.DepositReturned, _ = before.Sub(after)
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
	bals, err := token.LedgerAt(kv).Balances(addr)
	if err != nil {
		return Account{}, err
	}
	return Account{Address: addr, Nonce: nonce, Balances: bals, Height: h}, nil
}
