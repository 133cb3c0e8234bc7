package lightclient

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	"github.com/cometbft/cometbft/light"
	"github.com/cometbft/cometbft/types"
)

// Update verifies h against the client's consensus state at
// h.TrustedHeight (trusted) at block time now, and returns the client
// state and the consensus state to store for h's height — ibc-go's
// verifyHeader then UpdateState. It refuses a frozen client (ErrFrozen),
// an expired one (ErrExpired: latest is the consensus state at
// cs.LatestHeight), another chain's header (ErrChainID), a header at or
// below its trusted height (ErrHeight), trusted validators that do not
// hash to trusted.NextValidatorsHash (ErrTrustedValidators), a header
// time beyond now+MaxClockDrift (ErrHeaderFuture), and a header too
// little power signed (ErrInsufficientPower); anything else light.Verify
// refuses is ErrBadHeader, and a trusted state past its trusting period
// is ErrExpired.
//
// Update does not look at what the client already stores at h's height:
// the caller runs CheckForMisbehaviour on the verified header and
// freezes the client on ErrMisbehaviour instead of storing the result.
func Update(cs ClientState, latest, trusted ConsensusState, h *Header, now time.Time) (ClientState, ConsensusState, error) {
	if err := checkActive(cs, latest, now); err != nil {
		return cs, ConsensusState{}, err
	}
	if err := verifyHeader(cs, trusted, h, now); err != nil {
		return cs, ConsensusState{}, err
	}
	if h.Height() > cs.LatestHeight {
		cs.LatestHeight = h.Height()
	}
	return cs, h.ConsensusState(), nil
}

// verifyHeader is ibc-go's verifyHeader: the header's own checks, the
// trusted validators against the trusted consensus state, then
// light.Verify from a header rebuilt of the trusted state's fields.
func verifyHeader(cs ClientState, trusted ConsensusState, h *Header, now time.Time) error {
	if err := h.ValidateBasic(); err != nil {
		return err
	}
	if h.SignedHeader.ChainID != cs.ChainID {
		return fmt.Errorf("%w: header of %q, client of %q", ErrChainID, h.SignedHeader.ChainID, cs.ChainID)
	}
	if err := checkTrustedHeader(h, trusted); err != nil {
		return err
	}
	// Checked here as well as inside light.Verify so the refusal has its
	// own sentinel: "from the future beyond the drift" is a case callers
	// and relayers tell apart from a bad signature.
	if !h.SignedHeader.Time.Before(now.Add(cs.MaxClockDrift)) {
		return fmt.Errorf("%w: header time %v, now %v, max clock drift %v", ErrHeaderFuture, h.SignedHeader.Time, now, cs.MaxClockDrift)
	}
	// Only Height, Time and NextValidatorsHash of the trusted header
	// take part in verification (ibc-go builds the same header).
	trustedHeader := &types.SignedHeader{Header: &types.Header{
		ChainID:            cs.ChainID,
		Height:             int64(h.TrustedHeight),
		Time:               trusted.Timestamp,
		NextValidatorsHash: trusted.NextValidatorsHash,
	}}
	err := light.Verify(trustedHeader, h.TrustedValidators, h.SignedHeader, h.ValidatorSet,
		cs.TrustingPeriod, now, cs.MaxClockDrift, cs.TrustLevel.fraction())
	if err != nil {
		return classifyLightError(err)
	}
	return nil
}

// checkTrustedHeader is ibc-go's: the trusted validators are the next
// validators of the trusted consensus state.
func checkTrustedHeader(h *Header, trusted ConsensusState) error {
	if got := h.TrustedValidators.Hash(); !bytes.Equal(got, trusted.NextValidatorsHash) {
		return fmt.Errorf("%w: trusted validators hash to %X, the consensus state at %d has %X",
			ErrTrustedValidators, got, h.TrustedHeight, trusted.NextValidatorsHash)
	}
	return nil
}

// classifyLightError maps light.Verify's errors onto this package's
// sentinels, keeping light's error in the chain.
func classifyLightError(err error) error {
	var expired light.ErrOldHeaderExpired
	var untrusted light.ErrNewValSetCantBeTrusted
	var invalid light.ErrInvalidHeader
	var power types.ErrNotEnoughVotingPowerSigned
	switch {
	case errors.As(err, &expired):
		return fmt.Errorf("%w: trusted consensus state: %w", ErrExpired, err)
	case errors.As(err, &untrusted), errors.As(err, &power):
		return fmt.Errorf("%w: %w", ErrInsufficientPower, err)
	case errors.As(err, &invalid):
		if errors.As(invalid.Reason, &power) {
			return fmt.Errorf("%w: %w", ErrInsufficientPower, err)
		}
		return fmt.Errorf("%w: %w", ErrBadHeader, err)
	}
	return fmt.Errorf("%w: %w", ErrBadHeader, err)
}

// Neighbours are the consensus states the client already stores around
// a header's height, which CheckForMisbehaviour compares it with: the one
// at its height, the nearest below and the nearest above (nil: none).
type Neighbours struct {
	Existing *ConsensusState
	Prev     *ConsensusState
	Next     *ConsensusState
}

// CheckForMisbehaviour is ibc-go's CheckForMisbehaviour for a verified
// header: it returns duplicate=true when the client already stores the
// same consensus state at h's height (the update is a no-op), and
// ErrMisbehaviour when it stores a different one, or when h's time is
// not after the previous consensus state's or not before the next one's.
// On ErrMisbehaviour the caller freezes the client (Freeze).
func CheckForMisbehaviour(h *Header, n Neighbours) (duplicate bool, err error) {
	if !h.hasHeader() {
		return false, fmt.Errorf("%w: no signed header", ErrBadHeader)
	}
	c := h.ConsensusState()
	if n.Existing != nil {
		if n.Existing.Equal(c) {
			return true, nil
		}
		return false, fmt.Errorf("%w: a different consensus state is stored at height %d", ErrMisbehaviour, h.Height())
	}
	if n.Prev != nil && !n.Prev.Timestamp.Before(c.Timestamp) {
		return false, fmt.Errorf("%w: header time %v is not after the previous consensus state's %v", ErrMisbehaviour, c.Timestamp, n.Prev.Timestamp)
	}
	if n.Next != nil && !n.Next.Timestamp.After(c.Timestamp) {
		return false, fmt.Errorf("%w: header time %v is not before the next consensus state's %v", ErrMisbehaviour, c.Timestamp, n.Next.Timestamp)
	}
	return false, nil
}
