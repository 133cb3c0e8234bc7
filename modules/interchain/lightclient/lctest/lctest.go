package lctest

import (
	"crypto/sha256"
	"fmt"
	"time"

	"github.com/cometbft/cometbft/crypto"
	"github.com/cometbft/cometbft/crypto/ed25519"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	cmtversion "github.com/cometbft/cometbft/proto/tendermint/version"
	"github.com/cometbft/cometbft/types"
	"github.com/cometbft/cometbft/version"

	"github.com/vsys/vsys/modules/interchain/lightclient"
)

// Validators is a validator set with its validators' private keys.
type Validators struct {
	Set  *types.ValidatorSet
	keys map[string]crypto.PrivKey // by address, as a string
}

// Key derives the private key named seed/i: the same seed and index give
// the same key in every run.
func Key(seed string, i int) crypto.PrivKey {
	return ed25519.GenPrivKeyFromSecret(fmt.Appendf(nil, "lctest/%s/%d", seed, i))
}

// NewValidators is n validators of power each, keys seed/0 … seed/n-1.
func NewValidators(seed string, n int, power int64) *Validators {
	keys := make([]crypto.PrivKey, n)
	powers := make([]int64, n)
	for i := range keys {
		keys[i], powers[i] = Key(seed, i), power
	}
	return FromKeys(keys, powers)
}

// FromKeys is the validator set of keys with the given powers.
func FromKeys(keys []crypto.PrivKey, powers []int64) *Validators {
	v := &Validators{keys: map[string]crypto.PrivKey{}}
	vals := make([]*types.Validator, len(keys))
	for i, k := range keys {
		vals[i] = types.NewValidator(k.PubKey(), powers[i])
		v.keys[string(k.PubKey().Address())] = k
	}
	v.Set = types.NewValidatorSet(vals)
	return v
}

// Keys are the validators' private keys in the set's order.
func (v *Validators) Keys() []crypto.PrivKey {
	out := make([]crypto.PrivKey, len(v.Set.Validators))
	for i, val := range v.Set.Validators {
		out[i] = v.keys[string(val.Address)]
	}
	return out
}

// Replace returns a set in which the first k validators (in the set's
// order) are replaced by new ones with keys seed/0 … seed/k-1 and the
// same powers: a validator-set change of k members.
func (v *Validators) Replace(seed string, k int) *Validators {
	keys := v.Keys()
	powers := make([]int64, len(keys))
	for i, val := range v.Set.Validators {
		powers[i] = val.VotingPower
	}
	for i := 0; i < k && i < len(keys); i++ {
		keys[i] = Key(seed, i)
	}
	return FromKeys(keys, powers)
}

// Block is what one header holds and who signs it.
type Block struct {
	ChainID string
	Height  int64
	Time    time.Time
	AppHash []byte
	// Vals sign the block (its ValidatorsHash); NextVals are its
	// NextValidatorsHash (nil: Vals).
	Vals, NextVals *Validators
	// Signers picks, by index in Vals.Set, who signs (nil: all); the
	// rest are absent from the commit.
	Signers func(i int) bool
}

// First is a Signers that picks the first k validators.
func First(k int) func(int) bool { return func(i int) bool { return i < k } }

// Sign makes b's header and a commit of real precommits for it, signed
// with the keys of b.Signers. Everything is deterministic: the filler
// hashes derive from the height, votes are timed at the block's time.
func Sign(b Block) *types.SignedHeader {
	next := b.NextVals
	if next == nil {
		next = b.Vals
	}
	filler := func(what string) []byte {
		h := sha256.Sum256(fmt.Appendf(nil, "%s/%s/%d", b.ChainID, what, b.Height))
		return h[:]
	}
	h := &types.Header{
		Version:            cmtversion.Consensus{Block: version.BlockProtocol},
		ChainID:            b.ChainID,
		Height:             b.Height,
		Time:               b.Time,
		LastBlockID:        types.BlockID{Hash: filler("last"), PartSetHeader: types.PartSetHeader{Total: 1, Hash: filler("lastparts")}},
		LastCommitHash:     filler("lastcommit"),
		DataHash:           filler("data"),
		ValidatorsHash:     b.Vals.Set.Hash(),
		NextValidatorsHash: next.Set.Hash(),
		ConsensusHash:      filler("consensus"),
		AppHash:            b.AppHash,
		LastResultsHash:    filler("results"),
		EvidenceHash:       filler("evidence"),
		ProposerAddress:    b.Vals.Set.Validators[0].Address,
	}
	return &types.SignedHeader{Header: h, Commit: Commit(b, h)}
}

// Commit is a commit of h signed by b.Vals's b.Signers (those of them
// whose key it holds).
func Commit(b Block, h *types.Header) *types.Commit {
	hash := h.Hash()
	parts := sha256.Sum256(hash)
	id := types.BlockID{Hash: hash, PartSetHeader: types.PartSetHeader{Total: 1, Hash: parts[:]}}
	sigs := make([]types.CommitSig, len(b.Vals.Set.Validators))
	for i, val := range b.Vals.Set.Validators {
		key, ok := b.Vals.keys[string(val.Address)]
		if !ok || b.Signers != nil && !b.Signers(i) {
			sigs[i] = types.NewCommitSigAbsent()
			continue
		}
		vote := &types.Vote{
			Type: cmtproto.PrecommitType, Height: h.Height, BlockID: id, Timestamp: h.Time,
			ValidatorAddress: val.Address, ValidatorIndex: int32(i),
		}
		sig, err := key.Sign(types.VoteSignBytes(h.ChainID, vote.ToProto()))
		if err != nil {
			// ed25519 signing does not fail; an unsigned vote makes the
			// test that used it fail visibly instead.
			sig = nil
		}
		vote.Signature = sig
		sigs[i] = vote.CommitSig()
	}
	return &types.Commit{Height: h.Height, BlockID: id, Signatures: sigs}
}

// Header is the light-client update for b: its signed header and
// validators, verified from trustedHeight, whose next validators are
// trusted.
func Header(b Block, trustedHeight uint64, trusted *Validators) *lightclient.Header {
	return &lightclient.Header{
		SignedHeader: Sign(b), ValidatorSet: b.Vals.Set,
		TrustedHeight: trustedHeight, TrustedValidators: trusted.Set,
	}
}

// ConsensusState is what a client stores for b's header (the initial
// consensus state of a client created at b.Height).
func ConsensusState(b Block) lightclient.ConsensusState {
	return (&lightclient.Header{SignedHeader: Sign(b)}).ConsensusState()
}
