package keys

import (
	"crypto/cipher"
	"crypto/rand"
	"fmt"

	"golang.org/x/crypto/chacha20poly1305"
	"golang.org/x/crypto/scrypt"
)

// scryptN is the scrypt cost used for new encryptions. Tests lower it.
var scryptN = 1 << 15

const (
	kdfScrypt     = "scrypt"
	cipherXChaCha = "xchacha20-poly1305"
	scryptR       = 8
	scryptP       = 1
	saltSize      = 16
	// maxScryptN bounds the cost read from a file or an export so that a
	// crafted input cannot make decryption take unbounded memory.
	maxScryptN = 1 << 20
)

// sealed is an encrypted seed and the parameters to decrypt it.
type sealed struct {
	KDF        string   `json:"kdf"`
	N          int      `json:"n"`
	R          int      `json:"r"`
	P          int      `json:"p"`
	Salt       hexBytes `json:"salt"`
	Cipher     string   `json:"cipher"`
	Nonce      hexBytes `json:"nonce"`
	Ciphertext hexBytes `json:"ciphertext"`
}

// seal encrypts seed under passphrase with scrypt cost n, binding ad
// (the public key) as additional data.
func seal(seed []byte, passphrase string, ad []byte, n int) (*sealed, error) {
	s := &sealed{KDF: kdfScrypt, N: n, R: scryptR, P: scryptP, Cipher: cipherXChaCha,
		Salt: make(hexBytes, saltSize), Nonce: make(hexBytes, chacha20poly1305.NonceSizeX)}
	if _, err := rand.Read(s.Salt); err != nil {
		return nil, fmt.Errorf("encrypt seed: %w", err)
	}
	if _, err := rand.Read(s.Nonce); err != nil {
		return nil, fmt.Errorf("encrypt seed: %w", err)
	}
	aead, err := s.aead(passphrase)
	if err != nil {
		return nil, fmt.Errorf("encrypt seed: %w", err)
	}
	s.Ciphertext = aead.Seal(nil, s.Nonce, seed, ad)
	return s, nil
}

// open decrypts the seed; a failed authentication gives ErrBadPassphrase.
func (s *sealed) open(passphrase string, ad []byte) ([]byte, error) {
	if err := s.check(); err != nil {
		return nil, fmt.Errorf("decrypt seed: %w", err)
	}
	aead, err := s.aead(passphrase)
	if err != nil {
		return nil, fmt.Errorf("decrypt seed: %w", err)
	}
	seed, err := aead.Open(nil, s.Nonce, s.Ciphertext, ad)
	if err != nil {
		return nil, ErrBadPassphrase
	}
	return seed, nil
}

func (s *sealed) check() error {
	switch {
	case s.KDF != kdfScrypt:
		return fmt.Errorf("unsupported kdf %q", s.KDF)
	case s.Cipher != cipherXChaCha:
		return fmt.Errorf("unsupported cipher %q", s.Cipher)
	case s.N < 2 || s.N > maxScryptN || s.N&(s.N-1) != 0:
		return fmt.Errorf("scrypt n=%d: want a power of two up to %d", s.N, maxScryptN)
	case s.R < 1 || s.R > 32 || s.P < 1 || s.P > 16:
		return fmt.Errorf("scrypt r=%d p=%d out of range", s.R, s.P)
	case len(s.Salt) < 8:
		return fmt.Errorf("salt is %d bytes, want at least 8", len(s.Salt))
	case len(s.Nonce) != chacha20poly1305.NonceSizeX:
		return fmt.Errorf("nonce is %d bytes, want %d", len(s.Nonce), chacha20poly1305.NonceSizeX)
	}
	return nil
}

func (s *sealed) aead(passphrase string) (cipher.AEAD, error) {
	dk, err := scrypt.Key([]byte(passphrase), s.Salt, s.N, s.R, s.P, chacha20poly1305.KeySize)
	if err != nil {
		return nil, fmt.Errorf("scrypt: %w", err)
	}
	defer wipe(dk)
	return chacha20poly1305.NewX(dk)
}
