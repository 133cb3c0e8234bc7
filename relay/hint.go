package relay

import (
	"context"
	"sync"

	"github.com/vsys/vsys/modules/interchain/packet"
)

// Hints make the relayer faster, never different: each is a fact one
// chain made permanent, remembered by this process only to find work
// sooner, and a relayer that starts without them (after a crash) finds
// the same work by its scans, a step or two later.
//
//   - The receive floor: a receipt is never deleted, so once every
//     pending packet of src below a sequence is known received on dst,
//     a step reads src's oldest pending packets from there instead of
//     re-reading, under load, a window of packets received and waiting
//     for their acknowledgements.
//   - Acknowledgement hints: a receive that succeeded on dst in block H
//     wrote its acknowledgement at version H, so the other leg can prove
//     it as soon as dst's header H+1 exists, without waiting for its own
//     scan to find the packet among the pending ones (under load the
//     scan's window is full of packets not yet received).

// raiseFloor returns the receive floor after a step: past the prefix of
// oldest (src's pending packets from the floor on, as read) that is in
// the step's window and that dst has received (not in unreceived). It
// stops at the first packet not known received, such as one left to time
// out, which then holds the floor until it is no longer pending.
func raiseFloor(floor uint64, oldest, window []packet.Packet, unreceived map[uint64]bool) uint64 {
	in := make(map[uint64]bool, len(window))
	for _, p := range window {
		in[p.Sequence] = true
	}
	for _, p := range oldest {
		if !in[p.Sequence] || unreceived[p.Sequence] {
			break
		}
		floor = max(floor, p.Sequence+1)
	}
	return floor
}

// maxHints bounds a hint box; beyond it hints are dropped (the scans find
// those packets).
const maxHints = 20000

// hints holds packets received on one chain in a known block, for the
// leg that acknowledges them on their source. The two legs run
// concurrently, so it is locked.
type hints struct {
	mu    sync.Mutex
	items []hint
}

type hint struct {
	p      packet.Packet
	height int64 // the block the receive landed in: its ack is at that version
}

// add records a packet received in block height. A nil box takes nothing.
func (h *hints) add(p packet.Packet, height int64) {
	if h == nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.items) < maxHints {
		h.items = append(h.items, hint{p: p, height: height})
	}
}

// take removes and returns the hinted packets whose acknowledgements
// exist at version, at most n.
func (h *hints) take(version int64, n int) []packet.Packet {
	if h == nil {
		return nil
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []packet.Packet
	kept := h.items[:0]
	for _, it := range h.items {
		if it.height <= version && len(out) < n {
			out = append(out, it.p)
		} else {
			kept = append(kept, it)
		}
	}
	h.items = kept
	return out
}

// withHints adds to returning (dst's pending window) the hinted packets
// whose acknowledgements src has at version and that dst still holds a
// commitment for (another relayer may have acknowledged them), each once.
// Hints taken are gone: should their acknowledgements fail, the scans
// find them again.
func (l *leg) withHints(ctx context.Context, version int64, returning []packet.Packet) ([]packet.Packet, error) {
	hinted := l.toAck.take(version, maxSeqsPerQuery)
	if len(hinted) == 0 {
		return returning, nil
	}
	have := make(map[uint64]bool, len(returning))
	for _, p := range returning {
		have[p.Sequence] = true
	}
	var seqs []uint64
	for _, p := range hinted {
		if !have[p.Sequence] {
			seqs = append(seqs, p.Sequence)
		}
	}
	if len(seqs) == 0 {
		return returning, nil
	}
	var open []uint64
	if err := l.dst.Query(ctx, 0, "unacknowledged", SeqsArgs{ClientID: l.dstClient, Sequences: seqs}, &open); err != nil {
		return nil, err
	}
	still := make(map[uint64]bool, len(open))
	for _, s := range open {
		still[s] = true
	}
	for _, p := range hinted {
		if still[p.Sequence] {
			returning = append(returning, p)
			still[p.Sequence] = false // once
		}
	}
	return returning, nil
}
