package app

import (
	"context"
	"fmt"

	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/gas"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/core/state"
	"github.com/vsys/vsys/core/tx"
	"github.com/vsys/vsys/modules/billing"
)

// Outcome is what executing one tx produced.
type Outcome struct {
	GasUsed uint64
	Results [][]byte // one per call, when all succeeded
	Events  []router.Event
	Err     error
	// Net storage deposit the tx locks, or returns (Simulate only).
	DepositLocked, DepositReturned codec.U128

	// refused: Err is why the tx did not decode or ante refused it, so
	// nothing was written and the tx paid nothing (GasUsed is 0).
	refused bool
}

// execMode is what differs between delivering a tx in a block and
// simulating it (Simulate); everything else is the one path of execTx.
// The zero value is a block's. The one other difference, that a
// simulation's signature is not checked, is made when the tx is decoded
// (decodeUnverified).
type execMode struct {
	// simulate is set for a pass of Simulate: the fields below apply, and
	// the Outcome reports the sender's storage deposit change.
	simulate bool
	// ctx stops a simulation's WASM. A block runs with
	// context.Background(), which never ends: nothing node-local may cut a
	// block's tx short.
	ctx context.Context
	// gasLimit is the gas a simulation runs with; a block's tx runs with
	// its own gas_limit (a probe's is ignored).
	gasLimit uint64
	// payFor is the gas whose fee the balance must cover before the calls
	// run: gasLimit, except 0 in Simulate's first pass, which learns the
	// gas from a balance that may not cover max_gas_per_tx. A block's tx
	// must cover its own gas_limit.
	payFor uint64
}

// execTx is the one path of a tx, for FinalizeBlock and Simulate alike:
// given the tx decoded (or why it did not decode), it runs ante (admit)
// on a per-tx cache of kv, then the calls through the router on a cache
// of that, then takes the fee, gas_used × gas_price, from the sender,
// and writes the per-tx cache to kv unless the tx was refused.
//
// The fee comes from what the calls left; if they left too little, their
// writes are discarded and the fee comes from the state before them, which
// admit checked covers gasLimit × gas_price. Nothing the calls see depends
// on gasLimit (no fee is held while they run), so a tx run with any limit
// at or above the gas it uses uses the same gas: the estimate is exact.
// The fee stays with the fee collector whatever the calls did.
//
// A tx that fails is an Outcome; the error return is for a store that
// cannot be read or written.
func execTx(r *router.Router, ci *chainInfo, kv state.KV, t *tx.Tx, decodeErr error, block router.Block, m execMode) (Outcome, error) {
	if decodeErr != nil {
		return Outcome{Err: decodeErr, refused: true}, nil
	}
	ctx, gasLimit, payFor := context.Background(), t.Body.GasLimit, t.Body.GasLimit
	if m.simulate {
		ctx, gasLimit, payFor = m.ctx, m.gasLimit, m.payFor
	}
	txc := state.NewCache(kv)
	if _, err := admit(txc, ci, t, gasLimit, payFor); err != nil {
		return Outcome{Err: err, refused: true}, nil
	}
	var before codec.U128
	if m.simulate {
		var err error
		if before, err = billing.Locked(txc, t.Sender()); err != nil {
			return Outcome{}, err
		}
	}
	out := runCalls(ctx, r, ci, txc, t, gasLimit, block)
	if m.simulate {
		after, err := billing.Locked(txc, t.Sender())
		if err != nil {
			return Outcome{}, err
		}
		if after.Cmp(before) >= 0 {
			out.DepositLocked, _ = after.Sub(before)
		} else {
			out.DepositReturned, _ = before.Sub(after)
		}
	}
	if err := txc.Write(); err != nil {
		return Outcome{}, fmt.Errorf("write tx %x: %w", t.Hash(), err)
	}
	return out, nil
}

// runCalls runs an admitted tx's calls on a cache of kv with gasLimit,
// then takes its fee, as execTx describes.
func runCalls(ctx context.Context, r *router.Router, ci *chainInfo, kv state.KV, t *tx.Tx, gasLimit uint64, block router.Block) Outcome {
	b := &t.Body
	meter := gas.NewMeter(gasLimit)
	_ = meter.Consume(IntrinsicGas(r.Costs(), len(t.Bytes())), "intrinsic") // admit checked it fits
	env := &router.Env{Block: block, Origin: t.Sender(), Gas: meter, Ctx: ctx}
	calls := state.NewCache(kv)
	var out Outcome
	for i, c := range b.Calls {
		funds := make([]router.Coin, len(c.Funds))
		for j, f := range c.Funds {
			funds[j] = router.Coin{Token: f.Token, Amount: f.Amount}
		}
		res, err := r.Call(env, calls, t.Sender(), c.Contract, c.Method, c.Args, funds)
		if err != nil {
			out.Err = fmt.Errorf("call %d: %w", i, err)
			break
		}
		out.Results = append(out.Results, res)
	}
	out.GasUsed = meter.Used()
	fee, _ := b.GasPrice.Mul64(out.GasUsed) // ≤ gasLimit × gas_price, which admit computed
	payFee := func(kv state.KV) error {
		if fee.IsZero() {
			return nil
		}
		if err := ci.bank.Ledger(kv).Transfer(t.Sender(), FeeCollector, ci.native, fee); err != nil {
			return fmt.Errorf("%w: fee %s %s: %v", ErrInsufficientFee, fee, ci.native, err)
		}
		return nil
	}
	if out.Err == nil {
		if err := payFee(calls); err != nil {
			out.Err = fmt.Errorf("after the calls: %w", err)
		}
	}
	if out.Err == nil {
		if err := calls.Write(); err != nil {
			out.Err = fmt.Errorf("write state: %w", err)
		}
	}
	if out.Err != nil {
		calls.Discard()
		out.Results = nil
		if err := payFee(kv); err != nil {
			out.Err = fmt.Errorf("%v; %w", out.Err, err)
		}
	} else {
		out.Events = env.Events
	}
	if ci.bill == nil { // a chain without the billing module keeps no bills
		return out
	}
	if err := ci.bill.RecordFee(kv, t.Sender(), fee, out.GasUsed); err != nil && out.Err == nil {
		out.Err = fmt.Errorf("bill: %w", err)
	}
	return out
}
