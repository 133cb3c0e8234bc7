package relay

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/vsys/vsys/core/tx"
	"github.com/vsys/vsys/rpc"
	"github.com/vsys/vsys/rpc/client"
)

// Stats count what a round did: packets with a SUCCESS result by kind,
// NOOPs (delivered before, by this relayer or another), client updates,
// and calls that failed (they are found again next round).
type Stats struct {
	Recv, Ack, Timeout, Noop, Updates, Failed int

	lastSent time.Time // for the log: when the last tx went out
}

func (s *Stats) add(o Stats) {
	s.Recv += o.Recv
	s.Ack += o.Ack
	s.Timeout += o.Timeout
	s.Noop += o.Noop
	s.Updates += o.Updates
	s.Failed += o.Failed
}

// Packets is the number of packets the round moved.
func (s Stats) Packets() int { return s.Recv + s.Ack + s.Timeout }

// pipeline submits one leg's txs back to back with consecutive nonces,
// the first carrying the client update, and waits for them together, so
// a backlog of many txs lands in as few blocks as the chain packs them.
type pipeline struct {
	l     *leg
	r     *Relayer
	nonce *uint64 // the next nonce once the first tx is in
	// perCall is the first estimated tx's gas per packet call (its
	// update's share included), for sendExtrapolated.
	perCall uint64
	sent    []sentTx
	st      Stats
}

type sentTx struct {
	hash  []byte
	up    bool
	items []item
}

// submit sends the leg's calls in txs of at most cfg.MaxCallsPerTx calls,
// the update in the first. vsys txs are all-or-nothing, so a tx whose
// estimate fails (over max_gas_per_tx, or one call refused, such as a
// packet that timed out meanwhile) is split in halves until the failing
// call stands alone; that one is counted as failed and found again next
// round.
func (l *leg) submit(ctx context.Context, r *Relayer, up *tx.Call, items []item) (Stats, error) {
	p := &pipeline{l: l, r: r}
	size := r.cfg.MaxCallsPerTx
	first := items[:min(size, len(items))]
	if err := p.split(ctx, up, first); err != nil {
		return p.st, err
	}
	var chunks [][]item
	for start := len(first); start < len(items); start += size {
		chunks = append(chunks, items[start:min(start+size, len(items))])
	}
	// The fast path does not wait for the first tx: the others follow it
	// with the next nonces, so they land after it, in its block or later.
	if err := p.sendExtrapolated(ctx, chunks); err != nil || !p.l.estimateAll {
		return p.st, err
	}
	if err := p.wait(ctx); err != nil { // the first tx (and its update) is in
		return p.st, err
	}
	// The estimates are the slow part (each runs its calls on the node):
	// run them at once, then send in order with consecutive nonces.
	ests := make([]*rpc.Estimate, len(chunks))
	errs := make([]error, len(chunks))
	var wg sync.WaitGroup
	sem := make(chan struct{}, parallelEstimates)
	for i, c := range chunks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			ests[i], errs[i] = p.estimate(ctx, nil, c)
		}()
	}
	wg.Wait()
	for i, c := range chunks {
		err := errs[i]
		if err == nil {
			err = p.sendEstimated(ctx, nil, c, ests[i])
		}
		if err != nil && ctx.Err() == nil {
			err = p.split(ctx, nil, c) // find the call that fails
		}
		if err != nil {
			return p.st, err
		}
	}
	err := p.wait(ctx)
	if err == nil && p.st.Failed == 0 {
		p.l.estimateAll = false // clean again: back to the fast path next step
	}
	return p.st, err
}

// sendExtrapolated is the fast path of a backlog: the txs after the
// first are sent with the first one's gas per call (which includes the
// update's share, so it is high), and a margin, instead of an estimate
// each, which would run every call on the node once more. The calls are
// alike (receives first, then acks, then timeouts); if a tx still runs
// out of gas in its block, the leg estimates every tx from then on
// (estimateAll) until a step goes through clean.
func (p *pipeline) sendExtrapolated(ctx context.Context, chunks [][]item) error {
	if len(chunks) == 0 {
		return p.wait(ctx)
	}
	if p.l.estimateAll || p.perCall == 0 {
		p.l.estimateAll = true
		return nil
	}
	for _, c := range chunks {
		gas := min(p.perCall*uint64(len(c))*extrapolationMargin/100, p.l.dst.maxGas)
		if err := p.sendWithGas(ctx, nil, c, gas); err != nil {
			if ctx.Err() != nil {
				return err
			}
			if err := p.split(ctx, nil, c); err != nil {
				return err
			}
		}
	}
	return p.wait(ctx)
}

// extrapolationMargin is the gas margin of sendExtrapolated, in percent.
const extrapolationMargin = 130

// parallelEstimates bounds the estimates a leg runs at once.
const parallelEstimates = 4

func (p *pipeline) split(ctx context.Context, up *tx.Call, items []item) error {
	err := p.send(ctx, up, items)
	if err == nil || ctx.Err() != nil {
		return err
	}
	if len(items) > 1 {
		half := len(items) / 2
		if err := p.split(ctx, up, items[:half]); err != nil {
			return err
		}
		return p.split(ctx, nil, items[half:])
	}
	p.st.Failed++
	p.r.metrics.failed(p.l.dir)
	if len(items) == 0 {
		return err // the update alone: nothing after it can be proven
	}
	p.r.log.Warn("relay call failed; it is found again next round", "direction", p.l.dir, "kind", items[0].kind, "sequence", items[0].seq, "err", err)
	if up != nil {
		return p.split(ctx, up, nil) // the update alone, for the calls after it
	}
	return nil
}

func txCalls(up *tx.Call, items []item) []tx.Call {
	calls := make([]tx.Call, 0, len(items)+1)
	if up != nil {
		calls = append(calls, *up)
	}
	for _, it := range items {
		calls = append(calls, it.call)
	}
	return calls
}

// estimate simulates one tx on committed state, not after the txs still
// in flight: those hold other packets, and the gas margin of
// sendEstimated covers what they change in this one's costs (a first
// write becoming an update is cheaper).
func (p *pipeline) estimate(ctx context.Context, up *tx.Call, items []item) (*rpc.Estimate, error) {
	calls := txCalls(up, items)
	est, err := p.l.dst.vsys.Estimate(ctx, p.l.dst.Key.Public().(ed25519.PublicKey), calls)
	if err != nil {
		return nil, fmt.Errorf("%s: tx of %d calls: %w", p.l.dst.Name, len(calls), err)
	}
	return est, nil
}

// send estimates and submits one tx (without waiting for its block).
func (p *pipeline) send(ctx context.Context, up *tx.Call, items []item) error {
	est, err := p.estimate(ctx, up, items)
	if err != nil {
		return err
	}
	if p.perCall == 0 && len(items) > 0 {
		p.perCall = est.GasUsed / uint64(len(items))
	}
	return p.sendEstimated(ctx, up, items, est)
}

func (p *pipeline) sendEstimated(ctx context.Context, up *tx.Call, items []item, est *rpc.Estimate) error {
	return p.sendWithGas(ctx, up, items, est.GasUsed+est.GasUsed/10)
}

func (p *pipeline) sendWithGas(ctx context.Context, up *tx.Call, items []item, gas uint64) error {
	calls := txCalls(up, items)
	sent, err := p.l.dst.sendTx(ctx, calls, client.SendOptions{NoWait: true, Nonce: p.nonce, GasLimit: gas})
	if err != nil {
		return fmt.Errorf("%s: tx of %d calls: %w", p.l.dst.Name, len(calls), err)
	}
	next := sent.Nonce + 1
	p.nonce = &next
	p.sent = append(p.sent, sentTx{hash: sent.Hash, up: up != nil, items: items})
	p.st.lastSent = time.Now()
	return nil
}

// wait waits for every tx sent and counts their results.
func (p *pipeline) wait(ctx context.Context) error {
	defer func() { p.sent = p.sent[:0] }()
	for _, s := range p.sent {
		res, err := p.l.dst.vsys.WaitTx(ctx, s.hash)
		if err != nil {
			return fmt.Errorf("%s: tx %x: %w", p.l.dst.Name, s.hash, err)
		}
		if res.Code != 0 {
			// Estimated to succeed, failed in its block: the state moved in
			// between (another relayer). Next round derives it again.
			p.st.Failed += len(s.items)
			p.l.estimateAll = true
			p.r.metrics.failed(p.l.dir)
			p.r.log.Warn("relay tx failed in its block", "direction", p.l.dir, "tx", fmt.Sprintf("%x", s.hash), "log", res.Log)
			continue
		}
		p.count(s, res.Height, res.Results)
	}
	return nil
}

func (p *pipeline) count(s sentTx, height int64, results []json.RawMessage) {
	if s.up {
		p.st.Updates++
		results = results[min(1, len(results)):]
	}
	now := time.Now()
	for i, it := range s.items {
		var out string
		if i < len(results) {
			_ = json.Unmarshal(results[i], &out)
		}
		if out != resultSuccess {
			p.st.Noop++
			continue
		}
		switch it.kind {
		case kindRecv:
			p.st.Recv++
			if it.recv != nil {
				p.l.feed.add(*it.recv, height)
			}
		case kindAck:
			p.st.Ack++
		case kindTimeout:
			p.st.Timeout++
		}
		p.r.metrics.relayed(it.kind, p.l.dir, it.seq, now)
	}
}
