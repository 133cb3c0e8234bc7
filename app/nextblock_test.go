package app

import (
	"testing"
	"time"
)

// TestNextBlockTime: Simulate runs at now, unless the last block is
// later (a clock behind the chain's), never before the last block.
func TestNextBlockTime(t *testing.T) {
	last := time.Date(2026, 12, 2, 4, 10, 1, 0, time.UTC)
	for _, c := range []struct {
		name string
		now  time.Time
		want time.Time
	}{
		{"an idle chain: the last block is old", last.Add(20 * time.Second), last.Add(20 * time.Second)},
		{"a clock behind the chain's", last.Add(-time.Second), last},
		{"the same instant", last, last},
	} {
		if got := nextBlockTime(last.UnixNano(), c.now); !got.Equal(c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}
