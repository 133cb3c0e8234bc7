package staking

import (
	"fmt"
	"sort"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/core/state"
	"github.com/vsys/vsys/modules/native"
)

// RegisterArgs are the arguments of register.
type RegisterArgs struct {
	PubKey       []byte `vsys:"pubkey"` // CometBFT ed25519 consensus pubkey
	SharePercent uint32 // percent of rewards shared with lessors, 0..100
}

// ShareArgs are the arguments of set_share.
type ShareArgs struct{ SharePercent uint32 }

// LeaseArgs are the arguments of lease.
type LeaseArgs struct {
	Candidate address.Address
	Amount    codec.U128
}

// AccountArgs name an account.
type AccountArgs struct{ Account address.Address }

// Candidate is a registered spos candidate.
type Candidate struct {
	Address      address.Address `json:"address"` // its account
	PubKey       []byte          `json:"pubkey" vsys:"pubkey"`
	SelfStake    codec.U128      `json:"self_stake"`
	Leased       codec.U128      `json:"leased"`
	SharePercent uint32          `json:"share_percent"`
}

// candidate is what is stored of a Candidate (leases are summed apart,
// since they outlive an unregister).
type candidate struct {
	PubKey       []byte
	SelfStake    codec.U128
	SharePercent uint32
}

// Lease is native coin locked by a lessor for a candidate.
type Lease struct {
	ID        uint64          `json:"id"`
	Lessor    address.Address `json:"lessor"`
	Candidate address.Address `json:"candidate"`
	Amount    codec.U128      `json:"amount"`
}

// CandidateEvent is emitted by register, set_share and unregister.
type CandidateEvent struct {
	Candidate    address.Address
	PubKey       []byte `vsys:"pubkey"`
	SelfStake    codec.U128
	SharePercent uint32
}

// LeaseEvent is emitted by lease and cancel_lease.
type LeaseEvent Lease

func (m *Module) sposMethods(c *native.Module) {
	native.EventType[CandidateEvent](c, "registered")
	native.EventType[CandidateEvent](c, "share_set")
	native.EventType[CandidateEvent](c, "unregistered")
	native.EventType[LeaseEvent](c, "leased")
	native.EventType[LeaseEvent](c, "lease_cancelled")
	native.Method(c, "register", "Become a candidate with a consensus pubkey, locking min_self_stake of the native coin.", false,
		func(ctx *router.Context, a RegisterArgs) (native.Empty, error) {
			return native.Empty{}, m.register(ctx, a)
		})
	native.Method(c, "set_share", "Set the percent of the caller's rewards shared with its lessors.", false,
		func(ctx *router.Context, a ShareArgs) (native.Empty, error) {
			if err := m.ready(ctx); err != nil {
				return native.Empty{}, err
			}
			if a.SharePercent > 100 {
				return native.Empty{}, fmt.Errorf("%w: share_percent %d > 100", ErrInvalid, a.SharePercent)
			}
			kv := ctx.Store()
			cd, err := loadCandidate(kv, ctx.Caller)
			if err != nil {
				return native.Empty{}, err
			}
			cd.SharePercent = a.SharePercent
			if err := putRec(kv, addrKey(pCandidate, ctx.Caller), cd); err != nil {
				return native.Empty{}, err
			}
			return native.Empty{}, native.Emit(ctx, "share_set", CandidateEvent{ctx.Caller, cd.PubKey, cd.SelfStake, cd.SharePercent})
		})
	native.Method(c, "unregister", "Stop being a candidate and get the self stake back; leases stay, and the candidate leaves the set at the next epoch.", false,
		func(ctx *router.Context, _ native.Empty) (native.Empty, error) {
			if err := m.ready(ctx); err != nil {
				return native.Empty{}, err
			}
			kv := ctx.Store()
			cd, err := loadCandidate(kv, ctx.Caller)
			if err != nil {
				return native.Empty{}, err
			}
			if err := kv.Delete(addrKey(pCandidate, ctx.Caller)); err != nil {
				return native.Empty{}, err
			}
			if err := kv.Delete(addrKey(pConsensus, address.FromPubKey(cd.PubKey))); err != nil {
				return native.Empty{}, err
			}
			if !cd.SelfStake.IsZero() {
				if err := ctx.Ledger().Transfer(Address, ctx.Caller, m.params.Denom, cd.SelfStake); err != nil {
					return native.Empty{}, fmt.Errorf("staking: return self stake: %w", err)
				}
			}
			return native.Empty{}, native.Emit(ctx, "unregistered", CandidateEvent{ctx.Caller, cd.PubKey, cd.SelfStake, cd.SharePercent})
		})
	native.Method(c, "lease", "Lock amount of the caller's native coin for a candidate. Returns the lease id.", false,
		func(ctx *router.Context, a LeaseArgs) (uint64, error) { return m.lease(ctx, a) })
	native.Method(c, "cancel_lease", "End one of the caller's leases and get its coins back.", false,
		func(ctx *router.Context, a IDArgs) (native.Empty, error) {
			return native.Empty{}, m.cancelLease(ctx, a.ID)
		})
	native.Method(c, "candidates", "Every candidate, by address.", true,
		func(ctx *router.Context, _ native.Empty) ([]Candidate, error) { return readCandidates(ctx.Store()) })
	native.Method(c, "leases", "Leases an account made or received, by id.", true,
		func(ctx *router.Context, a AccountArgs) ([]Lease, error) { return readLeases(ctx.Store(), a.Account) })
	native.Method(c, "rewards", "Total block rewards credited to an account.", true,
		func(ctx *router.Context, a AccountArgs) (codec.U128, error) {
			return getU128(ctx.Store(), addrKey(pRewards, a.Account))
		})
}

// ready checks what every spos tx needs.
func (m *Module) ready(ctx *router.Context) error {
	if m.params.Denom == "" {
		return fmt.Errorf("staking: native denom not configured")
	}
	return noFunds(ctx)
}

func (m *Module) register(ctx *router.Context, a RegisterArgs) error {
	if err := m.ready(ctx); err != nil {
		return err
	}
	if len(a.PubKey) != PubKeyLen {
		return fmt.Errorf("%w: pubkey of %d bytes, want %d", ErrInvalid, len(a.PubKey), PubKeyLen)
	}
	if a.SharePercent > 100 {
		return fmt.Errorf("%w: share_percent %d > 100", ErrInvalid, a.SharePercent)
	}
	kv := ctx.Store()
	if ok, err := kv.Has(addrKey(pCandidate, ctx.Caller)); err != nil {
		return err
	} else if ok {
		return fmt.Errorf("%w: %s", ErrAlreadyCandidate, ctx.Caller)
	}
	cons := address.FromPubKey(a.PubKey)
	if ok, err := kv.Has(addrKey(pConsensus, cons)); err != nil {
		return err
	} else if ok {
		return fmt.Errorf("%w: %s", ErrPubKeyInUse, cons)
	}
	cd := candidate{PubKey: a.PubKey, SelfStake: m.params.MinSelfStake, SharePercent: a.SharePercent}
	if !cd.SelfStake.IsZero() {
		if err := ctx.Ledger().Transfer(ctx.Caller, Address, m.params.Denom, cd.SelfStake); err != nil {
			return fmt.Errorf("staking: lock self stake: %w", err)
		}
	}
	if err := putRec(kv, addrKey(pCandidate, ctx.Caller), cd); err != nil {
		return err
	}
	if err := putRec(kv, addrKey(pConsensus, cons), ctx.Caller); err != nil {
		return err
	}
	return native.Emit(ctx, "registered", CandidateEvent{ctx.Caller, cd.PubKey, cd.SelfStake, cd.SharePercent})
}

func (m *Module) lease(ctx *router.Context, a LeaseArgs) (uint64, error) {
	if err := m.ready(ctx); err != nil {
		return 0, err
	}
	if a.Amount.IsZero() {
		return 0, fmt.Errorf("%w: zero lease", ErrInvalid)
	}
	kv := ctx.Store()
	if _, err := loadCandidate(kv, a.Candidate); err != nil {
		return 0, err
	}
	leased, err := getU128(kv, addrKey(pLeased, a.Candidate))
	if err != nil {
		return 0, err
	}
	if leased, err = leased.Add(a.Amount); err != nil {
		return 0, err
	}
	if err := ctx.Ledger().Transfer(ctx.Caller, Address, m.params.Denom, a.Amount); err != nil {
		return 0, fmt.Errorf("staking: lease: %w", err)
	}
	id, err := nextID(kv, keyNextLease)
	if err != nil {
		return 0, err
	}
	l := Lease{ID: id, Lessor: ctx.Caller, Candidate: a.Candidate, Amount: a.Amount}
	if err := putRec(kv, idKey(pLease, id), l); err != nil {
		return 0, err
	}
	if err := kv.Set(addrIDKey(pByLessor, l.Lessor, id), []byte{}); err != nil {
		return 0, err
	}
	if err := kv.Set(addrIDKey(pByCand, l.Candidate, id), []byte{}); err != nil {
		return 0, err
	}
	if err := putU128(kv, addrKey(pLeased, l.Candidate), leased); err != nil {
		return 0, err
	}
	return id, native.Emit(ctx, "leased", LeaseEvent(l))
}

func (m *Module) cancelLease(ctx *router.Context, id uint64) error {
	if err := m.ready(ctx); err != nil {
		return err
	}
	kv := ctx.Store()
	var l Lease
	if ok, err := getRec(kv, idKey(pLease, id), &l); err != nil {
		return err
	} else if !ok {
		return fmt.Errorf("%w %d", ErrUnknownLease, id)
	}
	if l.Lessor != ctx.Caller {
		return fmt.Errorf("%w: lease %d is %s's", ErrNotLessor, id, l.Lessor)
	}
	leased, err := getU128(kv, addrKey(pLeased, l.Candidate))
	if err != nil {
		return err
	}
	if leased, err = leased.Sub(l.Amount); err != nil {
		return fmt.Errorf("staking: leases of %s: %w", l.Candidate, err)
	}
	for _, k := range [][]byte{idKey(pLease, id), addrIDKey(pByLessor, l.Lessor, id), addrIDKey(pByCand, l.Candidate, id)} {
		if err := kv.Delete(k); err != nil {
			return err
		}
	}
	if err := putU128(kv, addrKey(pLeased, l.Candidate), leased); err != nil {
		return err
	}
	if err := ctx.Ledger().Transfer(Address, l.Lessor, m.params.Denom, l.Amount); err != nil {
		return fmt.Errorf("staking: return lease: %w", err)
	}
	return native.Emit(ctx, "lease_cancelled", LeaseEvent(l))
}

func loadCandidate(kv state.KV, a address.Address) (candidate, error) {
	var cd candidate
	ok, err := getRec(kv, addrKey(pCandidate, a), &cd)
	if err == nil && !ok {
		err = fmt.Errorf("%w: %s", ErrUnknownCandidate, a)
	}
	return cd, err
}

// readCandidates returns every candidate, ordered by address.
func readCandidates(kv state.KV) ([]Candidate, error) {
	keys, values, err := scan(kv, []byte{pCandidate})
	if err != nil {
		return nil, err
	}
	out := make([]Candidate, 0, len(keys))
	for i, k := range keys {
		a, err := address.FromBytes(k)
		if err != nil {
			return nil, fmt.Errorf("staking: candidate key: %w", err)
		}
		var cd candidate
		if err := decode(values[i], &cd); err != nil {
			return nil, err
		}
		leased, err := getU128(kv, addrKey(pLeased, a))
		if err != nil {
			return nil, err
		}
		out = append(out, Candidate{Address: a, PubKey: cd.PubKey, SelfStake: cd.SelfStake, Leased: leased, SharePercent: cd.SharePercent})
	}
	return out, nil
}

// readLeases returns the leases a made or received, ordered by id.
func readLeases(kv state.KV, a address.Address) ([]Lease, error) {
	mine, err := scanIDs(kv, addrKey(pByLessor, a))
	if err != nil {
		return nil, err
	}
	theirs, err := scanIDs(kv, addrKey(pByCand, a))
	if err != nil {
		return nil, err
	}
	ids := append(mine, theirs...)
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	out := []Lease{}
	for i, id := range ids {
		if i > 0 && ids[i-1] == id { // a self-lease is in both indexes
			continue
		}
		var l Lease
		if ok, err := getRec(kv, idKey(pLease, id), &l); err != nil {
			return nil, err
		} else if !ok {
			return nil, fmt.Errorf("staking: lease %d indexed but missing", id)
		}
		out = append(out, l)
	}
	return out, nil
}
