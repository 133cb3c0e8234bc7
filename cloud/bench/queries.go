package bench

import (
	"context"
	"sync"
	"time"

	"github.com/vsys/vsys/core/keys"
	"github.com/vsys/vsys/node"
	"github.com/vsys/vsys/rpc/client"
)

// queryLoop times vsys_getAccount of B's dev account back to back, with a
// short pause, until stopped.
type queryLoop struct {
	mu      sync.Mutex
	samples []sample
	done    chan struct{}
	quit    chan struct{}
}

type sample struct {
	at  time.Time
	lat time.Duration
}

// queryPause is the query loop's pause between calls: light load, about
// a hundred queries a second.
const queryPause = 10 * time.Millisecond

func startQueries(ctx context.Context, c *client.Client, home string) (*queryLoop, error) {
	kr, err := keys.Open(home, keys.BackendTest, nil)
	if err != nil {
		return nil, err
	}
	dev, err := kr.Show(node.DevKeyName)
	if err != nil {
		return nil, err
	}
	addr := dev.Address
	q := &queryLoop{done: make(chan struct{}), quit: make(chan struct{})}
	go func() {
		defer close(q.done)
		for {
			select {
			case <-q.quit:
				return
			case <-time.After(queryPause):
			}
			t0 := time.Now()
			if _, err := c.GetAccount(ctx, addr, 0); err == nil {
				q.mu.Lock()
				q.samples = append(q.samples, sample{t0, time.Since(t0)})
				q.mu.Unlock()
			}
		}
	}()
	return q, nil
}

// since returns the latencies of the queries started at t0 or later.
func (q *queryLoop) since(t0 time.Time) []time.Duration {
	q.mu.Lock()
	defer q.mu.Unlock()
	var out []time.Duration
	for _, s := range q.samples {
		if !s.at.Before(t0) {
			out = append(out, s.lat)
		}
	}
	return out
}

func (q *queryLoop) stop() {
	close(q.quit)
	<-q.done
}

func quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(float64(len(sorted))*q))]
}
