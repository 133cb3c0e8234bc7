package interchain

import (
	"encoding/binary"
	"fmt"

	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/core/state"
	"github.com/vsys/vsys/modules/interchain/packet"
	"github.com/vsys/vsys/modules/native"
)

// CounterpartyEvent is emitted by register_counterparty.
type CounterpartyEvent struct {
	ClientID             string
	CounterpartyClientID string
}

func loadCounterparty(kv state.KV, id string) (Counterparty, error) {
	var cp Counterparty
	ok, err := native.GetRecord(kv, counterpartyKey(id), &cp)
	if err == nil && !ok {
		err = fmt.Errorf("%w: client %q", ErrCounterpartyNotFound, id)
	}
	return cp, err
}

// keyOn is the key the counterparty's state holds path under.
func keyOn(cp Counterparty, path []byte) []byte { return packet.FullKey(cp.MerklePrefix[0], path) }

// registerCounterparty is creator-only and once, as in ibc-go.
func (m *Module) registerCounterparty(ctx *router.Context, a RegisterArgs) (native.Empty, error) {
	kv := ctx.Store()
	if _, err := (clients{kv}).load(a.ClientID); err != nil {
		return native.Empty{}, err
	}
	if who, err := creator(kv, a.ClientID); err != nil {
		return native.Empty{}, err
	} else if who != ctx.Caller {
		return native.Empty{}, fmt.Errorf("%w: only %s, the creator of %s, registers its counterparty", ErrUnauthorized, who, a.ClientID)
	}
	if ok, err := kv.Has(counterpartyKey(a.ClientID)); err != nil {
		return native.Empty{}, err
	} else if ok {
		return native.Empty{}, fmt.Errorf("%w: client %s already has a counterparty", ErrCounterparty, a.ClientID)
	}
	if err := packet.ValidateClientID(a.CounterpartyClientID); err != nil {
		return native.Empty{}, fmt.Errorf("%w: %w", ErrCounterparty, err)
	}
	// ibc-go chains prove under a two-element prefix (the multistore, then
	// the ibc store); verifying those needs a second proof step this
	// module does not have yet, so only a vsys chain's one-tree prefix is
	// taken.
	if len(a.CounterpartyMerklePrefix) != 1 || len(a.CounterpartyMerklePrefix[0]) == 0 || len(a.CounterpartyMerklePrefix[0]) > 128 {
		return native.Empty{}, fmt.Errorf("%w: merkle prefix of %d elements; want one, the counterparty's interchain store prefix (1 to 128 bytes)",
			ErrCounterparty, len(a.CounterpartyMerklePrefix))
	}
	cp := Counterparty{ClientID: a.CounterpartyClientID, MerklePrefix: a.CounterpartyMerklePrefix}
	if err := native.PutRecord(kv, counterpartyKey(a.ClientID), cp); err != nil {
		return native.Empty{}, err
	}
	// Sequences start at 1 on registration, as in ibc-go: a client with
	// no counterparty has no next sequence, and sends nothing.
	if err := kv.Set(packet.NextSequenceSendKey(a.ClientID), binary.BigEndian.AppendUint64(nil, 1)); err != nil {
		return native.Empty{}, err
	}
	return native.Empty{}, native.Emit(ctx, "register_counterparty", CounterpartyEvent{ClientID: a.ClientID, CounterpartyClientID: a.CounterpartyClientID})
}
