package keys

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"

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
