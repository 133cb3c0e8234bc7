package lightclient

import (
	"fmt"
	"time"

	ics23 "github.com/cosmos/ics23/go"

	"github.com/vsys/vsys/core/proof"
)

// VerifyMembership checks that the counterparty's state held value under
// key at the height whose consensus state is at, with proof the bytes of
// an ICS23 CommitmentProof (made by the counterparty's core/state Prove
// at version height-1: see ProofHeight). The client must be active at
// now (latest is its consensus state at LatestHeight). A proof that does
// not decode, is over MaxProofBytes or does not verify against at.Root is
// ErrProof; vsys's app hash is the root of one IAVL tree, so the proof is
// checked with ics23.IavlSpec alone (ibc-go chains need a second, multi-
// store step: docs/interchain.md).
func VerifyMembership(cs ClientState, latest, at ConsensusState, now time.Time, proofBytes, key, value []byte) error {
	if value == nil {
		// A nil value would make core/proof check absence instead.
		value = []byte{}
	}
	return verify(cs, latest, at, now, proofBytes, key, value)
}

// VerifyNonMembership checks that key was absent from the counterparty's
// state at the height whose consensus state is at, as VerifyMembership.
func VerifyNonMembership(cs ClientState, latest, at ConsensusState, now time.Time, proofBytes, key []byte) error {
	return verify(cs, latest, at, now, proofBytes, key, nil)
}

func verify(cs ClientState, latest, at ConsensusState, now time.Time, proofBytes, key, value []byte) error {
	if err := checkActive(cs, latest, now); err != nil {
		return err
	}
	p, err := DecodeProof(proofBytes)
	if err != nil {
		return err
	}
	if len(at.Root) == 0 {
		return fmt.Errorf("%w: consensus state has no root", ErrProof)
	}
	if err := proof.Verify(at.Root, p, key, value); err != nil {
		return fmt.Errorf("%w: %w", ErrProof, err)
	}
	return nil
}

// EncodeProof is the bytes of an ICS23 CommitmentProof, as the relayer
// sends them and VerifyMembership reads them.
func EncodeProof(p *ics23.CommitmentProof) ([]byte, error) {
	b, err := p.Marshal()
	if err != nil {
		return nil, fmt.Errorf("%w: encode: %w", ErrProof, err)
	}
	return b, nil
}

// DecodeProof reads an ICS23 CommitmentProof of at most MaxProofBytes.
func DecodeProof(b []byte) (*ics23.CommitmentProof, error) {
	if len(b) > MaxProofBytes {
		return nil, fmt.Errorf("%w: proof is %d bytes, the limit is %d", ErrTooLarge, len(b), MaxProofBytes)
	}
	if len(b) == 0 {
		return nil, fmt.Errorf("%w: empty proof", ErrProof)
	}
	var p ics23.CommitmentProof
	if err := p.Unmarshal(b); err != nil {
		return nil, fmt.Errorf("%w: decode: %w", ErrProof, err)
	}
	return &p, nil
}
