package lightclient

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	cmtmath "github.com/cometbft/cometbft/libs/math"
	"github.com/cometbft/cometbft/light"
	"github.com/cometbft/cometbft/types"

	"github.com/vsys/vsys/core/codec"
)

// TrustLevel is the fraction of a trusted validator set's voting power
// that must sign a header for a skipping update (light.Verify's
// trustLevel). It must lie in [1/3, 1].
type TrustLevel struct {
	Numerator   uint64
	Denominator uint64
}

// DefaultTrustLevel is 1/3, the lowest fraction that keeps the light
// client's security (at least one correct validator signed), as in
// CometBFT and ibc-go.
var DefaultTrustLevel = TrustLevel{Numerator: 1, Denominator: 3}

func (t TrustLevel) fraction() cmtmath.Fraction {
	return cmtmath.Fraction{Numerator: t.Numerator, Denominator: t.Denominator}
}

// ClientState is what a chain keeps about one counterparty chain, as
// 07-tendermint's ClientState without proof specs (vsys proves against
// one IAVL tree) and upgrade path. Heights are plain CometBFT heights:
// ibc-go's Height{RevisionNumber, RevisionHeight} with revision 0.
type ClientState struct {
	ChainID    string
	TrustLevel TrustLevel
	// TrustingPeriod is how long a verified header stays trusted: a
	// client whose latest consensus state is this old is expired.
	TrustingPeriod time.Duration
	// UnbondingPeriod is the counterparty's unbonding period; the
	// trusting period must be shorter, so a validator that signed a
	// header can still be punished for it.
	UnbondingPeriod time.Duration
	// MaxClockDrift is how far in the future (past the verifying
	// chain's block time) a header's time may be.
	MaxClockDrift time.Duration
	// LatestHeight is the highest height with a stored consensus state.
	LatestHeight uint64
	// FrozenHeight is 0 while the client is not frozen; once it saw
	// misbehaviour it is 1, as ibc-go's FrozenHeight{0, 1}.
	FrozenHeight uint64
}

// Validate checks the parameters ibc-go's ClientState.Validate checks,
// except the revision number (vsys heights have none) and proof specs.
func (cs ClientState) Validate() error {
	if strings.TrimSpace(cs.ChainID) == "" {
		return fmt.Errorf("%w: empty chain id", ErrBadClientState)
	}
	if len(cs.ChainID) > types.MaxChainIDLen {
		return fmt.Errorf("%w: chain id is %d bytes, the limit is %d", ErrBadClientState, len(cs.ChainID), types.MaxChainIDLen)
	}
	if err := light.ValidateTrustLevel(cs.TrustLevel.fraction()); err != nil {
		return fmt.Errorf("%w: %w", ErrBadClientState, err)
	}
	switch {
	case cs.TrustingPeriod <= 0:
		return fmt.Errorf("%w: trusting period %v is not positive", ErrBadClientState, cs.TrustingPeriod)
	case cs.UnbondingPeriod <= 0:
		return fmt.Errorf("%w: unbonding period %v is not positive", ErrBadClientState, cs.UnbondingPeriod)
	case cs.MaxClockDrift <= 0:
		return fmt.Errorf("%w: max clock drift %v is not positive", ErrBadClientState, cs.MaxClockDrift)
	case cs.TrustingPeriod >= cs.UnbondingPeriod:
		return fmt.Errorf("%w: trusting period %v is not below the unbonding period %v", ErrBadClientState, cs.TrustingPeriod, cs.UnbondingPeriod)
	case cs.LatestHeight == 0:
		return fmt.Errorf("%w: latest height is zero", ErrBadClientState)
	}
	return nil
}

// IsFrozen reports whether the client saw misbehaviour.
func (cs ClientState) IsFrozen() bool { return cs.FrozenHeight != 0 }

// Freeze returns cs frozen, as ibc-go does on misbehaviour: nothing is
// verified with it again until a recovery (Recover).
func Freeze(cs ClientState) ClientState {
	cs.FrozenHeight = 1
	return cs
}

// ConsensusState is what the client keeps per verified height, as
// 07-tendermint's ConsensusState. Root is the header's AppHash: the
// counterparty's state after block height-1 (CometBFT puts the result of
// a block into the next header), so a proof made at store version v
// verifies against the consensus state of height v+1 (ProofHeight).
type ConsensusState struct {
	Timestamp          time.Time
	Root               []byte
	NextValidatorsHash []byte
}

// ValidateBasic checks what ibc-go's ConsensusState.ValidateBasic checks.
func (c ConsensusState) ValidateBasic() error {
	switch {
	case len(c.Root) == 0:
		return fmt.Errorf("%w: empty root", ErrBadConsensusState)
	case len(c.NextValidatorsHash) != 32:
		return fmt.Errorf("%w: next validators hash is %d bytes, not 32", ErrBadConsensusState, len(c.NextValidatorsHash))
	case c.Timestamp.UnixNano() <= 0:
		return fmt.Errorf("%w: timestamp %v is not after the Unix epoch", ErrBadConsensusState, c.Timestamp)
	}
	return nil
}

// Equal reports whether two consensus states are the same (the same
// instant, root and next validators hash).
func (c ConsensusState) Equal(o ConsensusState) bool {
	return c.Timestamp.Equal(o.Timestamp) && bytes.Equal(c.Root, o.Root) &&
		bytes.Equal(c.NextValidatorsHash, o.NextValidatorsHash)
}

// ProofHeight is the client height whose consensus state a proof made at
// the counterparty's store version verifies against: the next one, whose
// header carries that version's root as its AppHash.
func ProofHeight(version uint64) uint64 { return version + 1 }

// Status is a client's status, as ibc-go's exported.Status.
type Status uint8

// The statuses of a client.
const (
	// Active: updates, proofs and packets are accepted.
	Active Status = iota + 1
	// Expired: the latest consensus state is at least a trusting period
	// old; nothing is accepted until a recovery.
	Expired
	// Frozen: misbehaviour was proven; nothing is accepted until a
	// recovery.
	Frozen
)

// String is the status's name, as ibc-go spells it.
func (s Status) String() string {
	switch s {
	case Active:
		return "Active"
	case Expired:
		return "Expired"
	case Frozen:
		return "Frozen"
	}
	return fmt.Sprintf("Status(%d)", uint8(s))
}

// ClientStatus returns the status of a client whose consensus state at
// its latest height is latest, at block time now: Frozen if it saw
// misbehaviour, Expired if latest.Timestamp + TrustingPeriod <= now,
// else Active (ibc-go's ClientState.status).
func ClientStatus(cs ClientState, latest ConsensusState, now time.Time) Status {
	if cs.IsFrozen() {
		return Frozen
	}
	if !ExpiresAt(cs, latest).After(now) {
		return Expired
	}
	return Active
}

// ExpiresAt is when a client whose latest consensus state is latest
// expires unless it is updated: latest.Timestamp + TrustingPeriod, the
// horizon a relayer refreshes the client before (ClientStatus is Expired
// from this instant on).
func ExpiresAt(cs ClientState, latest ConsensusState) time.Time {
	return latest.Timestamp.Add(cs.TrustingPeriod)
}

// checkActive returns ErrFrozen or ErrExpired unless the client is active.
func checkActive(cs ClientState, latest ConsensusState, now time.Time) error {
	switch ClientStatus(cs, latest, now) {
	case Frozen:
		return fmt.Errorf("%w: client of %s", ErrFrozen, cs.ChainID)
	case Expired:
		return fmt.Errorf("%w: client of %s, latest consensus state at %v, trusting period %v, now %v",
			ErrExpired, cs.ChainID, latest.Timestamp, cs.TrustingPeriod, now)
	}
	return nil
}

// ValidateNew checks a client being created from an initial consensus
// state (the relayer's trusted header at cs.LatestHeight): sane
// parameters, a well-formed consensus state, not frozen, and not already
// expired at now.
func ValidateNew(cs ClientState, initial ConsensusState, now time.Time) error {
	if err := cs.Validate(); err != nil {
		return err
	}
	if cs.IsFrozen() {
		return fmt.Errorf("%w: a new client cannot be frozen", ErrBadClientState)
	}
	if err := initial.ValidateBasic(); err != nil {
		return err
	}
	return checkActive(cs, initial, now)
}

// consensusWire is ConsensusState's canonical encoding: the timestamp as
// i64 Unix nanoseconds (CometBFT times are nanosecond-precise).
type consensusWire struct {
	TimestampNanos     int64
	Root               []byte
	NextValidatorsHash []byte
}

// EncodeClientState is the canonical binary encoding of cs (core/codec):
// its fields in order, durations as i64 nanoseconds.
func EncodeClientState(cs ClientState) []byte {
	b, err := codec.Marshal(cs)
	if err != nil {
		// Every field is of a codec type, so this cannot happen; keep
		// the error visible rather than panicking.
		return nil
	}
	return b
}

// DecodeClientState decodes EncodeClientState's bytes.
func DecodeClientState(b []byte) (ClientState, error) {
	var cs ClientState
	if err := codec.Unmarshal(b, &cs); err != nil {
		return ClientState{}, fmt.Errorf("%w: decode: %w", ErrBadClientState, err)
	}
	return cs, nil
}

// EncodeConsensusState is the canonical binary encoding of c (core/codec).
func EncodeConsensusState(c ConsensusState) []byte {
	b, err := codec.Marshal(consensusWire{TimestampNanos: c.Timestamp.UnixNano(), Root: c.Root, NextValidatorsHash: c.NextValidatorsHash})
	if err != nil {
		return nil
	}
	return b
}

// DecodeConsensusState decodes EncodeConsensusState's bytes; the
// timestamp comes back in UTC.
func DecodeConsensusState(b []byte) (ConsensusState, error) {
	var w consensusWire
	if err := codec.Unmarshal(b, &w); err != nil {
		return ConsensusState{}, fmt.Errorf("%w: decode: %w", ErrBadConsensusState, err)
	}
	return ConsensusState{Timestamp: time.Unix(0, w.TimestampNanos).UTC(), Root: w.Root, NextValidatorsHash: w.NextValidatorsHash}, nil
}
