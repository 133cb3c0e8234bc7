package server

import (
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/vsys/vsys/rpc/jsonrpc"
)

// txBucket is the token bucket of vsys_sendRawTransaction: rate txs per
// second refill it, up to burst, and each tx takes one. It is node-local
// admission, like the disk quota (app.admitNew): it refuses txs at this
// node's door only, never a block.
type txBucket struct {
	rate  float64 // tokens per second; 0: no limit
	burst float64

	mu     sync.Mutex
	tokens float64
	last   time.Time
}

// newTxBucket returns a bucket for rate txs per second with room for
// burst (0: one second's worth, at least 1); nil when rate is 0.
func newTxBucket(rate float64, burst int) *txBucket {
	if rate <= 0 {
		return nil
	}
	b := float64(burst)
	if burst <= 0 {
		b = math.Max(1, math.Ceil(rate))
	}
	return &txBucket{rate: rate, burst: b, tokens: b}
}

// take takes one token at now, or reports that none is left.
func (b *txBucket) take(now time.Time) bool {
	if b == nil {
		return true
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.last.IsZero() {
		b.tokens = math.Min(b.burst, b.tokens+now.Sub(b.last).Seconds()*b.rate)
	}
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// rateError is the answer to a tx over the rate: CodeServerBusy, which
// tells a client to retry later, with the limit in the message.
func (b *txBucket) rateError() error {
	return &jsonrpc.Error{Code: jsonrpc.CodeServerBusy,
		Message: fmt.Sprintf("tx rate limit: this node accepts %g txs per second (burst %g); retry later", b.rate, b.burst),
		Data:    map[string]any{"reason": "tx_rate_limit"}}
}
