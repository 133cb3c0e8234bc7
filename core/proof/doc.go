// Package proof checks ICS23 proofs of IAVL keys against an app hash. It
// is a leaf: the store (core/state) makes proofs, and a light client
// (rpc/client) checks them with this package alone, without the store.
package proof
