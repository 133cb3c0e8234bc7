package staking

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"sort"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/moduleid"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/core/state"
	"github.com/vsys/vsys/modules/native"
)

// Address is the staking module's reserved address: it holds every locked
// self stake and lease.
var Address = address.Module(moduleid.Staking)

// Name is the module's router name.
const Name = moduleid.NameStaking

// Sentinel errors callers test for; the errors of the module's methods
// wrap one of them (or the token module's, for a stake the caller cannot
// lock). A method of the other mode is not in the ABI at all, so calling
// it is router.ErrUnknownMethod.
var (
	// ErrInvalid: a method's arguments are out of range (pubkey length,
	// power, share percent, a zero lease, an unknown proposal action).
	ErrInvalid = errors.New("invalid staking input")
	// ErrGenesis: the genesis validators or params cannot start a chain.
	ErrGenesis = errors.New("invalid staking genesis")
	// ErrFundsAttached: coins were attached to a staking method; stakes
	// are locked by the method itself, never by attachment.
	ErrFundsAttached = errors.New("staking methods take no attached funds")
	// ErrNotMember (poa): the caller, or the validator a proposal removes,
	// is not in the set.
	ErrNotMember = errors.New("not a validator")
	// ErrUnknownProposal (poa): no open proposal has that id.
	ErrUnknownProposal = errors.New("unknown proposal")
	// ErrAlreadyVoted (poa): the caller voted on that proposal before.
	ErrAlreadyVoted = errors.New("already voted")
	// ErrLastValidator (poa): a proposal would leave the set empty.
	ErrLastValidator = errors.New("cannot remove the last validator")
	// ErrTotalPower (poa): a proposal would take the set's power past
	// MaxTotalPower.
	ErrTotalPower = errors.New("total voting power too large")
	// ErrAlreadyCandidate (spos): the caller is registered already.
	ErrAlreadyCandidate = errors.New("already a candidate")
	// ErrUnknownCandidate (spos): no candidate has that address.
	ErrUnknownCandidate = errors.New("unknown candidate")
	// ErrPubKeyInUse (spos): another candidate registered that consensus
	// pubkey.
	ErrPubKeyInUse = errors.New("consensus pubkey already in use")
	// ErrUnknownLease (spos): no lease has that id.
	ErrUnknownLease = errors.New("unknown lease")
	// ErrNotLessor (spos): only who made a lease may cancel it.
	ErrNotLessor = errors.New("only the lessor may do this")
)

// GenesisValidator is a validator at genesis: its CometBFT ed25519 pubkey
// (32 bytes) and power. Its vsys address is address.FromPubKey(PubKey),
// the same bytes as its CometBFT validator address.
type GenesisValidator struct {
	PubKey []byte
	Power  int64
}

// Update is a change to the set for CometBFT: Power 0 removes the
// validator. The app turns it into an ed25519 abci.ValidatorUpdate.
type Update struct {
	PubKey []byte
	Power  int64
}

// Validator is a member of the current set.
type Validator struct {
	Address address.Address `json:"address"` // address.FromPubKey(PubKey)
	PubKey  []byte          `json:"pubkey" vsys:"pubkey"`
	Power   int64           `json:"power"`
}

// Module is the staking module: a native contract (router.Contract) and
// the Go functions the app calls around blocks.
type Module struct {
	*native.Module // its methods: the router.Contract side
	params         Params
	bank           router.Bank // block rewards are minted through it; stakes and leases move through Context.Ledger
}

// New builds the module over bank, the token ledger. The ABI holds the
// methods of p.Mode only, plus validators and params.
func New(p Params, bank router.Bank) *Module {
	m := &Module{params: p, bank: bank}
	c := native.New(Name)
	native.Method(c, "validators", "The current validator set, by address.", true,
		func(ctx *router.Context, _ native.Empty) ([]Validator, error) { return readSet(ctx.Store()) })
	native.Method(c, "params", "The staking parameters.", true,
		func(*router.Context, native.Empty) (Params, error) { return m.params, nil })
	switch p.Mode {
	case ModePoA:
		m.poaMethods(c)
	case ModeSPoS:
		m.sposMethods(c)
	}
	m.Module = c
	return m
}

// Params returns the module's parameters.
func (m *Module) Params() Params { return m.params }

// InitGenesis records the initial set (CometBFT's genesis validators) at
// the chain's initial height. In spos mode each validator also becomes a
// candidate owned by its own address, with no self stake and a share of 0.
func (m *Module) InitGenesis(root state.KV, vals []GenesisValidator, height int64) error {
	if err := m.params.Validate(); err != nil {
		return fmt.Errorf("%w: %v", ErrGenesis, err)
	}
	if m.params.Mode == ModeSPoS && m.params.Denom == "" {
		return fmt.Errorf("%w: spos mode needs the native denom", ErrGenesis)
	}
	if len(vals) == 0 {
		return fmt.Errorf("%w: no validators", ErrGenesis)
	}
	if height < 0 {
		return fmt.Errorf("%w: height %d", ErrGenesis, height)
	}
	// Through a cache: nothing is written on error, and writes reach the
	// tree in key order (its shape, hence the app hash, depends on order).
	cache := state.NewCache(root)
	kv := store(cache)
	if done, err := kv.Has(keyGenesis); err != nil {
		return err
	} else if done {
		return fmt.Errorf("%w: already initialized", ErrGenesis)
	}
	set := map[address.Address]Validator{}
	var total int64
	for i, v := range vals {
		if len(v.PubKey) != PubKeyLen {
			return fmt.Errorf("%w: validator %d: pubkey of %d bytes, want %d", ErrGenesis, i, len(v.PubKey), PubKeyLen)
		}
		if v.Power <= 0 || v.Power > MaxTotalPower-total {
			return fmt.Errorf("%w: validator %d: power %d (positive, total at most %d)", ErrGenesis, i, v.Power, MaxTotalPower)
		}
		a := address.FromPubKey(v.PubKey)
		if _, dup := set[a]; dup {
			return fmt.Errorf("%w: validator %s twice", ErrGenesis, a)
		}
		total += v.Power
		set[a] = Validator{Address: a, PubKey: append([]byte(nil), v.PubKey...), Power: v.Power}
	}
	if _, err := storeSet(kv, set); err != nil {
		return err
	}
	if m.params.Mode == ModeSPoS {
		for a, v := range set {
			if err := putRec(kv, addrKey(pCandidate, a), candidate{PubKey: v.PubKey}); err != nil {
				return err
			}
			if err := putRec(kv, addrKey(pConsensus, a), a); err != nil {
				return err
			}
		}
	}
	if err := kv.Set(keyGenesis, binary.BigEndian.AppendUint64(nil, uint64(height))); err != nil {
		return err
	}
	return cache.Write()
}

// EndBlock runs at the end of every block, after its txs, with the block's
// proposer (its CometBFT address). In spos mode it mints the block reward
// and, at epoch boundaries, recomputes the set; in poa mode it applies the
// proposals that passed. It returns the updates for CometBFT, sorted by
// address (none most blocks). On error nothing is written.
func (m *Module) EndBlock(root state.KV, height int64, proposer address.Address) ([]Update, error) {
	cache := state.NewCache(root)
	kv := store(cache)
	var ups []Update
	var err error
	switch m.params.Mode {
	case ModePoA:
		ups, err = m.poaEndBlock(kv)
	case ModeSPoS:
		if err = m.reward(cache, kv, proposer); err == nil && height > 0 && uint64(height)%m.params.EpochBlocks == 0 {
			ups, err = m.rotate(kv)
		}
	default:
		err = fmt.Errorf("staking: mode %q", m.params.Mode)
	}
	if err != nil {
		return nil, fmt.Errorf("staking end block %d: %w", height, err)
	}
	return ups, cache.Write()
}

// Validators returns the current set, ordered by address.
func (m *Module) Validators(root state.KV) ([]Validator, error) { return readSet(store(root)) }

// Owner returns the account behind a validator's consensus address: the
// candidate that registered its pubkey in spos mode, the address itself
// otherwise. ok is false for an address nobody owns.
func (m *Module) Owner(root state.KV, consensus address.Address) (owner address.Address, ok bool, err error) {
	kv := store(root)
	if m.params.Mode == ModeSPoS {
		ok, err = getRec(kv, addrKey(pConsensus, consensus), &owner)
		return owner, ok, err
	}
	ok, err = kv.Has(addrKey(pValidator, consensus))
	return consensus, ok, err
}

// readSet returns the stored set, ordered by address.
func readSet(kv state.KV) ([]Validator, error) {
	_, values, err := scan(kv, []byte{pValidator})
	if err != nil {
		return nil, err
	}
	out := make([]Validator, 0, len(values))
	for _, b := range values {
		var v Validator
		if err := decode(b, &v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func loadSet(kv state.KV) (map[address.Address]Validator, error) {
	vs, err := readSet(kv)
	if err != nil {
		return nil, err
	}
	set := make(map[address.Address]Validator, len(vs))
	for _, v := range vs {
		set[v.Address] = v
	}
	return set, nil
}

// storeSet makes next the stored set and returns the updates that take
// CometBFT from the stored set to it, ordered by address: one per
// validator at most, power 0 for those leaving.
func storeSet(kv state.KV, next map[address.Address]Validator) ([]Update, error) {
	if len(next) == 0 {
		return nil, fmt.Errorf("staking: refusing an empty validator set")
	}
	old, err := loadSet(kv)
	if err != nil {
		return nil, err
	}
	addrs := make([]address.Address, 0, len(old)+len(next))
	for a := range old {
		addrs = append(addrs, a)
	}
	for a := range next {
		if _, seen := old[a]; !seen {
			addrs = append(addrs, a)
		}
	}
	sort.Slice(addrs, func(i, j int) bool { return bytes.Compare(addrs[i][:], addrs[j][:]) < 0 })
	var ups []Update
	for _, a := range addrs {
		o, wasIn := old[a]
		n, isIn := next[a]
		switch {
		case !isIn:
			ups = append(ups, Update{PubKey: o.PubKey, Power: 0})
			err = kv.Delete(addrKey(pValidator, a))
		case !wasIn || o.Power != n.Power || !bytes.Equal(o.PubKey, n.PubKey):
			ups = append(ups, Update{PubKey: n.PubKey, Power: n.Power})
			err = putRec(kv, addrKey(pValidator, a), n)
		}
		if err != nil {
			return nil, err
		}
	}
	return ups, nil
}
