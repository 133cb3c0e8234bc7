package interchain

import (
	"encoding/binary"
	"fmt"
	"time"

	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/core/state"
	"github.com/vsys/vsys/modules/interchain/lightclient"
	"github.com/vsys/vsys/modules/interchain/packet"
	"github.com/vsys/vsys/modules/interchain/transfer"
	"github.com/vsys/vsys/modules/native"
)

// The read-only methods. Every entry a relayer proves comes back with its
// full IAVL key (router.StorePrefix(Address) ‖ path), which it hands to
// vsys_proveKey at the store version one below the client height it will
// prove at (lightclient.ProofHeight).

// ClientsArgs page through the clients by creation order.
type ClientsArgs struct {
	Start uint64 // the number in the first client id to list
	Limit uint64 // 0: 100
	Now   int64
}

// ConsensusArgs name a client's consensus state at a height.
type ConsensusArgs struct {
	ClientID string
	Height   uint64
}

// ConsensusInfo is one consensus state.
type ConsensusInfo struct {
	Height             uint64 `json:"height"`
	Timestamp          int64  `json:"timestamp"` // Unix nanoseconds
	Root               []byte `json:"root"`
	NextValidatorsHash []byte `json:"next_validators_hash"`
}

// DenomArgs name a denom of this chain.
type DenomArgs struct{ Denom string }

func limit(n uint64) int {
	switch {
	case n == 0:
		return 100
	case n > 1000:
		return 1000
	}
	return int(n)
}

func info(cl client, at time.Time) ClientInfo {
	return ClientInfo{
		ClientID: cl.id, ChainID: cl.cs.ChainID, Status: lightclient.ClientStatus(cl.cs, cl.latest, at).String(),
		LatestHeight: cl.cs.LatestHeight, LatestTimestamp: cl.latest.Timestamp.UnixNano(),
		ExpiresAt: cl.latest.Timestamp.Add(cl.cs.TrustingPeriod).Unix(), FrozenHeight: cl.cs.FrozenHeight,
		ClientState: lightclient.EncodeClientState(cl.cs),
	}
}

func queryTime(ctx *router.Context, unix int64) time.Time {
	if unix != 0 {
		return time.Unix(unix, 0).UTC()
	}
	return now(ctx)
}

func entry(kv state.KV, path []byte) (Entry, error) {
	v, err := kv.Get(path)
	return Entry{Key: append(router.StorePrefix(Address), path...), Value: v, Found: v != nil}, err
}

func (m *Module) queries(c *native.Module) {
	native.Method(c, "client", "A client's state and status.", true,
		func(ctx *router.Context, a ClientArgs) (ClientInfo, error) {
			cl, err := clients{ctx.Store()}.load(a.ClientID)
			return info(cl, queryTime(ctx, a.Now)), err
		})
	native.Method(c, "clients", "The clients, in creation order.", true,
		func(ctx *router.Context, a ClientsArgs) ([]ClientInfo, error) {
			kv := ctx.Store()
			b, err := kv.Get(keyNextClient)
			if err != nil || len(b) != 8 {
				return []ClientInfo{}, err
			}
			out := []ClientInfo{}
			for n := a.Start; n < binary.BigEndian.Uint64(b) && len(out) < limit(a.Limit); n++ {
				cl, err := clients{kv}.load(clientID(n))
				if err != nil {
					return nil, err
				}
				out = append(out, info(cl, queryTime(ctx, a.Now)))
			}
			return out, nil
		})
	native.Method(c, "consensus_state", "A client's consensus state at a height.", true,
		func(ctx *router.Context, a ConsensusArgs) (ConsensusInfo, error) {
			cons, err := clients{ctx.Store()}.consensusAt(a.ClientID, a.Height)
			return ConsensusInfo{Height: a.Height, Timestamp: cons.Timestamp.UnixNano(), Root: cons.Root, NextValidatorsHash: cons.NextValidatorsHash}, err
		})
	native.Method(c, "counterparty", "The counterparty a client is registered with.", true,
		func(ctx *router.Context, a ClientArgs) (Counterparty, error) {
			return loadCounterparty(ctx.Store(), a.ClientID)
		})
	native.Method(c, "next_sequence", "The sequence the client's next sent packet gets (0: no counterparty yet).", true,
		func(ctx *router.Context, a ClientArgs) (uint64, error) { return nextSequence(ctx.Store(), a.ClientID) })
	native.Method(c, "commitment", "A sent packet's commitment, by source client and sequence.", true,
		func(ctx *router.Context, a SeqArgs) (Entry, error) {
			return entry(ctx.Store(), packet.CommitmentKey(a.ClientID, a.Sequence))
		})
	native.Method(c, "receipt", "A received packet's receipt, by destination client and sequence.", true,
		func(ctx *router.Context, a SeqArgs) (Entry, error) {
			return entry(ctx.Store(), packet.ReceiptKey(a.ClientID, a.Sequence))
		})
	native.Method(c, "acknowledgement", "A received packet's acknowledgement and its commitment, by destination client and sequence.", true,
		func(ctx *router.Context, a SeqArgs) (AckEntry, error) {
			kv := ctx.Store()
			e, err := entry(kv, packet.AckKey(a.ClientID, a.Sequence))
			if err != nil {
				return AckEntry{}, err
			}
			out := AckEntry{Entry: e, Acknowledgement: packet.Acknowledgement{AppAcks: [][]byte{}}}
			if _, err := native.GetRecord(kv, ackRecordKey(a.ClientID, a.Sequence), &out.Acknowledgement); err != nil {
				return AckEntry{}, err
			}
			return out, nil
		})
	native.Method(c, "pending", "Packets a client sent that are not yet acknowledged or timed out, by sequence.", true,
		func(ctx *router.Context, a PendingArgs) ([]packet.Packet, error) { return pending(ctx.Store(), a) })
	native.Method(c, "unreceived", "Of the given sequences, those the destination client has no receipt for (ibc-go UnreceivedPackets): what a relayer still has to deliver.", true,
		func(ctx *router.Context, a SeqsArgs) ([]uint64, error) {
			return filterSeqs(ctx.Store(), a, func(seq uint64) []byte { return packet.ReceiptKey(a.ClientID, seq) }, false)
		})
	native.Method(c, "unacknowledged", "Of the given sequences, those the source client still holds a commitment for (ibc-go UnreceivedAcks): acknowledgements or timeouts still to relay.", true,
		func(ctx *router.Context, a SeqsArgs) ([]uint64, error) {
			return filterSeqs(ctx.Store(), a, func(seq uint64) []byte { return packet.CommitmentKey(a.ClientID, seq) }, true)
		})
	native.Method(c, "denom_trace", "The full path of a voucher denom (a native denom is its own path).", true,
		func(ctx *router.Context, a DenomArgs) (string, error) {
			d, err := transfer.Trace(transfer.Store(ctx.Store()), a.Denom)
			return d.Path(), err
		})
	native.Method(c, "total_escrow", "How much of a denom the transfer app holds in escrow for other chains.", true,
		func(ctx *router.Context, a DenomArgs) (codec.U128, error) {
			return transfer.TotalEscrow(transfer.Store(ctx.Store()), a.Denom)
		})
}

// filterSeqs keeps the sequences whose key is present (want true) or
// absent.
func filterSeqs(kv state.KV, a SeqsArgs, key func(uint64) []byte, want bool) ([]uint64, error) {
	if len(a.Sequences) > 1000 {
		return nil, fmt.Errorf("%w: %d sequences, at most 1000", router.ErrBadArgs, len(a.Sequences))
	}
	out := []uint64{}
	for _, seq := range a.Sequences {
		ok, err := kv.Has(key(seq))
		if err != nil {
			return nil, err
		}
		if ok == want {
			out = append(out, seq)
		}
	}
	return out, nil
}

func pending(kv state.KV, a PendingArgs) ([]packet.Packet, error) {
	p := packetPrefix(a.ClientID)
	it, err := kv.Iterator(binary.BigEndian.AppendUint64(p, a.StartSequence), prefixEnd(p), true)
	if err != nil {
		return nil, err
	}
	defer it.Close()
	out := []packet.Packet{}
	for ; it.Valid() && len(out) < limit(a.Limit); it.Next() {
		var rec sentPacket
		if err := codec.Unmarshal(it.Value(), &rec); err != nil {
			return nil, fmt.Errorf("pending packet %x: %w", it.Key(), err)
		}
		out = append(out, rec.Packet)
	}
	return out, it.Error()
}
