package keys

import (
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"regexp"

	"github.com/vsys/vsys/core/address"
)

// The on-disk form of a key and the file operations under it.

// keyFile is the on-disk form of a key: public data in clear, the seed
// either in clear (test backend) or encrypted (file backend).
type keyFile struct {
	Name    string          `json:"name"`
	Address address.Address `json:"address"`
	PubKey  hexBytes        `json:"pubkey"`
	Seed    hexBytes        `json:"seed,omitempty"`
	Crypto  *sealed         `json:"crypto,omitempty"`
}

func (f *keyFile) key() Key {
	return Key{Name: f.Name, Address: f.Address, PubKey: ed25519.PublicKey(f.PubKey)}
}

var nameRE = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9._-]{0,63}$`)

func checkName(name string) error {
	if !nameRE.MatchString(name) {
		return fmt.Errorf("%w %q: want 1 to 64 of [a-zA-Z0-9._-], starting with a letter or digit", ErrInvalidName, name)
	}
	return nil
}

func parseKeyFile(path, name string, b []byte) (*keyFile, error) {
	var f keyFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("key file %s: %w", path, err)
	}
	switch {
	case f.Name != name:
		return nil, fmt.Errorf("key file %s: holds key %q", path, f.Name)
	case len(f.PubKey) != ed25519.PublicKeySize:
		return nil, fmt.Errorf("key file %s: pubkey is %d bytes, want %d", path, len(f.PubKey), ed25519.PublicKeySize)
	case f.Address != address.FromPubKey(ed25519.PublicKey(f.PubKey)):
		return nil, fmt.Errorf("key file %s: address does not match pubkey", path)
	case (f.Seed == nil) == (f.Crypto == nil):
		return nil, fmt.Errorf("key file %s: want exactly one of seed and crypto", path)
	}
	return &f, nil
}

func checkSeed(seed, pub []byte) error {
	if len(seed) != ed25519.SeedSize {
		return fmt.Errorf("seed is %d bytes, want %d", len(seed), ed25519.SeedSize)
	}
	got := ed25519.NewKeyFromSeed(seed).Public().(ed25519.PublicKey)
	if !got.Equal(ed25519.PublicKey(pub)) {
		return errors.New("seed does not match the stored pubkey")
	}
	return nil
}

// writeAtomic writes data to path with mode 0600 via a temporary file in
// dir and a rename.
func writeAtomic(dir, path string, data []byte) (err error) {
	tmp, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return fmt.Errorf("write key file: %w", err)
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	if err = tmp.Chmod(0o600); err != nil {
		return fmt.Errorf("write key file: %w", err)
	}
	if _, err = tmp.Write(data); err != nil {
		return fmt.Errorf("write key file: %w", err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("write key file: %w", err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("write key file: %w", err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write key file: %w", err)
	}
	if d, derr := os.Open(dir); derr == nil {
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
}

func wipe(b []byte) {
	for i := range b {
		b[i] = 0
	}
}
