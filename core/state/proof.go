package state

import (
	"fmt"

	ics23 "github.com/cosmos/ics23/go"
)

// Prove returns the value under key at version and an ICS23 proof of it
// against that version's root hash (the app hash of that height):
// membership if the key exists, non-membership if it does not.
func (s *Store) Prove(version int64, key []byte) (value []byte, proof *ics23.CommitmentProof, err error) {
	kv, err := s.At(version)
	if err != nil {
		return nil, nil, err
	}
	m := kv.(immutableKV)
	m.nodes.RLock()
	defer m.nodes.RUnlock()
	if value, err = m.t.Get(key); err != nil {
		return nil, nil, err
	}
	if value != nil {
		proof, err = m.t.GetMembershipProof(key)
	} else {
		proof, err = m.t.GetNonMembershipProof(key)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("prove %x at %d: %w", key, version, err)
	}
	return value, proof, nil
}
