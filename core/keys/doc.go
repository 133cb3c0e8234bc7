// Package keys is a local keyring of ed25519 signing keys.
//
// A Keyring lives in <home>/keyring-<backend> and stores one JSON file per
// key, <name>.json, with mode 0600, written atomically. The name, address
// and public key are stored in clear so that listing and showing keys never
// needs a passphrase; only the 32-byte ed25519 seed is secret.
//
// Two backends exist:
//
//   - BackendFile encrypts each seed with a key derived from a passphrase by
//     scrypt and sealed with XChaCha20-Poly1305 (the public key is bound as
//     additional data). Adding a key and signing ask for the passphrase
//     through a PassphraseFunc.
//   - BackendTest stores the seed in clear (hex) and never prompts. It is
//     meant for development networks and tests only.
//
// Export produces a self-contained, passphrase-encrypted JSON document that
// Import reads back into any keyring, whatever its backend.
//
// Files: keys.go (the public types and errors), keyring.go (the Keyring's
// operations), keyfile.go (a key's file on disk), crypto.go (sealing a
// seed), export.go (the export format), passphrase.go (passphrase
// sources) and select.go (choosing the backend).
package keys
