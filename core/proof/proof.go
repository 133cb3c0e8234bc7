package proof

import (
	"errors"
	"fmt"

	ics23 "github.com/cosmos/ics23/go"
)

// ErrProof is returned when a proof does not verify.
var ErrProof = errors.New("proof does not verify")

// Verify checks p against root: that key holds value, or with a nil value
// that key is absent. It needs nothing but the root, so a client that
// trusts an app hash can check any value a node sends it.
func Verify(root []byte, p *ics23.CommitmentProof, key, value []byte) error {
	ok := false
	if value != nil {
		ok = ics23.VerifyMembership(ics23.IavlSpec, root, p, key, value)
	} else {
		ok = ics23.VerifyNonMembership(ics23.IavlSpec, root, p, key)
	}
	if !ok {
		return fmt.Errorf("%w: key %x against root %x", ErrProof, key, root)
	}
	return nil
}
