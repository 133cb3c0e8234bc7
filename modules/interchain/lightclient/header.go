package lightclient

import (
	"bytes"
	"fmt"

	"github.com/cometbft/cometbft/types"
)

// Limits on hostile input: a header, misbehaviour or proof is decoded
// only under these, before any signature is checked.
const (
	// MaxHeaderBytes bounds an encoded Header: two validator sets of
	// MaxValidators and a commit fit with room to spare.
	MaxHeaderBytes = 1 << 20
	// MaxValidators bounds each validator set in a header (CometBFT
	// chains run with tens to a few hundred).
	MaxValidators = 1000
	// MaxProofBytes bounds an encoded ICS23 proof: an IAVL proof is a
	// few kilobytes (one inner op per tree level).
	MaxProofBytes = 64 << 10
)

// Header is an update of a client: a counterparty's signed header, the
// validator set that signed it, and the trusted height and validator set
// it is verified from — ibc-go's 07-tendermint Header, whose protobuf
// encoding Encode writes, so a relayer builds it from a CometBFT RPC's
// /commit and /validators.
type Header struct {
	SignedHeader *types.SignedHeader
	// ValidatorSet is the validator set at the header's height (hashes
	// to SignedHeader.ValidatorsHash).
	ValidatorSet *types.ValidatorSet
	// TrustedHeight is a height of the client's with a stored consensus
	// state; the header is verified from it.
	TrustedHeight uint64
	// TrustedValidators is the validator set at TrustedHeight+1: it
	// hashes to the trusted consensus state's NextValidatorsHash.
	TrustedValidators *types.ValidatorSet
}

// Height is the header's height (0 for a header without one).
func (h *Header) Height() uint64 {
	if !h.hasHeader() || h.SignedHeader.Height < 0 {
		return 0
	}
	return uint64(h.SignedHeader.Height)
}

func (h *Header) hasHeader() bool {
	return h != nil && h.SignedHeader != nil && h.SignedHeader.Header != nil
}

// ConsensusState is what the client stores for the header's height (the
// zero value for a header without one).
func (h *Header) ConsensusState() ConsensusState {
	if !h.hasHeader() {
		return ConsensusState{}
	}
	return ConsensusState{
		Timestamp:          h.SignedHeader.Time,
		Root:               append([]byte(nil), h.SignedHeader.AppHash...),
		NextValidatorsHash: append([]byte(nil), h.SignedHeader.NextValidatorsHash...),
	}
}

// ValidateBasic checks what ibc-go's Header.ValidateBasic checks, without
// any trusted state: the signed header is well formed and its commit is
// for it, the trusted height is below it and not zero, and the validator
// set hashes to the header's.
func (h *Header) ValidateBasic() error {
	if !h.hasHeader() || h.SignedHeader.Commit == nil {
		return fmt.Errorf("%w: no signed header", ErrBadHeader)
	}
	if h.ValidatorSet == nil || h.TrustedValidators == nil {
		return fmt.Errorf("%w: no validator set or no trusted validator set", ErrBadHeader)
	}
	if err := h.SignedHeader.ValidateBasic(h.SignedHeader.ChainID); err != nil {
		return fmt.Errorf("%w: %w", ErrBadHeader, err)
	}
	if h.SignedHeader.Height <= 0 {
		return fmt.Errorf("%w: height %d", ErrHeight, h.SignedHeader.Height)
	}
	if h.TrustedHeight == 0 || h.TrustedHeight >= h.Height() {
		return fmt.Errorf("%w: trusted height %d is not in [1, %d)", ErrHeight, h.TrustedHeight, h.Height())
	}
	if !bytes.Equal(h.SignedHeader.ValidatorsHash, h.ValidatorSet.Hash()) {
		return fmt.Errorf("%w: validator set hashes to %X, the header's validators hash is %X",
			ErrBadHeader, h.ValidatorSet.Hash(), h.SignedHeader.ValidatorsHash)
	}
	return nil
}
