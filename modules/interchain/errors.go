package interchain

import "errors"

// Sentinel errors callers test for (each has a result code in app.Codes).
var (
	// ErrClientNotFound: no client has that id.
	ErrClientNotFound = errors.New("client not found")
	// ErrConsensusNotFound: the client has no consensus state at the
	// proof height (the relayer must update the client to it first).
	ErrConsensusNotFound = errors.New("consensus state not found at height")
	// ErrCounterpartyNotFound: the client has no registered counterparty.
	ErrCounterpartyNotFound = errors.New("counterparty not registered")
	// ErrCounterparty: a packet whose clients are not each other's
	// counterparties, a second registration, or a bad merkle prefix.
	ErrCounterparty = errors.New("invalid counterparty")
	// ErrUnauthorized: register_counterparty by anyone but the client's
	// creator, a recovery vote by a non-validator, or a payload sent from
	// a port that is not the caller's.
	ErrUnauthorized = errors.New("not authorized for this interchain action")
	// ErrTimeout: a send whose timeout has passed or is more than 24 h
	// ahead, a receive after the timeout, or a timeout before it.
	ErrTimeout = errors.New("invalid timeout")
	// ErrCommitmentMismatch: an ack or timeout for a packet that differs
	// from the one this chain committed under that sequence.
	ErrCommitmentMismatch = errors.New("packet does not match its commitment")
	// ErrClientNotActive: a send through a frozen or expired client.
	ErrClientNotActive = errors.New("client not active")
)
