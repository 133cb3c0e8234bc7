package app

import (
	"fmt"

	abci "github.com/cometbft/cometbft/abci/types"

	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/core/state"
	"github.com/vsys/vsys/core/tx"
)

// EventFields renders an event's data as (field, value) pairs in the
// order its ABI declares them: strings bare, everything else as JSON.
func EventFields(r *router.Router, kv state.KV, e router.Event) ([][2]string, error) {
	c, err := r.Resolve(kv, e.Contract)
	if err != nil {
		return nil, err
	}
	et, ok := c.ABI().Event(e.Name)
	if !ok {
		return nil, fmt.Errorf("event %q is not in %s's ABI", e.Name, c.ABI().Name)
	}
	fields, err := codec.StructFields(et.Type, e.Data)
	if err != nil {
		return nil, fmt.Errorf("event %s: %w", e.Name, err)
	}
	return fields, nil
}

// abciEvents turns a tx's events into CometBFT events. The tx's sender and
// each event's contract are indexed, so dApps can search by them.
func abciEvents(r *router.Router, kv state.KV, t *tx.Tx, evs []router.Event) []abci.Event {
	out := make([]abci.Event, 0, 1+len(evs))
	out = append(out, abci.Event{Type: "tx", Attributes: []abci.EventAttribute{
		{Key: "sender", Value: t.Sender().String(), Index: true},
	}})
	for _, e := range evs {
		attrs := []abci.EventAttribute{{Key: "contract", Value: e.Contract.String(), Index: true}}
		fields, err := EventFields(r, kv, e)
		if err != nil { // an event the ABI cannot render is still recorded, raw
			attrs = append(attrs, abci.EventAttribute{Key: "data", Value: fmt.Sprintf("0x%x", e.Data)})
		}
		for _, f := range fields {
			attrs = append(attrs, abci.EventAttribute{Key: f[0], Value: f[1]})
		}
		out = append(out, abci.Event{Type: e.Name, Attributes: attrs})
	}
	return out
}
