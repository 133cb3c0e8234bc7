package testkit

import (
	"crypto/ed25519"
	"crypto/sha256"

	"github.com/vsys/vsys/core/address"
)

// Key is a deterministic ed25519 key: the seed is sha256 of n. Tests of
// every layer name their accounts by these numbers, so the same account
// has the same address everywhere.
func Key(n byte) ed25519.PrivateKey {
	seed := sha256.Sum256([]byte{n})
	return ed25519.NewKeyFromSeed(seed[:])
}

// Addr is the account address of k.
func Addr(k ed25519.PrivateKey) address.Address {
	return address.FromPubKey(k.Public().(ed25519.PublicKey))
}
