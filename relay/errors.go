package relay

import (
	"errors"
	"fmt"
)

// Sentinel errors callers test for.
var (
	// ErrClientExpired: a client's latest header is older than its
	// trusting period; it takes no update until the chain's validators
	// recover it (recover_client), so the relayer stops instead of
	// retrying.
	ErrClientExpired = errors.New("client expired")
	// ErrClientFrozen: a client saw misbehaviour (two conflicting signed
	// headers); the same holds.
	ErrClientFrozen = errors.New("client frozen")
	// ErrClientStatus: a client reports a status the relayer does not know.
	ErrClientStatus = errors.New("client status unknown")
	// ErrNotConnected: the clients given are not each other's registered
	// counterparties.
	ErrNotConnected = errors.New("clients not connected")
)

// ClientError says which client stopped a path and why: Run returns it,
// and `vsysd relay start` exits with it.
type ClientError struct {
	Chain    string // the chain that holds the client
	ClientID string
	Status   string
	err      error
}

func (e *ClientError) Error() string {
	return fmt.Sprintf("%v: client %s on %s is %s: nothing can be proven to %s through it until its validators recover it (recover_client)",
		e.err, e.ClientID, e.Chain, e.Status, e.Chain)
}

// Unwrap returns the sentinel (ErrClientExpired, ErrClientFrozen).
func (e *ClientError) Unwrap() error { return e.err }
