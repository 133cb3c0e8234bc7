package relay

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/modules/interchain/packet"
)

// TestRaiseFloor: the floor passes the oldest packets known received and
// stops at the first that is not (or is outside the step's window).
func TestRaiseFloor(t *testing.T) {
	pk := func(n ...uint64) []packet.Packet {
		out := make([]packet.Packet, len(n))
		for i, s := range n {
			out[i] = packet.Packet{Sequence: s}
		}
		return out
	}
	oldest := pk(3, 4, 6, 7, 9)
	// All of the window received: past the last of oldest in the window.
	require.Equal(t, uint64(8), raiseFloor(1, oldest, pk(3, 4, 6, 7, 20), nil))
	// 6 not received (left to time out, say): it holds the floor.
	require.Equal(t, uint64(5), raiseFloor(1, oldest, pk(3, 4, 6, 7, 9), map[uint64]bool{6: true}))
	// The first is unreceived: the floor stays.
	require.Equal(t, uint64(2), raiseFloor(2, oldest, pk(3, 4), map[uint64]bool{3: true}))
	// Never lowered.
	require.Equal(t, uint64(50), raiseFloor(50, oldest, oldest, nil))
	require.Equal(t, uint64(5), raiseFloor(5, nil, nil, nil))
}

// TestHintsTake: a hint is taken once its acknowledgement's version is
// reached, at most n at a time, and a nil box is a no-op.
func TestHintsTake(t *testing.T) {
	h := &hints{}
	h.add(packet.Packet{Sequence: 1}, 10)
	h.add(packet.Packet{Sequence: 2}, 11)
	h.add(packet.Packet{Sequence: 3}, 10)
	require.Empty(t, h.take(9, 10))
	got := h.take(10, 1)
	require.Equal(t, []packet.Packet{{Sequence: 1}}, got)
	got = h.take(11, 10)
	require.Equal(t, []packet.Packet{{Sequence: 2}, {Sequence: 3}}, got)
	require.Empty(t, h.take(100, 10))
	var none *hints
	none.add(packet.Packet{Sequence: 1}, 1)
	require.Nil(t, none.take(1, 1))
}
