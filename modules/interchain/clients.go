package interchain

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/cometbft/cometbft/types"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/core/state"
	"github.com/vsys/vsys/modules/interchain/lightclient"
	"github.com/vsys/vsys/modules/native"
)

// clients reads and writes the light clients in the module's store.
type clients struct{ kv state.KV }

// client is one stored client with its consensus state at its latest
// height (what its status depends on).
type client struct {
	id     string
	cs     lightclient.ClientState
	latest lightclient.ConsensusState
}

func (c clients) nextID() (string, error) {
	b, err := c.kv.Get(keyNextClient)
	if err != nil {
		return "", err
	}
	var n uint64
	if len(b) == 8 {
		n = binary.BigEndian.Uint64(b)
	}
	if err := c.kv.Set(keyNextClient, binary.BigEndian.AppendUint64(nil, n+1)); err != nil {
		return "", err
	}
	return clientID(n), nil
}

func (c clients) load(id string) (client, error) {
	b, err := c.kv.Get(clientStateKey(id))
	if err != nil {
		return client{}, err
	}
	if b == nil {
		return client{}, fmt.Errorf("%w: %q", ErrClientNotFound, id)
	}
	cs, err := lightclient.DecodeClientState(b)
	if err != nil {
		return client{}, fmt.Errorf("client %s: %w", id, err)
	}
	latest, ok, err := c.consensus(id, cs.LatestHeight)
	if err == nil && !ok {
		err = fmt.Errorf("client %s: %w: its latest height %d", id, ErrConsensusNotFound, cs.LatestHeight)
	}
	return client{id: id, cs: cs, latest: latest}, err
}

func (c clients) putState(id string, cs lightclient.ClientState) error {
	return c.kv.Set(clientStateKey(id), lightclient.EncodeClientState(cs))
}

func (c clients) consensus(id string, h uint64) (lightclient.ConsensusState, bool, error) {
	b, err := c.kv.Get(consensusKey(id, h))
	if err != nil || b == nil {
		return lightclient.ConsensusState{}, false, err
	}
	cons, err := lightclient.DecodeConsensusState(b)
	return cons, err == nil, err
}

// consensusAt is the consensus state a proof at height h verifies against.
func (c clients) consensusAt(id string, h uint64) (lightclient.ConsensusState, error) {
	cons, ok, err := c.consensus(id, h)
	if err == nil && !ok {
		err = fmt.Errorf("%w: client %s, height %d (update the client to it first)", ErrConsensusNotFound, id, h)
	}
	return cons, err
}

func (c clients) putConsensus(id string, h uint64, cons lightclient.ConsensusState) error {
	return c.kv.Set(consensusKey(id, h), lightclient.EncodeConsensusState(cons))
}

// neighbour returns the consensus state nearest to height h strictly
// below it (below) or strictly above it.
func (c clients) neighbour(id string, h uint64, below bool) (*lightclient.ConsensusState, error) {
	p := consensusPrefix(id)
	start, end := consensusKey(id, h+1), prefixEnd(p)
	if below {
		start, end = p, consensusKey(id, h)
	}
	it, err := c.kv.Iterator(start, end, !below)
	if err != nil {
		return nil, err
	}
	defer it.Close()
	if !it.Valid() {
		return nil, it.Error()
	}
	cons, err := lightclient.DecodeConsensusState(it.Value())
	if err != nil {
		return nil, err
	}
	return &cons, nil
}

// prefixEnd is the first key after every key that starts with p (p never
// ends in 0xFF here: it ends in '/').
func prefixEnd(p []byte) []byte {
	end := bytes.Clone(p)
	end[len(end)-1]++
	return end
}

// MisbehaviourArgs are submit_misbehaviour's (lightclient.EncodeMisbehaviour).
type MisbehaviourArgs struct {
	ClientID     string
	Misbehaviour []byte
}

// ClientEvent is emitted by create_client, update_client,
// submit_misbehaviour and recover_client.
type ClientEvent struct {
	ClientID string
	Height   uint64
	Status   string
}

func now(ctx *router.Context) time.Time { return ctx.Env.Block.Time }

func (m *Module) createClient(ctx *router.Context, a CreateClientArgs) (string, error) {
	cs, err := lightclient.DecodeClientState(a.ClientState)
	if err != nil {
		return "", err
	}
	cons, err := lightclient.DecodeConsensusState(a.ConsensusState)
	if err != nil {
		return "", err
	}
	if err := lightclient.ValidateNew(cs, cons, now(ctx)); err != nil {
		return "", err
	}
	c := clients{ctx.Store()}
	id, err := c.nextID()
	if err != nil {
		return "", err
	}
	if err := c.putState(id, cs); err != nil {
		return "", err
	}
	if err := c.putConsensus(id, cs.LatestHeight, cons); err != nil {
		return "", err
	}
	if err := ctx.Store().Set(creatorKey(id), ctx.Caller[:]); err != nil {
		return "", err
	}
	return id, native.Emit(ctx, "create_client", ClientEvent{ClientID: id, Height: cs.LatestHeight, Status: lightclient.Active.String()})
}

// updateClient verifies a header and stores its consensus state; a
// header that contradicts what the client stores freezes it instead (the
// update succeeds: the evidence is the header itself), as ibc-go does.
func (m *Module) updateClient(ctx *router.Context, a UpdateClientArgs) (UpdateResult, error) {
	c := clients{ctx.Store()}
	cl, err := c.load(a.ClientID)
	if err != nil {
		return UpdateResult{}, err
	}
	h, err := lightclient.DecodeHeader(a.Header)
	if err != nil {
		return UpdateResult{}, err
	}
	if err := chargeSignatures(ctx, h); err != nil {
		return UpdateResult{}, err
	}
	trusted, err := c.consensusAt(cl.id, h.TrustedHeight)
	if err != nil {
		return UpdateResult{}, fmt.Errorf("trusted height: %w", err)
	}
	cs, cons, err := lightclient.Update(cl.cs, cl.latest, trusted, h, now(ctx))
	if err != nil {
		return UpdateResult{}, err
	}
	var n lightclient.Neighbours
	if existing, ok, err := c.consensus(cl.id, h.Height()); err != nil {
		return UpdateResult{}, err
	} else if ok {
		n.Existing = &existing
	}
	if n.Prev, err = c.neighbour(cl.id, h.Height(), true); err != nil {
		return UpdateResult{}, err
	}
	if n.Next, err = c.neighbour(cl.id, h.Height(), false); err != nil {
		return UpdateResult{}, err
	}
	dup, err := lightclient.CheckForMisbehaviour(h, n)
	switch {
	case err != nil && !errors.Is(err, lightclient.ErrMisbehaviour):
		return UpdateResult{}, err
	case err != nil:
		cs = lightclient.Freeze(cl.cs)
		if err := c.putState(cl.id, cs); err != nil {
			return UpdateResult{}, err
		}
		return m.clientEvent(ctx, "client_misbehaviour", cl.id, cs.LatestHeight, lightclient.Frozen)
	case dup:
		return UpdateResult{Height: cl.cs.LatestHeight, Status: lightclient.Active.String()}, nil
	}
	if err := c.putState(cl.id, cs); err != nil {
		return UpdateResult{}, err
	}
	if err := c.putConsensus(cl.id, h.Height(), cons); err != nil {
		return UpdateResult{}, err
	}
	return m.clientEvent(ctx, "update_client", cl.id, h.Height(), lightclient.Active)
}

func (m *Module) clientEvent(ctx *router.Context, name, id string, h uint64, st lightclient.Status) (UpdateResult, error) {
	return UpdateResult{Height: h, Status: st.String()}, native.Emit(ctx, name, ClientEvent{ClientID: id, Height: h, Status: st.String()})
}

// submitMisbehaviour freezes a client on two conflicting headers, each
// verified against a consensus state the client trusts.
func (m *Module) submitMisbehaviour(ctx *router.Context, a MisbehaviourArgs) (UpdateResult, error) {
	c := clients{ctx.Store()}
	cl, err := c.load(a.ClientID)
	if err != nil {
		return UpdateResult{}, err
	}
	mb, err := lightclient.DecodeMisbehaviour(a.Misbehaviour)
	if err != nil {
		return UpdateResult{}, err
	}
	if err := chargeSignatures(ctx, mb.Header1, mb.Header2); err != nil {
		return UpdateResult{}, err
	}
	t1, err := c.consensusAt(cl.id, mb.Header1.TrustedHeight)
	if err != nil {
		return UpdateResult{}, fmt.Errorf("header 1 trusted height: %w", err)
	}
	t2, err := c.consensusAt(cl.id, mb.Header2.TrustedHeight)
	if err != nil {
		return UpdateResult{}, fmt.Errorf("header 2 trusted height: %w", err)
	}
	cs, err := lightclient.CheckMisbehaviour(cl.cs, cl.latest, t1, t2, mb, now(ctx))
	if err != nil {
		return UpdateResult{}, err
	}
	if err := c.putState(cl.id, cs); err != nil {
		return UpdateResult{}, err
	}
	return m.clientEvent(ctx, "client_misbehaviour", cl.id, cs.LatestHeight, lightclient.Frozen)
}

// chargeSignatures charges sig_verify for every signature light.Verify
// may check, before it runs: each present commit signature, twice when
// the update skips heights (once against the trusted set's trust level,
// once against the header's own set). The header's bytes are paid as tx
// bytes; the signatures are the work they ask for.
func chargeSignatures(ctx *router.Context, hs ...*lightclient.Header) error {
	var n uint64
	for _, h := range hs {
		if h == nil || h.SignedHeader == nil || h.SignedHeader.Commit == nil {
			continue // malformed: Update refuses it without verifying
		}
		var present uint64
		for _, s := range h.SignedHeader.Commit.Signatures {
			if s.BlockIDFlag != types.BlockIDFlagAbsent {
				present++
			}
		}
		if h.Height() != h.TrustedHeight+1 {
			present *= 2
		}
		n += present
	}
	return ctx.Env.Gas.Consume(n*ctx.Costs().SigVerify, "interchain header signatures")
}

// creator is who created client id.
func creator(kv state.KV, id string) (address.Address, error) {
	b, err := kv.Get(creatorKey(id))
	if err != nil {
		return address.Address{}, err
	}
	return address.FromBytes(b)
}
