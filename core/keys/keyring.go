package keys

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/vsys/vsys/core/address"
)

// Keyring is a directory of keys. It is safe for concurrent use by
// multiple goroutines; it does not lock against other processes.
type Keyring struct {
	dir     string
	backend Backend
	pass    PassphraseFunc

	mu sync.Mutex
}

// Open opens (creating it with mode 0700 if needed) the keyring directory
// <home>/keyring-<backend>. pass supplies passphrases for the file backend;
// it may be nil, in which case operations that need a passphrase fail. The
// test backend never calls it.
func Open(home string, backend Backend, pass PassphraseFunc) (*Keyring, error) {
	if _, err := ParseBackend(string(backend)); err != nil {
		return nil, fmt.Errorf("open keyring: %w", err)
	}
	if home == "" {
		return nil, errors.New("open keyring: empty home directory")
	}
	dir := filepath.Join(home, "keyring-"+string(backend))
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("open keyring: %w", err)
	}
	return &Keyring{dir: dir, backend: backend, pass: pass}, nil
}

// notFound builds the NotFoundError for name, looking for it in the home's
// other keyrings (without creating their directories or reading secrets).
func (k *Keyring) notFound(name string) error {
	e := &NotFoundError{Name: name, Backend: k.backend, Dir: k.dir}
	home := filepath.Dir(k.dir)
	for _, b := range Backends {
		if b == k.backend {
			continue
		}
		if fi, err := os.Lstat(filepath.Join(home, "keyring-"+string(b), name+".json")); err == nil && fi.Mode().IsRegular() {
			e.Elsewhere = append(e.Elsewhere, b)
		}
	}
	return e
}

// Dir returns the keyring's directory.
func (k *Keyring) Dir() string { return k.dir }

// Backend returns the keyring's backend.
func (k *Keyring) Backend() Backend { return k.backend }

func (k *Keyring) path(name string) string { return filepath.Join(k.dir, name+".json") }

// Add creates a key named name from a fresh random seed. For the file
// backend it asks for a new passphrase (with confirmation).
func (k *Keyring) Add(name string) (Key, error) {
	seed := make([]byte, ed25519.SeedSize)
	if _, err := rand.Read(seed); err != nil {
		return Key{}, fmt.Errorf("add key: random seed: %w", err)
	}
	defer wipe(seed)
	return k.store(name, seed)
}

// ImportSeed stores a key named name from a 32-byte ed25519 seed. For the
// file backend it asks for a new passphrase (with confirmation).
func (k *Keyring) ImportSeed(name string, seed []byte) (Key, error) {
	if len(seed) != ed25519.SeedSize {
		return Key{}, fmt.Errorf("import seed: seed is %d bytes, want %d", len(seed), ed25519.SeedSize)
	}
	return k.store(name, seed)
}

// store writes a new key file for seed; it fails with ErrExists if name is
// taken.
func (k *Keyring) store(name string, seed []byte) (Key, error) {
	if err := checkName(name); err != nil {
		return Key{}, err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if err := k.checkAbsent(name); err != nil {
		return Key{}, err
	}
	pub := ed25519.NewKeyFromSeed(seed).Public().(ed25519.PublicKey)
	f := keyFile{Name: name, Address: address.FromPubKey(pub), PubKey: hexBytes(pub)}
	switch k.backend {
	case BackendTest:
		f.Seed = hexBytes(seed)
	case BackendFile:
		pw, err := k.passphrase(fmt.Sprintf("Enter a passphrase to encrypt key %q: ", name), true)
		if err != nil {
			return Key{}, err
		}
		if f.Crypto, err = seal(seed, pw, pub, scryptN); err != nil {
			return Key{}, err
		}
	}
	b, err := json.MarshalIndent(&f, "", "  ")
	if err != nil {
		return Key{}, fmt.Errorf("encode key file: %w", err)
	}
	if err := writeAtomic(k.dir, k.path(name), append(b, '\n')); err != nil {
		return Key{}, err
	}
	return f.key(), nil
}

func (k *Keyring) checkAbsent(name string) error {
	_, err := os.Lstat(k.path(name))
	switch {
	case err == nil:
		return ErrExists
	case errors.Is(err, fs.ErrNotExist):
		return nil
	default:
		return fmt.Errorf("check key file: %w", err)
	}
}

func (k *Keyring) passphrase(prompt string, confirm bool) (string, error) {
	if k.pass == nil {
		return "", errors.New("the file keyring needs a passphrase but no passphrase source is configured")
	}
	pw, err := k.pass(prompt, confirm)
	if err != nil {
		return "", fmt.Errorf("read passphrase: %w", err)
	}
	if pw == "" {
		return "", errors.New("empty passphrase")
	}
	return pw, nil
}

// load reads and validates the key file for name. The caller holds k.mu.
func (k *Keyring) load(name string) (*keyFile, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	p := k.path(name)
	b, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, k.notFound(name)
	}
	if err != nil {
		return nil, fmt.Errorf("read key file: %w", err)
	}
	return parseKeyFile(p, name, b)
}

// List returns all keys sorted by name. It never needs a passphrase.
func (k *Keyring) List() ([]Key, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	ents, err := os.ReadDir(k.dir)
	if err != nil {
		return nil, fmt.Errorf("list keys: %w", err)
	}
	out := []Key{}
	for _, e := range ents {
		name, ok := strings.CutSuffix(e.Name(), ".json")
		if !ok || !e.Type().IsRegular() || !nameRE.MatchString(name) {
			continue
		}
		f, err := k.load(name)
		if errors.Is(err, ErrNotFound) {
			continue // deleted meanwhile by another process
		}
		if err != nil {
			return nil, fmt.Errorf("list keys: %w", err)
		}
		out = append(out, f.key())
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Show returns the key named name, or ErrNotFound. It never needs a
// passphrase.
func (k *Keyring) Show(name string) (Key, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	f, err := k.load(name)
	if err != nil {
		return Key{}, err
	}
	return f.key(), nil
}

// Delete removes the key named name, or returns ErrNotFound.
func (k *Keyring) Delete(name string) error {
	if err := checkName(name); err != nil {
		return err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	err := os.Remove(k.path(name))
	if errors.Is(err, fs.ErrNotExist) {
		return k.notFound(name)
	}
	if err != nil {
		return fmt.Errorf("delete key: %w", err)
	}
	return nil
}

// Signer returns the private key named name. For the file backend it asks
// for the key's passphrase; a wrong one gives ErrBadPassphrase.
func (k *Keyring) Signer(name string) (ed25519.PrivateKey, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	seed, _, err := k.seed(name)
	if err != nil {
		return nil, err
	}
	defer wipe(seed)
	return ed25519.NewKeyFromSeed(seed), nil
}

// seed loads and, if needed, decrypts the seed of name, checking it against
// the stored public key. The caller holds k.mu.
func (k *Keyring) seed(name string) ([]byte, *keyFile, error) {
	f, err := k.load(name)
	if err != nil {
		return nil, nil, err
	}
	var seed []byte
	if f.Crypto != nil {
		pw, err := k.passphrase(fmt.Sprintf("Enter the passphrase of key %q: ", name), false)
		if err != nil {
			return nil, nil, err
		}
		if seed, err = f.Crypto.open(pw, f.PubKey); err != nil {
			return nil, nil, err
		}
	} else {
		seed = append([]byte(nil), f.Seed...)
	}
	if err := checkSeed(seed, f.PubKey); err != nil {
		wipe(seed)
		return nil, nil, fmt.Errorf("key file %s: %w", k.path(name), err)
	}
	return seed, f, nil
}
