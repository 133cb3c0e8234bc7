package keys

import (
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/vsys/vsys/core/address"
)

// Backend selects how a Keyring protects its seeds.
type Backend string

const (
	// BackendFile encrypts every seed with a passphrase (scrypt +
	// XChaCha20-Poly1305).
	BackendFile Backend = "file"
	// BackendTest stores seeds unencrypted and never prompts. For
	// development and tests only.
	BackendTest Backend = "test"
)

// ParseBackend returns the Backend named s: "file" or "test".
func ParseBackend(s string) (Backend, error) {
	switch b := Backend(s); b {
	case BackendFile, BackendTest:
		return b, nil
	}
	return "", fmt.Errorf("unknown keyring backend %q: want %q or %q", s, BackendFile, BackendTest)
}

// Sentinel errors; match them with errors.Is.
var (
	// ErrNotFound means no key has the given name.
	ErrNotFound = errors.New("key not found")
	// ErrExists means a key with the given name already exists.
	ErrExists = errors.New("key already exists")
	// ErrBadPassphrase means a passphrase failed to decrypt a seed.
	ErrBadPassphrase = errors.New("wrong passphrase")
	// ErrInvalidName means a key name does not match the allowed pattern
	// (1 to 64 of [a-zA-Z0-9._-], starting with a letter or digit).
	ErrInvalidName = errors.New("invalid key name")
)

// PassphraseFunc obtains a passphrase. prompt describes what it is for;
// when confirm is true the passphrase is new and an interactive
// implementation should ask for it twice.
type PassphraseFunc func(prompt string, confirm bool) (string, error)

// Key is the public part of a keyring entry.
type Key struct {
	// Name is the key's name in the keyring.
	Name string `json:"name"`
	// Address is the account address derived from PubKey.
	Address address.Address `json:"address"`
	// PubKey is the ed25519 public key; it is hex-encoded in JSON.
	PubKey ed25519.PublicKey `json:"pubkey"`
}

// keyJSON is Key's JSON form.
type keyJSON struct {
	Name    string          `json:"name"`
	Address address.Address `json:"address"`
	PubKey  hexBytes        `json:"pubkey"`
}

// MarshalJSON encodes the key with its public key as a hex string.
func (k Key) MarshalJSON() ([]byte, error) {
	return json.Marshal(keyJSON{Name: k.Name, Address: k.Address, PubKey: hexBytes(k.PubKey)})
}

// UnmarshalJSON decodes the form written by MarshalJSON.
func (k *Key) UnmarshalJSON(b []byte) error {
	var j keyJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	if len(j.PubKey) != ed25519.PublicKeySize {
		return fmt.Errorf("key %q: pubkey is %d bytes, want %d", j.Name, len(j.PubKey), ed25519.PublicKeySize)
	}
	*k = Key{Name: j.Name, Address: j.Address, PubKey: ed25519.PublicKey(j.PubKey)}
	return nil
}

// hexBytes is a byte slice that is a hex string in JSON.
type hexBytes []byte

func (h hexBytes) MarshalText() ([]byte, error) {
	out := make([]byte, hex.EncodedLen(len(h)))
	hex.Encode(out, h)
	return out, nil
}

func (h *hexBytes) UnmarshalText(b []byte) error {
	out := make([]byte, hex.DecodedLen(len(b)))
	if _, err := hex.Decode(out, b); err != nil {
		return fmt.Errorf("bad hex: %w", err)
	}
	*h = out
	return nil
}

// NotFoundError is the error for a key name the keyring does not hold. It
// names the keyring it looked in and the other keyrings of the same home
// that do hold a key of that name: `--from dev` in the file keyring, when
// dev is in the test keyring, should say where dev is. It matches
// ErrNotFound with errors.Is.
type NotFoundError struct {
	Name    string
	Backend Backend
	Dir     string
	// Elsewhere are the home's other backends that hold a key named Name.
	Elsewhere []Backend
}

// Error names the key, the keyring searched and where the key does exist.
func (e *NotFoundError) Error() string {
	s := fmt.Sprintf("key %q not found in the %s keyring (%s)", e.Name, e.Backend, e.Dir)
	if len(e.Elsewhere) > 0 {
		names := make([]string, len(e.Elsewhere))
		for i, b := range e.Elsewhere {
			names[i] = string(b)
		}
		s += fmt.Sprintf("; a key %q exists in the %s keyring", e.Name, strings.Join(names, " and the "))
	}
	return s
}

// Unwrap makes errors.Is(err, ErrNotFound) hold.
func (e *NotFoundError) Unwrap() error { return ErrNotFound }
