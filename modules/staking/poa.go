package staking

import (
	"fmt"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/core/state"
	"github.com/vsys/vsys/modules/native"
)

// Proposal actions.
const (
	ActionAdd    = "add"    // add a validator, or set a member's power
	ActionRemove = "remove" // remove a member
)

// ProposeArgs are the arguments of propose. Power is ignored by remove.
type ProposeArgs struct {
	Action string
	PubKey []byte `vsys:"pubkey"`
	Power  int64
}

// IDArgs name a proposal or a lease.
type IDArgs struct{ ID uint64 }

// Proposal is an open poa proposal, with its tally against the current set.
type Proposal struct {
	ID         uint64            `json:"id"`
	Proposer   address.Address   `json:"proposer"`
	Action     string            `json:"action"`
	PubKey     []byte            `json:"pubkey" vsys:"pubkey"`
	Power      int64             `json:"power"`
	Height     int64             `json:"height"` // block it was made in
	Voters     []address.Address `json:"voters"`
	Passed     bool              `json:"passed"` // applied at the end of the block
	VotedPower int64             `json:"voted_power"`
	TotalPower int64             `json:"total_power"`
}

// proposal is what is stored of a Proposal.
type proposal struct {
	ID       uint64
	Proposer address.Address
	Action   string
	PubKey   []byte
	Power    int64
	Height   int64
	Voters   []address.Address
	Passed   bool
}

// ProposedEvent is emitted by propose.
type ProposedEvent struct {
	ID       uint64
	Proposer address.Address
	Action   string
	PubKey   []byte `vsys:"pubkey"`
	Power    int64
}

// VotedEvent is emitted by propose (the proposer's vote) and vote.
type VotedEvent struct {
	ID     uint64
	Voter  address.Address
	Passed bool
}

func (m *Module) poaMethods(c *native.Module) {
	native.EventType[ProposedEvent](c, "proposed")
	native.EventType[VotedEvent](c, "voted")
	native.Method(c, "propose", "Propose to add a validator (or set a member's power) or remove one; a member's proposal counts as its vote. Returns the proposal id.", false,
		func(ctx *router.Context, a ProposeArgs) (uint64, error) {
			if err := noFunds(ctx); err != nil {
				return 0, err
			}
			kv := ctx.Store()
			set, err := member(kv, ctx.Caller)
			if err != nil {
				return 0, err
			}
			p := proposal{Proposer: ctx.Caller, Action: a.Action, PubKey: a.PubKey, Power: a.Power, Height: ctx.Env.Block.Height}
			if p.Action == ActionRemove {
				p.Power = 0
			}
			if err := applyProposal(copySet(set), p); err != nil {
				return 0, err
			}
			if p.ID, err = nextID(kv, keyNextProposal); err != nil {
				return 0, err
			}
			if err := native.Emit(ctx, "proposed", ProposedEvent{ID: p.ID, Proposer: p.Proposer, Action: p.Action, PubKey: p.PubKey, Power: p.Power}); err != nil {
				return 0, err
			}
			return p.ID, castVote(ctx, kv, set, p)
		})
	native.Method(c, "vote", "Vote for an open proposal (members only, once; a late vote on a proposal that passed in this block is recorded).", false,
		func(ctx *router.Context, a IDArgs) (native.Empty, error) {
			if err := noFunds(ctx); err != nil {
				return native.Empty{}, err
			}
			kv := ctx.Store()
			set, err := member(kv, ctx.Caller)
			if err != nil {
				return native.Empty{}, err
			}
			var p proposal
			if ok, err := getRec(kv, idKey(pProposal, a.ID), &p); err != nil {
				return native.Empty{}, err
			} else if !ok {
				return native.Empty{}, fmt.Errorf("%w %d", ErrUnknownProposal, a.ID)
			}
			for _, v := range p.Voters {
				if v == ctx.Caller {
					return native.Empty{}, fmt.Errorf("%w: %s on %d", ErrAlreadyVoted, ctx.Caller, a.ID)
				}
			}
			return native.Empty{}, castVote(ctx, kv, set, p)
		})
	native.Method(c, "proposals", "Open proposals, by id, with their tallies.", true,
		func(ctx *router.Context, _ native.Empty) ([]Proposal, error) {
			kv := ctx.Store()
			set, err := loadSet(kv)
			if err != nil {
				return nil, err
			}
			_, values, err := scan(kv, []byte{pProposal})
			if err != nil {
				return nil, err
			}
			out := make([]Proposal, 0, len(values))
			for _, b := range values {
				var p proposal
				if err := decode(b, &p); err != nil {
					return nil, err
				}
				voted, total := tally(set, p)
				out = append(out, Proposal{ID: p.ID, Proposer: p.Proposer, Action: p.Action, PubKey: p.PubKey, Power: p.Power,
					Height: p.Height, Voters: p.Voters, Passed: p.Passed, VotedPower: voted, TotalPower: total})
			}
			return out, nil
		})
}

// member returns the set if a is in it.
func member(kv state.KV, a address.Address) (map[address.Address]Validator, error) {
	set, err := loadSet(kv)
	if err != nil {
		return nil, err
	}
	if _, ok := set[a]; !ok {
		return nil, fmt.Errorf("%w: %s", ErrNotMember, a)
	}
	return set, nil
}

// castVote adds the caller's vote to p, marks it passed (and queues it for
// EndBlock) if its voters now hold more than 2/3 of the power, and saves it.
func castVote(ctx *router.Context, kv state.KV, set map[address.Address]Validator, p proposal) error {
	p.Voters = append(p.Voters, ctx.Caller)
	if !p.Passed && passes(set, p) {
		p.Passed = true
		if err := kv.Set(idKey(pPassed, p.ID), []byte{}); err != nil {
			return err
		}
	}
	if err := putRec(kv, idKey(pProposal, p.ID), p); err != nil {
		return err
	}
	return native.Emit(ctx, "voted", VotedEvent{ID: p.ID, Voter: ctx.Caller, Passed: p.Passed})
}

// tally returns the power of p's voters that are still members, and the
// set's total power.
func tally(set map[address.Address]Validator, p proposal) (voted, total int64) {
	for _, v := range set {
		total += v.Power
	}
	for _, a := range p.Voters {
		voted += set[a].Power
	}
	return voted, total
}

// passes reports voted > 2/3 of total. Powers stay below 2^50, so the
// products cannot overflow.
func passes(set map[address.Address]Validator, p proposal) bool {
	voted, total := tally(set, p)
	return total > 0 && 3*voted > 2*total
}

// applyProposal checks p against set and, if it applies, applies it to
// set; on error set is unchanged.
func applyProposal(set map[address.Address]Validator, p proposal) error {
	if len(p.PubKey) != PubKeyLen {
		return fmt.Errorf("%w: pubkey of %d bytes, want %d", ErrInvalid, len(p.PubKey), PubKeyLen)
	}
	a := address.FromPubKey(p.PubKey)
	old, isMember := set[a]
	switch p.Action {
	case ActionAdd:
		if p.Power <= 0 || p.Power > MaxTotalPower {
			return fmt.Errorf("%w: power %d, want 1..%d", ErrInvalid, p.Power, MaxTotalPower)
		}
		var total int64
		for _, v := range set {
			total += v.Power
		}
		if total-old.Power+p.Power > MaxTotalPower {
			return fmt.Errorf("%w: %d, at most %d", ErrTotalPower, total-old.Power+p.Power, MaxTotalPower)
		}
		set[a] = Validator{Address: a, PubKey: append([]byte(nil), p.PubKey...), Power: p.Power}
		return nil
	case ActionRemove:
		if !isMember {
			return fmt.Errorf("%w: %s", ErrNotMember, a)
		}
		if len(set) == 1 {
			return ErrLastValidator
		}
		delete(set, a)
		return nil
	}
	return fmt.Errorf("%w: action %q, want %q or %q", ErrInvalid, p.Action, ActionAdd, ActionRemove)
}

// poaEndBlock applies the proposals that passed, in id order, and closes
// them. A proposal that no longer applies (its validator already removed,
// or the set would be emptied) closes without effect. Then, since the set
// may have changed, open proposals are tallied again: those that now pass
// are applied at the end of the next block.
func (m *Module) poaEndBlock(kv state.KV) ([]Update, error) {
	ids, err := scanIDs(kv, []byte{pPassed})
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	set, err := loadSet(kv)
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		var p proposal
		if ok, err := getRec(kv, idKey(pProposal, id), &p); err != nil {
			return nil, err
		} else if ok {
			_ = applyProposal(set, p) // an error leaves set unchanged: the proposal lapses
		}
		if err := kv.Delete(idKey(pPassed, id)); err != nil {
			return nil, err
		}
		if err := kv.Delete(idKey(pProposal, id)); err != nil {
			return nil, err
		}
	}
	ups, err := storeSet(kv, set)
	if err != nil || len(ups) == 0 {
		return ups, err
	}
	_, values, err := scan(kv, []byte{pProposal})
	if err != nil {
		return nil, err
	}
	for _, b := range values {
		var p proposal
		if err := decode(b, &p); err != nil {
			return nil, err
		}
		if !p.Passed && passes(set, p) {
			p.Passed = true
			if err := kv.Set(idKey(pPassed, p.ID), []byte{}); err != nil {
				return nil, err
			}
			if err := putRec(kv, idKey(pProposal, p.ID), p); err != nil {
				return nil, err
			}
		}
	}
	return ups, nil
}

func copySet(set map[address.Address]Validator) map[address.Address]Validator {
	out := make(map[address.Address]Validator, len(set))
	for a, v := range set {
		out[a] = v
	}
	return out
}

// noFunds rejects a call with funds attached: the module would hold coins
// nobody accounted for.
func noFunds(ctx *router.Context) error {
	if len(ctx.Funds) > 0 {
		return ErrFundsAttached
	}
	return nil
}
