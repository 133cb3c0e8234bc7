package address

import (
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"

	"github.com/btcsuite/btcd/btcutil/bech32"
)

// Len is the length of an address in bytes.
const Len = 20

// Prefix is the bech32 human-readable part of every vsys address.
const Prefix = "vsys"

// ErrInvalid is returned for strings and byte slices that are not addresses.
var ErrInvalid = errors.New("invalid address")

// Address is a 20-byte account or contract address.
type Address [Len]byte

// Zero is the all-zero address; it is never a valid sender.
var Zero Address

// FromPubKey derives the account address of an ed25519 public key.
func FromPubKey(pub ed25519.PublicKey) Address {
	sum := sha256.Sum256(pub)
	var a Address
	copy(a[:], sum[:Len])
	return a
}

// Derive makes a deterministic address from a domain tag and data, for
// contracts and module-owned accounts. The tag keeps domains apart.
func Derive(tag string, data ...[]byte) Address {
	h := sha256.New()
	h.Write([]byte(tag))
	h.Write([]byte{0})
	for _, d := range data {
		h.Write(d)
	}
	var a Address
	copy(a[:], h.Sum(nil)[:Len])
	return a
}

// Module returns the reserved address of the native module with index n
// (1 = token, 2 = wasm, 3 = database; 0xF0 = the fee collector): nineteen
// zero bytes followed by n.
func Module(n byte) Address {
	var a Address
	a[Len-1] = n
	return a
}

// IsModule reports whether a is a reserved native-module address.
func (a Address) IsModule() bool {
	for _, b := range a[:Len-1] {
		if b != 0 {
			return false
		}
	}
	return a[Len-1] != 0
}

// FromBytes copies a 20-byte slice into an Address.
func FromBytes(b []byte) (Address, error) {
	var a Address
	if len(b) != Len {
		return a, fmt.Errorf("%w: %d bytes, want %d", ErrInvalid, len(b), Len)
	}
	copy(a[:], b)
	return a, nil
}

// String returns the bech32 form, e.g. "vsys1...".
func (a Address) String() string {
	conv, err := bech32.ConvertBits(a[:], 8, 5, true)
	if err != nil { // cannot happen for 20 bytes
		return fmt.Sprintf("vsys-invalid-%x", a[:])
	}
	s, err := bech32.Encode(Prefix, conv)
	if err != nil {
		return fmt.Sprintf("vsys-invalid-%x", a[:])
	}
	return s
}

// Parse decodes a bech32 address with the vsys prefix, checking its checksum.
func Parse(s string) (Address, error) {
	var a Address
	if s != strings.ToLower(s) && s != strings.ToUpper(s) {
		return a, fmt.Errorf("%w %q: mixed case", ErrInvalid, s)
	}
	hrp, data, err := bech32.Decode(s)
	if err != nil {
		return a, fmt.Errorf("%w %q: %v", ErrInvalid, s, err)
	}
	if hrp != Prefix {
		return a, fmt.Errorf("%w %q: prefix %q, want %q", ErrInvalid, s, hrp, Prefix)
	}
	raw, err := bech32.ConvertBits(data, 5, 8, false)
	if err != nil {
		return a, fmt.Errorf("%w %q: %v", ErrInvalid, s, err)
	}
	return FromBytes(raw)
}

// MarshalText implements encoding.TextMarshaler (JSON uses the bech32 form).
func (a Address) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (a *Address) UnmarshalText(b []byte) error {
	p, err := Parse(string(b))
	if err != nil {
		return err
	}
	*a = p
	return nil
}
