// Package address owns vsys account and contract addresses: 20 raw bytes,
// shown to people as checksummed bech32 strings with the prefix "vsys".
//
// An account address is the first 20 bytes of sha256 of its ed25519 public
// key. Native modules live at reserved addresses whose first 19 bytes are
// zero (see Module), so that they can never collide with a key-derived or
// contract-derived address in practice and are easy to recognise.
package address
