package relay

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/vsys/vsys/core/tx"
)

// Stats count what a round did: packets with a SUCCESS result by kind,
// NOOPs (delivered before, by this relayer or another), client updates,
// and calls that failed (they are found again next round).
type Stats struct {
	Recv, Ack, Timeout, Noop, Updates, Failed int
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

// submit sends the leg's calls in as few txs as fit: at most
// cfg.MaxCallsPerTx calls each, the update in the first. vsys txs are
// all-or-nothing, so a tx whose estimate fails (over max_gas_per_tx, or
// one call refused, such as a packet that timed out meanwhile) is split
// in halves until the failing call stands alone; that one is counted as
// failed and found again next round.
func (l *leg) submit(ctx context.Context, r *Relayer, up *tx.Call, items []item) (Stats, error) {
	var st Stats
	if len(items) == 0 {
		return st, l.send(ctx, r, up, nil, &st)
	}
	for start := 0; start < len(items); start += r.cfg.MaxCallsPerTx {
		chunk := items[start:min(start+r.cfg.MaxCallsPerTx, len(items))]
		if err := l.sendSplitting(ctx, r, up, chunk, &st); err != nil {
			return st, err
		}
		up = nil // the first tx carried it
	}
	return st, nil
}

func (l *leg) sendSplitting(ctx context.Context, r *Relayer, up *tx.Call, items []item, st *Stats) error {
	err := l.send(ctx, r, up, items, st)
	if err == nil || ctx.Err() != nil {
		return err
	}
	if len(items) > 1 {
		half := len(items) / 2
		if err := l.sendSplitting(ctx, r, up, items[:half], st); err != nil {
			return err
		}
		return l.sendSplitting(ctx, r, nil, items[half:], st)
	}
	st.Failed++
	r.metrics.failed(l.dir)
	r.log.Warn("relay call failed; it is found again next round", "direction", l.dir, "kind", items[0].kind, "sequence", items[0].seq, "err", err)
	if up != nil {
		return l.send(ctx, r, up, nil, st) // the update alone, for the calls after it
	}
	return nil
}

// send is one tx: the update (if any) and the items' calls, as the dst
// chain's relayer key, waiting for its block.
func (l *leg) send(ctx context.Context, r *Relayer, up *tx.Call, items []item, st *Stats) error {
	calls := make([]tx.Call, 0, len(items)+1)
	if up != nil {
		calls = append(calls, *up)
	}
	for _, it := range items {
		calls = append(calls, it.call)
	}
	sent, err := l.dst.sendTx(ctx, calls)
	if err != nil {
		return fmt.Errorf("%s: tx of %d calls: %w", l.dst.Name, len(calls), err)
	}
	if sent.Tx.Code != 0 {
		return fmt.Errorf("%s: tx %x failed (%s code %d): %s", l.dst.Name, sent.Hash, sent.Tx.Codespace, sent.Tx.Code, sent.Tx.Log)
	}
	res := sent.Tx.Results
	if up != nil {
		st.Updates++
		res = res[min(1, len(res)):]
	}
	now := time.Now()
	for i, it := range items {
		var out string
		if i < len(res) {
			_ = json.Unmarshal(res[i], &out)
		}
		if out != resultSuccess {
			st.Noop++
			continue
		}
		switch it.kind {
		case kindRecv:
			st.Recv++
		case kindAck:
			st.Ack++
		case kindTimeout:
			st.Timeout++
		}
		r.metrics.relayed(it.kind, l.dir, it.seq, now)
	}
	return nil
}
