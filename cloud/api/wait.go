package api

import (
	"context"
	"fmt"
	"time"
)

// StatusReader is what answers cloud_chainStatus: the control plane
// itself or a Client of it.
type StatusReader interface {
	ChainStatus(ctx context.Context, name string) (Chain, error)
}

// WaitFirstBlock polls name's status until its node reports height 1 or
// more, for at most limit, and returns the last status. A status error
// (an unknown chain, a refused token) ends the wait at once: a node not
// answering yet is height 0, not an error.
func WaitFirstBlock(ctx context.Context, s StatusReader, name string, limit time.Duration) (Chain, error) {
	deadline := time.Now().Add(limit)
	for {
		ch, err := s.ChainStatus(ctx, name)
		if err != nil || ch.Height >= 1 {
			return ch, err
		}
		if time.Now().After(deadline) {
			return ch, fmt.Errorf("chain %s: no block within %v (vsysd cloud logs %s)", name, limit, name)
		}
		select {
		case <-ctx.Done():
			return ch, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}
