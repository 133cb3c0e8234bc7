package app

import (
	"fmt"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/state"
	"github.com/vsys/vsys/core/tx"
)

// The mempool policy: what CheckTx admits, what waits, and what is cached.
// docs/transactions.md ("Mempool and proposals") is the prose of it.

// MaxNonceGap is how far ahead of an account's next nonce a tx may be and
// still wait in the mempool. Gossip can deliver a sender's txs to a node
// out of order; refusing the early ones (and evicting them at recheck)
// would strand every later tx of that sender, so they wait, as in
// Ethereum's txpool. Blocks never contain them early: PrepareProposal
// includes each sender's txs in nonce order only.
const MaxNonceGap = 64

// Defaults of what one sender may park: txs ahead of its next nonce. They
// cost nothing until their turn comes, so without a bound one funded
// account could fill the mempool with txs that never run.
const (
	DefaultMaxParkedTxs   = 16
	DefaultMaxParkedBytes = 4 << 20
)

// precheckNonceWindow is how far past the committed nonce Precheck still
// caches a tx. A sender may have many consecutive txs in the mempool
// (CheckTx sees them, Precheck only the committed state), so the window is
// wide; what is cached beyond what CheckTx admits leaves when CheckTx
// refuses it, and the cache is bounded in bytes anyway.
const precheckNonceWindow = 4096

// parked is what one sender has waiting ahead of its next nonce, counted
// since the last commit: CometBFT rechecks every mempool tx after a commit,
// in mempool order, which rebuilds the count from what is still there.
type parked struct {
	bytes  int64
	nonces map[uint64]bool
}

// Precheck decodes raw and verifies its signature outside ABCI's lock, so
// that CheckTx and FinalizeBlock skip both. The JSON-RPC server calls it on
// every submitted tx: its HTTP goroutines verify in parallel while
// CometBFT serialises CheckTx calls.
//
// It caches only a tx that passes the cheap checks against the last
// committed state: signature, chain id, gas price and limit, a nonce not
// already used and not far ahead, and a balance that covers the maximum
// fee. What fails the first four is refused here; what only fails the
// last two is passed on uncached, for CheckTx to decide against the
// mempool's view (queued txs may fund the sender or precede the nonce).
// So a flood of signed but unfunded txs is verified and dropped, and pins
// no memory.
func (a *App) Precheck(raw []byte) error {
	if err := a.admitNew(); err != nil {
		return err
	}
	ci, _ := a.chainInfo()
	if ci.chainID == "" { // before genesis: CheckTx will answer
		return nil
	}
	t, err := a.decode(raw, ci.params.MaxTxBytes)
	if err != nil {
		return err
	}
	if err := staticCheck(&ci, t, t.Body.GasLimit); err != nil {
		return err
	}
	view, err := a.store.At(0)
	if err != nil { // nothing committed yet
		return nil
	}
	sender := t.Sender()
	nonce, err := Nonce(view, sender)
	if err != nil {
		return fmt.Errorf("precheck: %w", err)
	}
	if t.Body.Nonce < nonce {
		return fmt.Errorf("%w: account %s expects nonce %d, tx has %d", ErrBadNonce, sender, nonce, t.Body.Nonce)
	}
	if t.Body.Nonce-nonce > precheckNonceWindow {
		return nil
	}
	maxFee, err := t.Body.GasPrice.Mul64(t.Body.GasLimit)
	if err != nil {
		return fmt.Errorf("%w: gas_limit × gas_price: %v", ErrInsufficientFee, err)
	}
	bal, err := ci.bank.Ledger(view).Balance(sender, ci.native)
	if err != nil {
		return fmt.Errorf("precheck: %w", err)
	}
	if bal.Cmp(maxFee) < 0 {
		return nil
	}
	a.txCache.add(t)
	return nil
}

// checkTx admits a tx to the mempool if it decodes, verifies and passes
// the ante checks against the last commit plus the txs already admitted,
// so one sender can queue consecutive nonces. An admitted tx stays cached
// for recheck and the block; a refused one leaves the cache. A new tx
// (not a recheck) must also pass the node's admission limits.
func (a *App) checkTx(raw []byte, recheck bool) (*tx.Tx, error) {
	if !recheck {
		if err := a.admitNew(); err != nil {
			return nil, err
		}
	}
	ci, _ := a.chainInfo()
	t, err := a.decode(raw, ci.params.MaxTxBytes)
	if err != nil {
		return nil, err
	}
	if err := a.checkNonceAndFee(&ci, t); err != nil {
		a.txCache.remove(t.Hash())
		return nil, err
	}
	a.txCache.add(t)
	return t, nil
}

// checkNonceAndFee runs the ante checks for the mempool. A tx with the
// next nonce is applied to the check state, so the sender's following tx
// is checked after it; a tx up to MaxNonceGap ahead is checked as if its
// turn had come, on a throwaway copy, and waits (is parked), within the
// sender's bounds and one tx per nonce.
func (a *App) checkNonceAndFee(ci *chainInfo, t *tx.Tx) error {
	sender := t.Sender()
	next, err := Nonce(a.check, sender)
	if err != nil {
		return err
	}
	c := state.NewCache(a.check)
	if n := t.Body.Nonce; n > next && n-next <= MaxNonceGap {
		p := a.parked[sender]
		if p.nonces[n] {
			return fmt.Errorf("%w: account %s already has a tx with nonce %d waiting", ErrBadNonce, sender, n)
		}
		size := int64(len(t.Bytes()))
		if len(p.nonces) >= a.opts.MaxParkedTxs || p.bytes+size > a.opts.MaxParkedBytes {
			return fmt.Errorf("%w: account %s has %d txs (%d bytes) waiting for nonce %d; at most %d txs or %d bytes",
				ErrTooManyWaiting, sender, len(p.nonces), p.bytes, next, a.opts.MaxParkedTxs, a.opts.MaxParkedBytes)
		}
		if err := setNonce(c, sender, n); err != nil {
			return err
		}
		if err := holdMaxFee(c, ci, t); err != nil { // not written: its turn has not come
			return err
		}
		if p.nonces == nil {
			p.nonces = map[uint64]bool{}
		}
		p.nonces[n] = true
		p.bytes += size
		a.parked[sender] = p
		return nil
	}
	if err := holdMaxFee(c, ci, t); err != nil {
		return err
	}
	return c.Write()
}

// resetCheck points CheckTx's view at the last commit and forgets what was
// parked: CometBFT's recheck of the remaining mempool txs rebuilds both.
func (a *App) resetCheck() error {
	view, err := a.store.At(a.store.Version())
	if err != nil {
		return fmt.Errorf("open committed version %d: %w", a.store.Version(), err)
	}
	a.check = state.NewCache(view)
	a.parked = map[address.Address]parked{}
	return nil
}

// admitNew applies the node's own admission limits to a new tx: the disk
// quota. They are node-local (app.toml), so they may differ between
// validators, which is why they are checked only here, at the mempool's
// door (Precheck, CheckTx of a new tx), and never in ProcessProposal or
// FinalizeBlock: a validator over its quota that refused a block other
// validators accept would fork itself off the chain, or halt it. Txs
// already in the mempool stay (a recheck does not evict them), and blocks
// keep being made and executed, so the chain stays live while the
// operator adds disk.
func (a *App) admitNew() error {
	quota := a.opts.DiskQuotaBytes
	if quota <= 0 {
		return nil
	}
	if used := a.diskUsed.Load(); used > quota {
		return fmt.Errorf("%w: its data directory holds %d bytes, over the quota of %d; "+
			"new txs are refused until it is below, reads still work", ErrDiskQuota, used, quota)
	}
	return nil
}

// SetDiskUsage records the bytes of the node's data directory, as the
// node measures them periodically (never per tx: a walk of the directory
// costs far more than a CheckTx).
func (a *App) SetDiskUsage(bytes int64) { a.diskUsed.Store(bytes) }
