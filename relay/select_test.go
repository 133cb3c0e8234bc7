package relay

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/modules/interchain/packet"
)

func seqs(from, to uint64) []packet.Packet {
	var out []packet.Packet
	for s := from; s <= to; s++ {
		out = append(out, packet.Packet{Sequence: s})
	}
	return out
}

func sequences(ps []packet.Packet) []uint64 {
	out := make([]uint64, len(ps))
	for i, p := range ps {
		out[i] = p.Sequence
	}
	return out
}

// TestSelectBatch: the batch rule takes the newest half and fills from
// the oldest, so neither a backlog nor live traffic starves the other.
func TestSelectBatch(t *testing.T) {
	// A backlog of 1..1000 and live packets up to 1010: a batch of 10
	// takes the 5 newest and the 5 oldest.
	got := selectBatch(seqs(1, 10), seqs(1001, 1010), 10)
	require.Equal(t, []uint64{1, 2, 3, 4, 5, 1006, 1007, 1008, 1009, 1010}, sequences(got))

	// Fewer pending than a batch: all of them, once each (the two windows
	// overlap).
	got = selectBatch(seqs(1, 6), seqs(1, 6), 10)
	require.Equal(t, []uint64{1, 2, 3, 4, 5, 6}, sequences(got))

	// No backlog beyond the live window: the live packets fill the batch.
	got = selectBatch(seqs(95, 96), seqs(95, 110), 8)
	require.Equal(t, []uint64{95, 96, 105, 106, 107, 108, 109, 110}, sequences(got))
	got = selectBatch(nil, seqs(95, 110), 8)
	require.Equal(t, []uint64{103, 104, 105, 106, 107, 108, 109, 110}, sequences(got))

	require.Empty(t, selectBatch(nil, nil, 10))
}
