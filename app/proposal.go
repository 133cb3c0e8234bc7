package app

import (
	"errors"
	"fmt"

	cmttypes "github.com/cometbft/cometbft/types"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/state"
	"github.com/vsys/vsys/core/tx"
)

// The proposal rules. PrepareProposal (propose) builds a block that
// follows them and ProcessProposal (checkProposal) rejects one that does
// not; both judge against the last committed state with the same code
// (blockRules), so an honest proposal always passes, which liveness
// depends on. A block follows the rules when
//
//   - every tx decodes, is at most max_tx_bytes, has a valid signature and
//     passes the static ante checks (chain id, gas price, gas limit range);
//   - each sender's txs carry consecutive nonces from its committed nonce;
//   - its txs, sized as CometBFT encodes them, total at most max_block_bytes;
//   - their gas limits total at most max_block_gas.
//
// Whether a tx can pay its fee is not a rule: it depends on the txs before
// it in the block, so only executing them tells, and FinalizeBlock does.

// ErrBadProposal is wrapped by every reason ProcessProposal rejects a block.
var ErrBadProposal = errors.New("proposal breaks the block rules")

// blockRules accumulates a block's txs under the proposal rules.
type blockRules struct {
	view     state.KV
	ci       *chainInfo
	maxBytes int64
	bytes    int64
	gas      uint64
	next     map[address.Address]uint64
}

func newBlockRules(view state.KV, ci *chainInfo, maxBytes int64) *blockRules {
	return &blockRules{view: view, ci: ci, maxBytes: min(maxBytes, int64(ci.params.MaxBlockBytes)),
		next: map[address.Address]uint64{}}
}

// nextNonce is the nonce s's next tx in this block must have.
func (r *blockRules) nextNonce(s address.Address) (uint64, error) {
	if n, ok := r.next[s]; ok {
		return n, nil
	}
	n, err := Nonce(r.view, s)
	if err != nil {
		return 0, fmt.Errorf("nonce of %s: %w", s, err)
	}
	r.next[s] = n
	return n, nil
}

// txBlockBytes is what raw adds to a block's data as CometBFT counts it
// (types.Txs.Validate, which refuses PrepareProposal's answer past
// MaxTxBytes): the tx and its protobuf framing.
func txBlockBytes(raw []byte) int64 {
	return cmttypes.ComputeProtoSizeForTxs([]cmttypes.Tx{raw})
}

// fits says whether t, the next tx of its sender, still fits the block.
func (r *blockRules) fits(t *tx.Tx) error {
	if b := r.bytes + txBlockBytes(t.Bytes()); b > r.maxBytes {
		return fmt.Errorf("txs take %d bytes, limit %d", b, r.maxBytes)
	}
	if g := r.gas + t.Body.GasLimit; g > r.ci.params.MaxBlockGas || g < r.gas {
		return fmt.Errorf("gas limits total %d, limit %d", g, r.ci.params.MaxBlockGas)
	}
	return nil
}

// add counts t, which fits, into the block.
func (r *blockRules) add(t *tx.Tx) {
	r.bytes += txBlockBytes(t.Bytes())
	r.gas += t.Body.GasLimit
	r.next[t.Sender()]++
}

// full says whether no further tx can fit: even the smallest tx needs its
// intrinsic gas and some bytes.
func (r *blockRules) full() bool {
	minGas := IntrinsicGas(&r.ci.params.Costs, 0)
	return r.bytes+minTxBytes > r.maxBytes || r.gas+minGas > r.ci.params.MaxBlockGas || r.gas+minGas < r.gas
}

// minTxBytes is below the size of any valid tx (a signature alone is 64).
const minTxBytes = 64

// propose fills a block (PrepareProposal) from the mempool's txs, in
// mempool order, under the block rules. A tx whose sender's earlier nonce is not in the
// block yet waits, in this call, until that one is taken, and goes in
// right behind it; a tx that does not fit is skipped and filling goes on
// with the txs behind it (a sender whose next tx did not fit gets nothing
// more, its later nonces would break the order). So txs parked far ahead
// never keep other senders' txs, or the tx that fills their gap, out of the
// block. Txs that can never be valid are left out.
//
// CometBFT hands PrepareProposal what its mempool reaps, in arrival order:
// only up to the block's byte limit unless the consensus param
// block.max_bytes is -1, when it hands over the whole mempool. Nodes are
// initialised with -1 (node/) so that the app, not the reap, decides
// what goes in; the app's own limit is max_block_bytes.
func (a *App) propose(txs [][]byte, maxBytes int64) ([][]byte, error) {
	ci, _ := a.chainInfo()
	view, err := a.store.At(0)
	if err != nil { // nothing committed yet: the mempool is empty too
		return nil, nil
	}
	rules := newBlockRules(view, &ci, maxBytes)
	type pending struct {
		raw []byte
		t   *tx.Tx
	}
	ahead := map[address.Address]map[uint64]pending{} // txs whose turn has not come, by sender and nonce
	closed := map[address.Address]bool{}              // senders whose next tx did not fit
	var out [][]byte
	// take adds p, the next tx of its sender, if it fits, then whatever of
	// that sender was waiting behind it.
	take := func(p pending) {
		s := p.t.Sender()
		for {
			if rules.fits(p.t) != nil {
				closed[s] = true
				return
			}
			rules.add(p.t)
			out = append(out, p.raw)
			next, ok := ahead[s][rules.next[s]]
			if !ok {
				return
			}
			delete(ahead[s], rules.next[s])
			p = next
		}
	}
	for _, raw := range txs {
		if rules.full() {
			break
		}
		t, err := a.decode(raw, ci.params.MaxTxBytes)
		if err != nil || staticCheck(&ci, t, t.Body.GasLimit) != nil {
			continue
		}
		s := t.Sender()
		if closed[s] {
			continue
		}
		n, err := rules.nextNonce(s)
		if err != nil {
			return nil, err
		}
		switch {
		case t.Body.Nonce < n: // its nonce is used: by a committed tx or one already taken
		case t.Body.Nonce > n:
			if ahead[s] == nil {
				ahead[s] = map[uint64]pending{}
			}
			if _, dup := ahead[s][t.Body.Nonce]; !dup {
				ahead[s][t.Body.Nonce] = pending{raw, t}
			}
		default:
			take(pending{raw, t})
		}
	}
	return out, nil
}

// checkProposal returns why txs break the block rules, or nil: it judges
// them exactly as propose does (ProcessProposal). It does not execute
// anything. The txs it verified stay cached for FinalizeBlock.
func (a *App) checkProposal(txs [][]byte) error {
	if len(txs) == 0 {
		return nil
	}
	ci, _ := a.chainInfo()
	view, err := a.store.At(0)
	if err != nil { // PrepareProposal proposes nothing before the first commit
		return fmt.Errorf("%w: txs before the first commit", ErrBadProposal)
	}
	decoded, errs := a.decodeAll(txs, ci.params.MaxTxBytes, false)
	rules := newBlockRules(view, &ci, int64(ci.params.MaxBlockBytes))
	for i, t := range decoded {
		if errs[i] != nil {
			return fmt.Errorf("%w: tx %d: %v", ErrBadProposal, i, errs[i])
		}
		if err := staticCheck(&ci, t, t.Body.GasLimit); err != nil {
			return fmt.Errorf("%w: tx %d: %v", ErrBadProposal, i, err)
		}
		n, err := rules.nextNonce(t.Sender())
		if err != nil {
			return err
		}
		if t.Body.Nonce != n {
			return fmt.Errorf("%w: tx %d: sender %s's next nonce in this block is %d, tx has %d", ErrBadProposal, i, t.Sender(), n, t.Body.Nonce)
		}
		if err := rules.fits(t); err != nil {
			return fmt.Errorf("%w: tx %d: %v", ErrBadProposal, i, err)
		}
		rules.add(t)
	}
	for _, t := range decoded {
		a.txCache.add(t)
	}
	return nil
}
