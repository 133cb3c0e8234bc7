package bench

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"time"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/tx"
	"github.com/vsys/vsys/modules/interchain/packet"
	"github.com/vsys/vsys/relay"
)

// Sustained is what a run at a steady offered rate measured: transfers
// sent on A at Rate for Window, and the packets acknowledged back on A
// counted from A's state once a second.
type Sustained struct {
	Rate   float64       `json:"rate"` // offered, packets/s
	Window time.Duration `json:"window"`
	// Sent is how many transfers committed on A during the window.
	Sent int `json:"sent"`
	// AckedPerSecond is the rate of acknowledgements on A over the steady
	// part of the window (its last two thirds: the first third fills the
	// pipeline, a round trip and more).
	AckedPerSecond float64 `json:"acked_per_second"`
	// Backlog is what was sent and not yet acknowledged when the window
	// closed; Drained is how long after that the last was acknowledged.
	Backlog int           `json:"backlog"`
	Drained time.Duration `json:"drained"`
}

// sustainTick is how often the sender sends what is due: a tenth of a
// 1 s block, so the offered load is spread over each block.
const sustainTick = 100 * time.Millisecond

// sample is A's count of acknowledged window packets at one moment.
type sample struct {
	at            time.Time
	sent, pending int
}

func (s sample) acked() int { return s.sent - s.pending }

// sustain offers o.Rate transfers a second on A for o.Window, from the
// senders in turn (each a nonce sequence of its own, so the mempool does
// not serialise them), and samples A's state once a second.
func (m *measure) sustain(ctx context.Context, o Options) (*Sustained, error) {
	st, err := m.a.c.Status(ctx)
	if err != nil {
		return nil, err
	}
	first, err := m.nextSequence(ctx, 0)
	if err != nil {
		return nil, err
	}
	s := &sender{m: m, chainID: st.ChainID, price: st.MinGasPrice, nonces: make([]uint64, o.Senders)}
	for i := range o.Senders {
		acc, err := m.a.c.GetAccount(ctx, s.addr(i), 0)
		if err != nil {
			return nil, err
		}
		s.nonces[i] = acc.Nonce
	}
	if err := s.gauge(ctx); err != nil {
		return nil, err
	}
	out := &Sustained{Rate: o.Rate, Window: o.Window}
	// Two samples, at a third of the window and at its close, make the
	// steady rate: counting the pending packets reads them all, so doing
	// it often would load the node the figure is about.
	start := time.Now()
	steadyFrom := start.Add(o.Window / 3)
	var from *sample
	due := 0
	for t := time.NewTicker(sustainTick); time.Since(start) < o.Window; <-t.C {
		if from == nil && time.Now().After(steadyFrom) {
			smp, err := m.sample(ctx, first)
			if err != nil {
				return nil, err
			}
			from = &smp
		}
		want := int(o.Rate * time.Since(start).Seconds())
		for due < want && ctx.Err() == nil {
			n := min(tx.MaxCalls, want-due)
			if err := s.send(ctx, n); err != nil {
				return nil, err
			}
			due += n
		}
	}
	closed := time.Now()
	end, err := m.sample(ctx, first)
	if err != nil {
		return nil, err
	}
	if from == nil {
		return nil, fmt.Errorf("window %v too short to sample", o.Window)
	}
	out.Sent, out.Backlog = end.sent, end.pending
	out.AckedPerSecond = float64(end.acked()-from.acked()) / end.at.Sub(from.at).Seconds()
	fmt.Fprintf(o.Log, "sustained %.0f/s for %v: %d sent, %.0f acked/s over the last two thirds, %d pending at the close\n",
		o.Rate, o.Window, out.Sent, out.AckedPerSecond, out.Backlog)
	for deadline := time.Now().Add(stallAfter); ; time.Sleep(drainPoll) {
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("%w: packets still pending %v after the window", errStalled, stallAfter)
		}
		var page []packet.Packet
		if err := m.ra.Query(ctx, 0, "pending", relay.PendingArgs{ClientID: m.conn.AClient, StartSequence: first, Limit: 1}, &page); err != nil {
			return nil, err
		}
		if len(page) == 0 {
			break
		}
	}
	out.Drained = time.Since(closed)
	fmt.Fprintf(o.Log, "backlog drained %v after the close\n", out.Drained.Round(time.Millisecond))
	return out, nil
}

// drainPoll is how often the end of the drain is looked for (one packet
// read each time).
const drainPoll = 100 * time.Millisecond

// sample counts, at A's latest height, the packets sent since sequence
// first and those of them still pending.
func (m *measure) sample(ctx context.Context, first uint64) (sample, error) {
	at := time.Now()
	st, err := m.a.c.Status(ctx)
	if err != nil {
		return sample{}, err
	}
	// The status's height can be a block ahead of the queryable store
	// (CometBFT's view); the one before it is committed everywhere.
	h := st.LatestHeight - 1
	next, err := m.nextSequence(ctx, h)
	if err != nil {
		return sample{}, err
	}
	pending := 0
	for from := first; ; {
		var page []packet.Packet
		if err := m.ra.Query(ctx, h, "pending", relay.PendingArgs{ClientID: m.conn.AClient, StartSequence: from, Limit: 1000}, &page); err != nil {
			return sample{}, err
		}
		pending += len(page)
		if len(page) < 1000 {
			break
		}
		from = page[len(page)-1].Sequence + 1
	}
	return sample{at: at, sent: int(next - first), pending: pending}, nil
}

// nextSequence is the sequence A's next packet gets, at height (0: latest).
func (m *measure) nextSequence(ctx context.Context, height int64) (uint64, error) {
	var next uint64
	err := m.ra.Query(ctx, height, "next_sequence", relay.ClientArgs{ClientID: m.conn.AClient}, &next)
	return next, err
}

// sender signs transfer txs itself, with nonces it counts, so a send is
// one JSON-RPC call (client.Send reads the status and the account first).
type sender struct {
	m       *measure
	chainID string
	price   codec.U128
	nonces  []uint64
	turn    int
	gasPer  uint64 // a transfer's gas, with a margin, from one estimate
}

func (s *sender) addr(i int) address.Address {
	return address.FromPubKey(senderKey(i).Public().(ed25519.PublicKey))
}

// calls is n transfers with a timeout an hour ahead.
func (s *sender) calls(n int) ([]tx.Call, error) {
	calls := make([]tx.Call, n)
	timeout := time.Now().Add(time.Hour)
	for i := range calls {
		c, err := transferCall(s.m.conn.AClient, s.m.native, timeout)
		if err != nil {
			return nil, err
		}
		calls[i] = c
	}
	return calls, nil
}

// gauge estimates a full tx of transfers once: every transfer of the run
// is alike, so one estimate prices them all.
func (s *sender) gauge(ctx context.Context) error {
	calls, err := s.calls(tx.MaxCalls)
	if err != nil {
		return err
	}
	est, err := s.m.a.c.Estimate(ctx, senderKey(0).Public().(ed25519.PublicKey), calls)
	if err != nil {
		return fmt.Errorf("estimate a tx of %d transfers: %w", len(calls), err)
	}
	s.gasPer = est.GasUsed/uint64(len(calls))*5/4 + 1
	return nil
}

// send submits one tx of n transfers from the next sender in turn,
// without waiting for its block.
func (s *sender) send(ctx context.Context, n int) error {
	calls, err := s.calls(n)
	if err != nil {
		return err
	}
	i := s.turn % len(s.nonces)
	s.turn++
	key := senderKey(i)
	body := tx.Body{ChainID: s.chainID, PubKey: key.Public().(ed25519.PublicKey), Nonce: s.nonces[i],
		GasLimit: s.gasPer * uint64(n), GasPrice: s.price, Calls: calls}
	signed, err := tx.Sign(body, key)
	if err != nil {
		return err
	}
	if _, err := s.m.a.c.SendRawTransaction(ctx, signed.Bytes()); err != nil {
		return fmt.Errorf("sustained transfer from sender %d: %w", i, err)
	}
	s.nonces[i]++
	return nil
}
