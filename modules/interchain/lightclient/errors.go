package lightclient

import "errors"

// Sentinel errors: every refusal wraps one of them, so the interchain
// module (and its tests) can tell why a client, header or proof was
// refused, and map it to a result code.
var (
	// ErrBadClientState is a client state that cannot be created:
	// empty or long chain id, a trust level outside [1/3, 1], periods
	// that are not positive or a trusting period not below unbonding.
	ErrBadClientState = errors.New("invalid client state")
	// ErrBadConsensusState is a consensus state with no root, a next
	// validators hash that is not 32 bytes, or no timestamp.
	ErrBadConsensusState = errors.New("invalid consensus state")
	// ErrBadHeader is a header that is malformed or does not verify:
	// bad encoding, a signed header whose commit does not match it, a
	// validator set that does not hash to the header's, a bad signature.
	ErrBadHeader = errors.New("invalid header")
	// ErrTooLarge is an encoded header, misbehaviour or proof over its
	// byte limit, or a validator set over MaxValidators.
	ErrTooLarge = errors.New("input too large")
	// ErrChainID is a header of another chain than the client's.
	ErrChainID = errors.New("header chain id does not match the client")
	// ErrHeight is a header at or below its trusted height, or a
	// trusted height of zero.
	ErrHeight = errors.New("invalid header height")
	// ErrTrustedValidators is a header whose trusted validators do not
	// hash to the trusted consensus state's next validators hash.
	ErrTrustedValidators = errors.New("trusted validators do not match the trusted consensus state")
	// ErrHeaderFuture is a header whose time is beyond now plus the
	// client's maximum clock drift.
	ErrHeaderFuture = errors.New("header time is in the future beyond the max clock drift")
	// ErrInsufficientPower is a header that too little voting power
	// signed: less than the trust level of the trusted validators (a
	// skipping update), or not more than 2/3 of its own validators.
	ErrInsufficientPower = errors.New("header signed by too little voting power")
	// ErrFrozen is any use of a frozen client (one that saw misbehaviour).
	ErrFrozen = errors.New("client is frozen")
	// ErrExpired is any use of a client whose latest consensus state is
	// older than the trusting period, or a header trusted from a
	// consensus state that is.
	ErrExpired = errors.New("client is expired")
	// ErrMisbehaviour is returned when a header contradicts what the
	// client already stores (a different consensus state at a height it
	// has, or time that is not monotonic): the caller must freeze the
	// client (Freeze) and store nothing from the header.
	ErrMisbehaviour = errors.New("misbehaviour detected")
	// ErrNotMisbehaviour is a submitted misbehaviour whose two headers
	// do not conflict, or that does not verify.
	ErrNotMisbehaviour = errors.New("not valid misbehaviour")
	// ErrProof is a membership or non-membership proof that does not
	// decode or does not verify against the consensus state's root.
	ErrProof = errors.New("invalid proof")
	// ErrSubstitute is a recovery whose substitute client does not match
	// the subject, is not active or is not ahead of it.
	ErrSubstitute = errors.New("invalid substitute client")
)
