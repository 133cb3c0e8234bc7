package database

// The order-preserving key encoding lives in package layout (a leaf
// package, so that clients verifying proofs compute keys with the same
// code); these forward to it.

import (
	"fmt"

	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/dblayout"
)

// Keyable reports whether values of t may form a primary key: bool, the
// integers, u128, string, bytes and address.
func Keyable(t *codec.Type) bool { return dblayout.Keyable(t) }

// Indexable reports whether values of t may be a secondary index column or
// be range-compared in a filter: a keyable type or option<keyable>.
func Indexable(t *codec.Type) bool { return dblayout.Indexable(t) }

// AppendKey appends to dst the order-preserving key encoding of value,
// which must be exactly one canonical value of the indexable type t.
func AppendKey(dst []byte, t *codec.Type, value []byte) ([]byte, error) {
	if !Indexable(t) {
		return dst, fmt.Errorf("%w: type %s has no key encoding", ErrSchema, t)
	}
	return dblayout.AppendKey(dst, t, value)
}

// keyLen returns the length of the key-encoded value of t at the start of b.
func keyLen(t *codec.Type, b []byte) (int, error) { return dblayout.KeyLen(t, b) }

// splitValues reads one canonical value of each of ts, in order, from b,
// which must hold exactly those values, and returns each value's bytes
// (aliasing b).
func splitValues(b []byte, ts []*codec.Type) ([][]byte, error) { return dblayout.SplitValues(b, ts) }

// appendKey reads one canonical value of t from r and appends its key
// encoding; callers check r.Err().
func appendKey(dst []byte, r *codec.Reader, t *codec.Type) []byte {
	return dblayout.AppendKeyFrom(dst, r, t)
}
