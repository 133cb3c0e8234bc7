package relay

import (
	"cmp"
	"context"
	"slices"

	"github.com/vsys/vsys/modules/interchain/packet"
)

// The batch rule. A round reads at most one window of a client's pending
// packets: the newest half of a batch (by sequence: the live traffic) and
// the oldest packets to fill the rest (the backlog, first come first
// served). A backlog of any size therefore drains at half a batch per
// round at least, while a packet sent now waits at most one round: it is
// among the newest. Both ends are read with the same two queries whatever
// the backlog's length, so a round's cost does not grow with it.

// pendingWindow reads the pending packets of client id at version height:
// the newest and the oldest from sequence from on, at most batch in all,
// in sequence order. It also returns the oldest end as read, for the
// receive floor (hint.go).
func (c *Chain) pendingWindow(ctx context.Context, height int64, id string, batch int, from uint64) (window, oldest []packet.Packet, err error) {
	var next uint64
	if err := c.Query(ctx, height, "next_sequence", ClientArgs{ClientID: id}, &next); err != nil {
		return nil, nil, err
	}
	newStart := max(from, 1)
	if next > uint64(batch) {
		newStart = max(newStart, next-uint64(batch))
	}
	var newest []packet.Packet
	err = c.queryAt(ctx, height, []*query{
		{method: "pending", args: PendingArgs{ClientID: id, StartSequence: from, Limit: uint64(batch)}, out: &oldest},
		{method: "pending", args: PendingArgs{ClientID: id, StartSequence: newStart, Limit: uint64(batch)}, out: &newest},
	})
	if err != nil {
		return nil, nil, err
	}
	return selectBatch(oldest, newest, batch), oldest, nil
}

// selectBatch applies the batch rule to the oldest and the newest pending
// packets (each in sequence order): up to half of batch from the newest
// end, the rest from the oldest, then whatever is left of either side if
// the other ran short; the result is in sequence order with no sequence
// twice.
func selectBatch(oldest, newest []packet.Packet, batch int) []packet.Packet {
	live := newest[max(0, len(newest)-batch/2):]
	taken := map[uint64]bool{}
	out := make([]packet.Packet, 0, batch)
	add := func(p packet.Packet) {
		if len(out) < batch && !taken[p.Sequence] {
			taken[p.Sequence] = true
			out = append(out, p)
		}
	}
	for _, p := range live {
		add(p)
	}
	for _, p := range oldest {
		add(p)
	}
	for i := len(newest) - 1; i >= 0; i-- { // the backlog ran short: more live
		add(newest[i])
	}
	slices.SortFunc(out, func(a, b packet.Packet) int { return cmp.Compare(a.Sequence, b.Sequence) })
	return out
}
