package staking

import (
	"bytes"
	"fmt"
	"sort"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/core/state"
	"github.com/vsys/vsys/modules/native"
	"github.com/vsys/vsys/modules/token"
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
				if err := token.LedgerAt(ctx.Root()).Transfer(Address, ctx.Caller, m.params.Denom, cd.SelfStake); err != nil {
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
		if err := token.LedgerAt(ctx.Root()).Transfer(ctx.Caller, Address, m.params.Denom, cd.SelfStake); err != nil {
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
	if err := token.LedgerAt(ctx.Root()).Transfer(ctx.Caller, Address, m.params.Denom, a.Amount); err != nil {
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
	if err := token.LedgerAt(ctx.Root()).Transfer(Address, l.Lessor, m.params.Denom, l.Amount); err != nil {
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

// reward mints the block reward, capped by what the native coin's max
// supply leaves, to the candidate owning the proposer's pubkey: its
// lessors get SharePercent of it pro rata to their leases (rounded down),
// the candidate the rest. A proposer no candidate owns earns nothing.
func (m *Module) reward(root, kv state.KV, proposer address.Address) error {
	if m.params.RewardPerBlock.IsZero() {
		return nil
	}
	if m.params.Denom == "" {
		return fmt.Errorf("native denom not configured")
	}
	var owner address.Address
	if ok, err := getRec(kv, addrKey(pConsensus, proposer), &owner); err != nil || !ok {
		return err
	}
	cd, err := loadCandidate(kv, owner)
	if err != nil {
		return err
	}
	ledger := token.LedgerAt(root)
	info, err := ledger.Info(m.params.Denom)
	if err != nil {
		return err
	}
	amount := m.params.RewardPerBlock
	if room, err := info.MaxSupply.Sub(info.Supply); err != nil {
		return nil // supply already above the cap: nothing to mint
	} else if room.Cmp(amount) < 0 {
		amount = room
	}
	if amount.IsZero() {
		return nil
	}
	pay := func(to address.Address, amt codec.U128) error {
		if amt.IsZero() {
			return nil
		}
		if err := ledger.Mint(to, m.params.Denom, amt); err != nil {
			return err
		}
		total, err := getU128(kv, addrKey(pRewards, to))
		if err != nil {
			return err
		}
		if total, err = total.Add(amt); err != nil {
			return err
		}
		return putU128(kv, addrKey(pRewards, to), total)
	}
	leased, err := getU128(kv, addrKey(pLeased, owner))
	if err != nil {
		return err
	}
	var given codec.U128
	if pool := mulDiv(amount, codec.NewU128(uint64(cd.SharePercent)), codec.NewU128(100)); !pool.IsZero() && !leased.IsZero() {
		ids, err := scanIDs(kv, addrKey(pByCand, owner))
		if err != nil {
			return err
		}
		for _, id := range ids {
			var l Lease
			if ok, err := getRec(kv, idKey(pLease, id), &l); err != nil {
				return err
			} else if !ok {
				return fmt.Errorf("lease %d indexed but missing", id)
			}
			amt := mulDiv(pool, l.Amount, leased)
			if err := pay(l.Lessor, amt); err != nil {
				return err
			}
			if given, err = given.Add(amt); err != nil {
				return err
			}
		}
	}
	rest, err := amount.Sub(given)
	if err != nil {
		return fmt.Errorf("lessors got %s of %s: %w", given, amount, err)
	}
	return pay(owner, rest)
}

// ranked is a candidate's place in an epoch's election.
type ranked struct {
	account address.Address
	pubKey  []byte
	stake   codec.U128
}

// rotate elects the top MaxValidators candidates by self stake plus leases
// (ties to the lower address) and makes them the set. With no candidates
// at all the set stays as it is: CometBFT cannot run without validators.
func (m *Module) rotate(kv state.KV) ([]Update, error) {
	cands, err := readCandidates(kv)
	if err != nil {
		return nil, err
	}
	if len(cands) == 0 {
		return nil, nil
	}
	rs := make([]ranked, 0, len(cands))
	for _, c := range cands {
		stake, err := c.SelfStake.Add(c.Leased)
		if err != nil {
			return nil, err
		}
		rs = append(rs, ranked{c.Address, c.PubKey, stake})
	}
	sort.Slice(rs, func(i, j int) bool {
		if c := rs[i].stake.Cmp(rs[j].stake); c != 0 {
			return c > 0
		}
		return bytes.Compare(rs[i].account[:], rs[j].account[:]) < 0
	})
	if len(rs) > int(m.params.MaxValidators) {
		rs = rs[:m.params.MaxValidators]
	}
	stakes := make([]codec.U128, len(rs))
	for i, r := range rs {
		stakes[i] = r.stake
	}
	powers := votingPowers(stakes)
	next := make(map[address.Address]Validator, len(rs))
	for i, r := range rs {
		a := address.FromPubKey(r.pubKey)
		next[a] = Validator{Address: a, PubKey: r.pubKey, Power: powers[i]}
	}
	return storeSet(kv, next)
}
