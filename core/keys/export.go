package keys

import (
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/vsys/vsys/core/address"
)

// exportType identifies an exported key document.
const exportType = "vsys-key-export"

// exported is the JSON document produced by Export.
type exported struct {
	Type    string          `json:"type"`
	Version int             `json:"version"`
	Name    string          `json:"name"`
	Address address.Address `json:"address"`
	PubKey  hexBytes        `json:"pubkey"`
	Crypto  *sealed         `json:"crypto"`
}

// Export returns the key named name as a JSON document whose seed is
// encrypted under exportPassphrase (scrypt + XChaCha20-Poly1305). For the
// file backend it first asks for the key's own passphrase.
func (k *Keyring) Export(name, exportPassphrase string) (string, error) {
	if exportPassphrase == "" {
		return "", errors.New("export: empty export passphrase")
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	seed, f, err := k.seed(name)
	if err != nil {
		return "", err
	}
	defer wipe(seed)
	s, err := seal(seed, exportPassphrase, f.PubKey, scryptN)
	if err != nil {
		return "", fmt.Errorf("export: %w", err)
	}
	doc := exported{Type: exportType, Version: 1, Name: f.Name, Address: f.Address, PubKey: f.PubKey, Crypto: s}
	b, err := json.MarshalIndent(&doc, "", "  ")
	if err != nil {
		return "", fmt.Errorf("export: %w", err)
	}
	return string(b) + "\n", nil
}

// Import decrypts a document written by Export with exportPassphrase and
// stores it as a new key named name (the name inside the document is
// ignored). A wrong passphrase gives ErrBadPassphrase and writes nothing.
// For the file backend it asks for a new passphrase for the stored key.
func (k *Keyring) Import(name, armor, exportPassphrase string) (Key, error) {
	if err := checkName(name); err != nil {
		return Key{}, err
	}
	var doc exported
	dec := json.NewDecoder(strings.NewReader(armor))
	if err := dec.Decode(&doc); err != nil {
		return Key{}, fmt.Errorf("import: not an exported key: %w", err)
	}
	switch {
	case doc.Type != exportType:
		return Key{}, fmt.Errorf("import: not an exported key (type %q, want %q)", doc.Type, exportType)
	case doc.Version != 1:
		return Key{}, fmt.Errorf("import: unsupported export version %d", doc.Version)
	case doc.Crypto == nil:
		return Key{}, errors.New("import: missing crypto section")
	case len(doc.PubKey) != ed25519.PublicKeySize:
		return Key{}, fmt.Errorf("import: pubkey is %d bytes, want %d", len(doc.PubKey), ed25519.PublicKeySize)
	}
	// Fail fast on a taken name before the (slow) decryption; store
	// re-checks under the lock.
	k.mu.Lock()
	err := k.checkAbsent(name)
	k.mu.Unlock()
	if err != nil {
		return Key{}, err
	}
	seed, err := doc.Crypto.open(exportPassphrase, doc.PubKey)
	if err != nil {
		return Key{}, fmt.Errorf("import: %w", err)
	}
	defer wipe(seed)
	if err := checkSeed(seed, doc.PubKey); err != nil {
		return Key{}, fmt.Errorf("import: %w", err)
	}
	if address.FromPubKey(ed25519.PublicKey(doc.PubKey)) != doc.Address {
		return Key{}, errors.New("import: address does not match pubkey")
	}
	return k.store(name, seed)
}
