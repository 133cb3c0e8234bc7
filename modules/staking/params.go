package staking

import (
	"fmt"

	"github.com/vsys/vsys/core/codec"
)

// Modes of the module.
const (
	ModePoA  = "poa"  // validators vote validators in and out
	ModeSPoS = "spos" // top candidates by stake, recomputed every epoch
)

// Limits on the set.
const (
	// PubKeyLen is the length of a CometBFT ed25519 public key.
	PubKeyLen = 32
	// MaxTotalPower bounds the total voting power of the set (2^50), far
	// below CometBFT's MaxTotalVotingPower (MaxInt64/8).
	MaxTotalPower int64 = 1 << 50
	// MaxValidatorsLimit bounds Params.MaxValidators.
	MaxValidatorsLimit = 1000
)

// Params are the staking parameters, fixed in genesis.
type Params struct {
	// Mode is ModePoA or ModeSPoS.
	Mode string `json:"mode"`
	// EpochBlocks: in spos mode the set is recomputed at the end of every
	// block whose height is a multiple of it.
	EpochBlocks uint64 `json:"epoch_blocks"`
	// MaxValidators is the size of the spos set (the top K candidates).
	MaxValidators uint32 `json:"max_validators"`
	// MinSelfStake of the native coin is locked by register and returned
	// by unregister.
	MinSelfStake codec.U128 `json:"min_self_stake"`
	// RewardPerBlock of the native coin is minted at the end of every block
	// (spos mode) to the proposer's candidate and its lessors.
	RewardPerBlock codec.U128 `json:"reward_per_block"`
	// Denom is the native coin's symbol, set by the app, not by genesis.
	Denom string `json:"-"`
}

// DefaultParams returns the staking defaults: poa; for spos, epochs of 100
// blocks, 15 validators, a self stake of 1000 coins of 8 decimals and no
// block reward.
func DefaultParams() Params {
	return Params{
		Mode:          ModePoA,
		EpochBlocks:   100,
		MaxValidators: 15,
		MinSelfStake:  codec.NewU128(1000 * 100_000_000),
	}
}

// Validate checks the params are usable. Denom is not checked: the app
// sets it after reading genesis (InitGenesis and spos methods require it).
func (p Params) Validate() error {
	switch p.Mode {
	case ModePoA:
		return nil
	case ModeSPoS:
	default:
		return fmt.Errorf("staking: mode %q, want %q or %q", p.Mode, ModePoA, ModeSPoS)
	}
	if p.EpochBlocks == 0 {
		return fmt.Errorf("staking: epoch_blocks must be positive")
	}
	if p.MaxValidators == 0 || p.MaxValidators > MaxValidatorsLimit {
		return fmt.Errorf("staking: max_validators %d, want 1..%d", p.MaxValidators, MaxValidatorsLimit)
	}
	if p.MinSelfStake.IsZero() { // free candidacies would let anyone fill the election
		return fmt.Errorf("staking: min_self_stake must be positive")
	}
	return nil
}
