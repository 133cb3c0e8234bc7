package staking

import (
	"bytes"
	"fmt"
	"sort"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/state"
)

// What spos does at the end of a block: the reward, minted through the
// bank's Minter, and at epoch boundaries the election of the next set.

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
	minter := m.bank.Minter(root)
	supply, maxSupply, err := minter.Supply(m.params.Denom)
	if err != nil {
		return err
	}
	amount := m.params.RewardPerBlock
	if room, err := maxSupply.Sub(supply); err != nil {
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
		if err := minter.Mint(to, m.params.Denom, amt); err != nil {
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
	if pool := amount.MulDiv(codec.NewU128(uint64(cd.SharePercent)), codec.NewU128(100)); !pool.IsZero() && !leased.IsZero() {
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
			amt := pool.MulDiv(l.Amount, leased)
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
