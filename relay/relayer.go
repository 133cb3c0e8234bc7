package relay

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/vsys/vsys/core/tx"
)

// Config is a relayer between chains A and B.
type Config struct {
	A, B Endpoint
	// AClient is A's client of B (the source client of A's packets);
	// BClient is B's client of A. `vsysd relay connect` prints both.
	AClient, BClient string
	// Batch is how many pending packets a leg reads per round (the batch
	// rule, select.go); 0: 200.
	Batch int
	// MaxCallsPerTx bounds one tx's packet calls (it is also split to
	// stay under max_gas_per_tx); 0 or more than tx.MaxCalls-1 (room for
	// the update): tx.MaxCalls-1.
	MaxCallsPerTx int
	// Interval is the pause after a round that found nothing; 0: 200 ms.
	Interval time.Duration
	// RecvMargin: a packet whose timeout is this close to the
	// destination's block time is left to time out instead of being
	// received (a receive in a block past its timeout would fail the
	// whole tx); 0: 3 s.
	RecvMargin time.Duration
	// Log receives the relayer's lines; nil: none.
	Log *slog.Logger
	// Metrics, if not nil, records the relayer's series.
	Metrics *Metrics
}

func (c *Config) defaults() {
	if c.Batch <= 0 {
		c.Batch = 200
	}
	if c.MaxCallsPerTx <= 0 || c.MaxCallsPerTx > tx.MaxCalls-1 {
		c.MaxCallsPerTx = tx.MaxCalls - 1
	}
	if c.Interval <= 0 {
		c.Interval = 200 * time.Millisecond
	}
	if c.RecvMargin <= 0 {
		c.RecvMargin = 3 * time.Second
	}
	if c.Log == nil {
		c.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
}

// Relayer relays between two chains. It holds connections and caches of
// fixed facts (chain ids, merkle prefixes), never packets.
type Relayer struct {
	cfg     Config
	A, B    *Chain
	legs    [2]*leg // a->b (txs on B), b->a (txs on A)
	log     *slog.Logger
	metrics *Metrics
}

// New dials both chains.
func New(ctx context.Context, cfg Config) (*Relayer, error) {
	cfg.defaults()
	a, err := Dial(ctx, cfg.A)
	if err != nil {
		return nil, err
	}
	b, err := Dial(ctx, cfg.B)
	if err != nil {
		return nil, err
	}
	r := &Relayer{cfg: cfg, A: a, B: b, log: cfg.Log, metrics: cfg.Metrics}
	r.legs[0] = &leg{src: a, dst: b, srcClient: cfg.AClient, dstClient: cfg.BClient, dir: a.Name + "->" + b.Name}
	r.legs[1] = &leg{src: b, dst: a, srcClient: cfg.BClient, dstClient: cfg.AClient, dir: b.Name + "->" + a.Name}
	// A receive on B is acknowledged by the leg b->a (txs on A), and the
	// other way round: each leg's receives are the other's hints.
	r.legs[0].toAck, r.legs[1].toAck = &hints{}, &hints{}
	r.legs[0].feed, r.legs[1].feed = r.legs[1].toAck, r.legs[0].toAck
	return r, nil
}

// Round runs both legs once, concurrently (they write to different
// chains with different keys). A *ClientError from either is returned
// as is, so the caller stops the path; other errors are joined.
func (r *Relayer) Round(ctx context.Context) (Stats, error) {
	var (
		wg    sync.WaitGroup
		stats [2]Stats
		errs  [2]error
	)
	for i, l := range r.legs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stats[i], errs[i] = r.runLeg(ctx, l)
		}()
	}
	wg.Wait()
	var total Stats
	total.add(stats[0])
	total.add(stats[1])
	for _, err := range errs {
		var ce *ClientError
		if errors.As(err, &ce) {
			return total, err
		}
	}
	return total, errors.Join(errs[0], errs[1])
}

func (r *Relayer) runLeg(ctx context.Context, l *leg) (Stats, error) {
	began := time.Now()
	p, err := l.plan(ctx, &r.cfg)
	var ce *ClientError
	if errors.As(err, &ce) {
		r.metrics.client(l.dst.Name, l.dstClient, 0, false)
		return Stats{}, err
	}
	if err != nil {
		r.metrics.failed(l.dir)
		return Stats{}, fmt.Errorf("%s: %w", l.dir, err)
	}
	r.metrics.client(l.dst.Name, l.dstClient, time.Unix(p.client.ExpiresAt, 0).Sub(p.dstNow), true)
	for _, pk := range p.recvs {
		r.metrics.seen(l.dir, pk.Sequence, time.Now())
	}
	if p.empty() && !p.refresh {
		return Stats{}, nil
	}
	planned := time.Since(began)
	up, items, err := l.calls(ctx, p)
	if err != nil {
		r.metrics.failed(l.dir)
		return Stats{}, fmt.Errorf("%s: %w", l.dir, err)
	}
	if up == nil && len(items) == 0 {
		return Stats{}, nil
	}
	proved := time.Since(began)
	st, err := l.submit(ctx, r, up, items)
	if err != nil {
		r.metrics.failed(l.dir)
		return st, fmt.Errorf("%s: %w", l.dir, err)
	}
	r.log.Info("relayed", "direction", l.dir, "height", p.snap.Height(), "recv", st.Recv, "ack", st.Ack,
		"timeout", st.Timeout, "noop", st.Noop, "updates", st.Updates, "failed", st.Failed,
		"read", planned.Round(time.Millisecond), "proved", (proved - planned).Round(time.Millisecond),
		"sent", (st.lastSent.Sub(began) - proved).Round(time.Millisecond), "took", time.Since(began).Round(time.Millisecond))
	return st, nil
}

// Run relays until ctx ends (nil) or a client is expired or frozen (its
// *ClientError, wrapping ErrClientExpired or ErrClientFrozen): such a
// client takes no update, so retrying would loop forever. Other errors
// (a node down, a tx refused) are logged and retried. Each leg loops on
// its own, so a leg busy with a backlog of receives does not hold back
// the acknowledgements going the other way.
func (r *Relayer) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var wg sync.WaitGroup
	for _, l := range r.legs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := r.loop(ctx, l); err != nil {
				cancel(err)
			}
		}()
	}
	wg.Wait()
	if err := context.Cause(ctx); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}

// loop runs one leg until ctx ends or its client stops the path.
func (r *Relayer) loop(ctx context.Context, l *leg) error {
	for ctx.Err() == nil {
		r.metrics.round()
		st, err := r.runLeg(ctx, l)
		var ce *ClientError
		switch {
		case ctx.Err() != nil:
			return nil
		case errors.As(err, &ce):
			r.log.Error("path stopped", "chain", ce.Chain, "client", ce.ClientID, "status", ce.Status, "err", err)
			return err
		case err != nil:
			r.log.Warn("relay step failed; retrying", "direction", l.dir, "err", err)
		}
		if st.Packets()+st.Updates > 0 && err == nil {
			continue // more may be waiting: no pause
		}
		select {
		case <-ctx.Done():
		case <-time.After(r.cfg.Interval):
		}
	}
	return nil
}
