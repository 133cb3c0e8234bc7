package lightclient

import (
	"bytes"
	"fmt"
	"time"
)

// CheckMisbehaviour verifies submitted misbehaviour against the client at
// block time now — ibc-go's Misbehaviour.ValidateBasic, verifyMisbehaviour
// and CheckForMisbehaviour — and returns the client frozen. trusted1 and
// trusted2 are the stored consensus states at m.Header1.TrustedHeight and
// m.Header2.TrustedHeight; latest is the one at cs.LatestHeight.
//
// Both headers must be of the client's chain, each signed by more than
// 2/3 of its own validators and by at least the trust level of the
// validators trusted at its trusted height (which must not be past the
// trusting period), and they must conflict: the same height with
// different block hashes, or Header1 higher with a time not after
// Header2's. Anything else is ErrNotMisbehaviour (or the sentinel of the
// check that failed), and the client is returned unchanged. A client
// that is not active cannot be frozen again (ErrFrozen, ErrExpired).
func CheckMisbehaviour(cs ClientState, latest, trusted1, trusted2 ConsensusState, m *Misbehaviour, now time.Time) (ClientState, error) {
	if err := checkActive(cs, latest, now); err != nil {
		return cs, err
	}
	if err := m.validateBasic(); err != nil {
		return cs, err
	}
	if !m.conflicts() {
		return cs, fmt.Errorf("%w: the headers at heights %d and %d do not conflict", ErrNotMisbehaviour, m.Header1.Height(), m.Header2.Height())
	}
	if err := checkMisbehaviourHeader(cs, trusted1, m.Header1, now); err != nil {
		return cs, fmt.Errorf("header 1: %w", err)
	}
	if err := checkMisbehaviourHeader(cs, trusted2, m.Header2, now); err != nil {
		return cs, fmt.Errorf("header 2: %w", err)
	}
	return Freeze(cs), nil
}

// validateBasic is ibc-go's Misbehaviour.ValidateBasic: both headers well
// formed, of one chain, Header1 not lower, and each header's commit
// signed by more than 2/3 of its validator set.
func (m *Misbehaviour) validateBasic() error {
	if m == nil || m.Header1 == nil || m.Header2 == nil {
		return fmt.Errorf("%w: missing a header", ErrNotMisbehaviour)
	}
	if err := m.Header1.ValidateBasic(); err != nil {
		return fmt.Errorf("header 1: %w", err)
	}
	if err := m.Header2.ValidateBasic(); err != nil {
		return fmt.Errorf("header 2: %w", err)
	}
	if m.Header1.SignedHeader.ChainID != m.Header2.SignedHeader.ChainID {
		return fmt.Errorf("%w: headers of chains %q and %q", ErrChainID, m.Header1.SignedHeader.ChainID, m.Header2.SignedHeader.ChainID)
	}
	if m.Header1.Height() < m.Header2.Height() {
		return fmt.Errorf("%w: header 1 at %d is below header 2 at %d", ErrNotMisbehaviour, m.Header1.Height(), m.Header2.Height())
	}
	for i, h := range []*Header{m.Header1, m.Header2} {
		c := h.SignedHeader.Commit
		if err := h.ValidatorSet.VerifyCommitLight(h.SignedHeader.ChainID, c.BlockID, c.Height, c); err != nil {
			return fmt.Errorf("header %d: validator set did not commit to it: %w", i+1, classifyLightError(err))
		}
	}
	return nil
}

// conflicts is ibc-go's CheckForMisbehaviour for a Misbehaviour: a fork
// at one height, or a time violation across two.
func (m *Misbehaviour) conflicts() bool {
	if m.Header1.Height() == m.Header2.Height() {
		return !bytes.Equal(m.Header1.SignedHeader.Commit.BlockID.Hash, m.Header2.SignedHeader.Commit.BlockID.Hash)
	}
	return !m.Header1.SignedHeader.Time.After(m.Header2.SignedHeader.Time)
}

// checkMisbehaviourHeader is ibc-go's: the header's trusted validators
// are the trusted consensus state's next validators, that state is within
// the trusting period, and at least the trust level of them signed.
func checkMisbehaviourHeader(cs ClientState, trusted ConsensusState, h *Header, now time.Time) error {
	if h.SignedHeader.ChainID != cs.ChainID {
		return fmt.Errorf("%w: header of %q, client of %q", ErrChainID, h.SignedHeader.ChainID, cs.ChainID)
	}
	if err := checkTrustedHeader(h, trusted); err != nil {
		return err
	}
	if now.Sub(trusted.Timestamp) >= cs.TrustingPeriod {
		return fmt.Errorf("%w: trusted consensus state at %d is from %v, trusting period %v, now %v",
			ErrExpired, h.TrustedHeight, trusted.Timestamp, cs.TrustingPeriod, now)
	}
	err := h.TrustedValidators.VerifyCommitLightTrusting(cs.ChainID, h.SignedHeader.Commit, cs.TrustLevel.fraction())
	if err != nil {
		return fmt.Errorf("validator set in header has too much change from the trusted one: %w", classifyLightError(err))
	}
	return nil
}
