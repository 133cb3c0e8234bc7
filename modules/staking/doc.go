// Package staking is the native module that owns the chain's validator
// set, at the reserved address address.Module(5) under the name "staking".
// It runs in one of two modes, fixed in genesis:
//
//   - "poa" (proof of authority): the validators themselves add and remove
//     validators. A member proposes ("add" a pubkey with a power, which also
//     re-powers an existing member, or "remove" one), which counts as its
//     vote; members vote; a proposal passes once its voters hold more than
//     2/3 of the total power, and the change reaches CometBFT at the end of
//     that block. Tallies count only current members at their current power.
//   - "spos" (supernode proof of stake, in the V SYSTEMS style): accounts
//     register as candidates by locking MinSelfStake of the native coin and
//     naming a consensus pubkey; anyone leases native coins to a candidate
//     (the coins stay the lessor's and come back on cancel_lease). Every
//     EpochBlocks blocks the top MaxValidators candidates by self stake plus
//     leases (ties to the lower account address) become the set. Every block
//     RewardPerBlock is minted (capped by the coin's max supply) to the
//     proposer's candidate: share_percent of it goes to its lessors pro rata
//     to their leases, rounded down, and the rest, rounding included, to the
//     candidate, so that what is paid is exactly what is minted.
//
// The app calls InitGenesis with CometBFT's genesis validators, EndBlock at
// the end of every block (it returns the validator updates to hand to
// CometBFT) and Validators to read the set. The stored set always mirrors
// CometBFT's: updates are its differences, keyed by consensus address, so
// CometBFT never sees a duplicate or the removal of an unknown validator,
// and the set is never emptied.
//
// Voting power. In poa mode powers are given by proposals; in spos mode a
// validator's power is max(1, stake >> shift), with the smallest shift that
// keeps the set's total power below MaxTotalPower (2^50, far under
// CometBFT's MaxTotalVotingPower of about 2^60).
//
// A validator's vsys address is address.FromPubKey(pubkey): the same 20
// bytes as its CometBFT validator address. In spos mode the candidate's
// account (which registered, holds the self stake and earns rewards) is a
// different address; Owner maps one to the other.
//
// State, under the module's own prefix:
//
//	"g"                        -> genesis height (marks the module initialized)
//	'v' consensus address      -> Validator (the current set)
//	"n"                        -> next proposal id (poa)
//	'p' id                     -> proposal (poa; open or passed)
//	'q' id                     -> {} (poa: passed, applied at EndBlock)
//	'c' account                -> candidate (spos)
//	'k' consensus address      -> account (spos: which candidate owns a pubkey)
//	'L' account                -> u128, sum of leases to a candidate (spos)
//	"m"                        -> next lease id (spos)
//	'l' id                     -> Lease (spos)
//	'a' lessor id              -> {} (spos: leases of a lessor)
//	'o' candidate id           -> {} (spos: leases to a candidate)
//	'r' account                -> u128, total rewards credited (spos)
//
// Ids are big-endian uint64, so prefix scans return them in order.
package staking
