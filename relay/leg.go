package relay

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/vsys/vsys/core/tx"
	"github.com/vsys/vsys/modules/interchain/lightclient"
	"github.com/vsys/vsys/modules/interchain/packet"
)

// leg is one direction of delivery: it writes to dst what src's state
// proves, each round from one snapshot of src (a signed header at h and
// the state at version h-1): recv_packet for src's packets, acknowledge
// and timeout for dst's own.
type leg struct {
	src, dst  *Chain
	srcClient string // on src, tracking dst: the source client of src's packets
	dstClient string // on dst, tracking src
	prefix    []byte // src's merkle prefix, from dst's counterparty record
	dir       string // "a->b": src to dst, for logs and metrics
	// estimateAll: a tx sent without its own estimate ran out of gas;
	// estimate every tx until a step goes through clean (submit.go).
	estimateAll bool
	// recvFloor: every pending packet of src below it is known received
	// on dst (hint.go); 0 after a start.
	recvFloor uint64
	// toAck holds packets the other leg received on this leg's src, for
	// this leg to acknowledge (hint.go); feed is the other leg's toAck,
	// filled by this leg's receives. Either may be nil.
	toAck, feed *hints
}

// ackItem is an acknowledgement to prove back to the packet's source.
type ackItem struct {
	p   packet.Packet
	ack packet.Acknowledgement
}

// plan is a leg's work for one round.
type plan struct {
	snap     Snapshot
	client   ClientInfo // dst's client of src, before the round
	dstNow   time.Time
	recvs    []packet.Packet
	acks     []ackItem
	timeouts []packet.Packet
	refresh  bool // update the client even without packets: its expiry is near
}

func (p *plan) empty() bool { return len(p.recvs)+len(p.acks)+len(p.timeouts) == 0 }

// checkClient fails with a *ClientError when dst's client of src is not
// active: nothing can be proven to dst until its operators recover it.
func (l *leg) checkClient(ci ClientInfo) error {
	switch ci.Status {
	case statusActive:
		return nil
	case statusExpired:
		return &ClientError{Chain: l.dst.Name, ClientID: l.dstClient, Status: ci.Status, err: ErrClientExpired}
	case statusFrozen:
		return &ClientError{Chain: l.dst.Name, ClientID: l.dstClient, Status: ci.Status, err: ErrClientFrozen}
	}
	return &ClientError{Chain: l.dst.Name, ClientID: l.dstClient, Status: ci.Status, err: ErrClientStatus}
}

// plan reads both chains and derives the round's work: nothing here is
// remembered from an earlier round.
func (l *leg) plan(ctx context.Context, cfg *Config) (*plan, error) {
	st, err := l.dst.vsys.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("%s: status: %w", l.dst.Name, err)
	}
	ci, err := l.dst.clientAt(ctx, l.dstClient, st.LatestBlockTime)
	if err != nil {
		return nil, err
	}
	if err := l.checkClient(ci); err != nil {
		return nil, err
	}
	if l.prefix == nil {
		var cp Counterparty
		if err := l.dst.Query(ctx, 0, "counterparty", ClientArgs{ClientID: l.dstClient}, &cp); err != nil {
			return nil, err
		}
		if cp.ClientID != l.srcClient || len(cp.MerklePrefix) != 1 {
			return nil, fmt.Errorf("%w: %s's client %s is registered with %s (prefix of %d elements), not %s",
				ErrNotConnected, l.dst.Name, l.dstClient, cp.ClientID, len(cp.MerklePrefix), l.srcClient)
		}
		l.prefix = cp.MerklePrefix[0]
	}
	snap, err := l.src.snapshotFor(ctx, ci.LatestHeight)
	if err != nil {
		return nil, err
	}
	p := &plan{snap: snap, client: ci, dstNow: st.LatestBlockTime}
	if err := l.findWork(ctx, cfg, p); err != nil {
		return nil, err
	}
	tp, err := trustingPeriod(ci)
	if err != nil {
		return nil, err
	}
	// Judge the horizon by dst's block time, not this machine's clock:
	// the client expires by the chain's time.
	p.refresh = snap.update != nil && time.Unix(ci.ExpiresAt, 0).Sub(p.dstNow) < tp/3
	return p, nil
}

// trustingPeriod reads a client's trusting period from its encoded state.
func trustingPeriod(ci ClientInfo) (time.Duration, error) {
	cs, err := lightclient.DecodeClientState(ci.ClientState)
	if err != nil {
		return 0, fmt.Errorf("client %s: %w", ci.ClientID, err)
	}
	return cs.TrustingPeriod, nil
}

// findWork fills p's recvs (src's packets dst has no receipt for, not
// about to time out), acks (dst's packets src acknowledged at the
// snapshot) and timeouts (dst's packets src never received, whose
// timeout the snapshot's time has reached).
func (l *leg) findWork(ctx context.Context, cfg *Config, p *plan) error {
	// The two halves read different things (src's packets and dst's
	// receipts; dst's packets and src's acks): read them at once.
	var recvErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		recvErr = l.findRecvs(ctx, cfg, p)
	}()
	ackErr := l.findReturns(ctx, cfg, p)
	<-done
	return errors.Join(recvErr, ackErr)
}

// findRecvs fills p.recvs.
func (l *leg) findRecvs(ctx context.Context, cfg *Config, p *plan) error {
	outgoing, oldest, err := l.src.pendingWindow(ctx, p.snap.Version(), l.srcClient, cfg.Batch, l.recvFloor)
	if err != nil {
		return err
	}
	// One query for the lot: which of them dst has no receipt for (a
	// packet received before, by any relayer, costs no gas as a NOOP).
	seqs := make([]uint64, len(outgoing))
	for i, pk := range outgoing {
		seqs[i] = pk.Sequence
	}
	todo, err := l.dst.unreceived(ctx, 0, l.dstClient, seqs)
	if err != nil {
		return err
	}
	l.recvFloor = raiseFloor(l.recvFloor, oldest, outgoing, todo)
	deadline := uint64(p.dstNow.Add(cfg.RecvMargin).Unix())
	for _, pk := range outgoing {
		if todo[pk.Sequence] && pk.TimeoutTimestamp > deadline {
			p.recvs = append(p.recvs, pk)
		}
	}
	return nil
}

// findReturns fills p.acks and p.timeouts.
func (l *leg) findReturns(ctx context.Context, cfg *Config, p *plan) error {
	version := p.snap.Version()
	returning, _, err := l.dst.pendingWindow(ctx, 0, l.dstClient, cfg.Batch, 0)
	if err != nil {
		return err
	}
	if returning, err = l.withHints(ctx, version, returning); err != nil {
		return err
	}
	// One query says which src has not received at the snapshot (under
	// load, the newest half of the window): those have no ack to read.
	seqs := make([]uint64, len(returning))
	for i, pk := range returning {
		seqs[i] = pk.Sequence
	}
	notThere, err := l.src.unreceived(ctx, version, l.srcClient, seqs)
	if err != nil {
		return err
	}
	srcTime := uint64(p.snap.Time().Unix())
	var received []packet.Packet
	for _, pk := range returning {
		switch {
		case !notThere[pk.Sequence]:
			received = append(received, pk)
		case srcTime >= pk.TimeoutTimestamp:
			// No receipt at the snapshot, whose time is past the timeout:
			// src can never receive it now.
			p.timeouts = append(p.timeouts, pk)
		}
	}
	acks := make([]AckEntry, len(received))
	qs := make([]*query, len(received))
	for i, pk := range received {
		qs[i] = &query{method: "acknowledgement", args: SeqArgs{ClientID: l.srcClient, Sequence: pk.Sequence}, out: &acks[i]}
	}
	if err := l.src.queryAt(ctx, version, qs); err != nil {
		return err
	}
	for i, pk := range received {
		if acks[i].Entry.Found { // a receive writes both, so always
			p.acks = append(p.acks, ackItem{p: pk, ack: acks[i].Acknowledgement})
		}
	}
	return nil
}

// unreceived is which of seqs the chain's client id has no receipt for
// at store version height (0: the latest), one query per 1000.
func (c *Chain) unreceived(ctx context.Context, height int64, id string, seqs []uint64) (map[uint64]bool, error) {
	out := make(map[uint64]bool)
	for start := 0; start < len(seqs); start += maxSeqsPerQuery {
		var part []uint64
		args := SeqsArgs{ClientID: id, Sequences: seqs[start:min(start+maxSeqsPerQuery, len(seqs))]}
		if err := c.Query(ctx, height, "unreceived", args, &part); err != nil {
			return nil, err
		}
		for _, s := range part {
			out[s] = true
		}
	}
	return out, nil
}

// maxSeqsPerQuery is the module's bound on one unreceived query.
const maxSeqsPerQuery = 1000

// item is one packet call of a leg's tx.
type item struct {
	kind string // recv, ack, timeout
	seq  uint64
	call tx.Call
	recv *packet.Packet // the packet of a recv, for the other leg's hints
}

// calls turns a plan into its update (nil: none needed) and packet
// calls, with proofs from src at the snapshot's version.
func (l *leg) calls(ctx context.Context, p *plan) (*tx.Call, []item, error) {
	version := p.snap.Version()
	keys := make([][]byte, 0, len(p.recvs)+len(p.acks)+len(p.timeouts))
	for _, pk := range p.recvs {
		keys = append(keys, packet.FullKey(l.prefix, packet.CommitmentKey(pk.SourceClient, pk.Sequence)))
	}
	for _, a := range p.acks {
		keys = append(keys, packet.FullKey(l.prefix, packet.AckKey(a.p.DestClient, a.p.Sequence)))
	}
	for _, pk := range p.timeouts {
		keys = append(keys, packet.FullKey(l.prefix, packet.ReceiptKey(pk.DestClient, pk.Sequence)))
	}
	proofs, err := l.src.proofs(ctx, version, keys)
	if err != nil {
		return nil, nil, err
	}
	ph := lightclient.ProofHeight(uint64(version))
	items := make([]item, 0, len(keys))
	add := func(kind string, seq uint64, method string, args any) error {
		c, err := call(method, args)
		items = append(items, item{kind: kind, seq: seq, call: c})
		return err
	}
	i := 0
	for _, pk := range p.recvs {
		if err := add(kindRecv, pk.Sequence, "recv_packet", RecvPacketArgs{Packet: pk, ProofCommitment: proofs[i].Proof, ProofHeight: ph}); err != nil {
			return nil, nil, err
		}
		items[len(items)-1].recv = &p.recvs[i]
		i++
	}
	for _, a := range p.acks {
		if err := add(kindAck, a.p.Sequence, "acknowledge", AckArgs{Packet: a.p, Acknowledgement: a.ack, ProofAcked: proofs[i].Proof, ProofHeight: ph}); err != nil {
			return nil, nil, err
		}
		i++
	}
	for _, pk := range p.timeouts {
		if len(proofs[i].Value) != 0 {
			return nil, nil, fmt.Errorf("%s: receipt of %s/%d exists at version %d though no ack does", l.src.Name, pk.DestClient, pk.Sequence, version)
		}
		if err := add(kindTimeout, pk.Sequence, "timeout", TimeoutArgs{Packet: pk, ProofUnreceived: proofs[i].Proof, ProofHeight: ph}); err != nil {
			return nil, nil, err
		}
		i++
	}
	if p.snap.update == nil {
		return nil, items, nil
	}
	header, err := lightclient.EncodeHeader(p.snap.update)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: header %d: %w", l.src.Name, p.snap.Height(), err)
	}
	up, err := call("update_client", UpdateClientArgs{ClientID: l.dstClient, Header: header})
	return &up, items, err
}

// The kinds of packet calls, as the metrics label them.
const (
	kindRecv    = "recv"
	kindAck     = "ack"
	kindTimeout = "timeout"
)
