// Package client is the Go client of a node's JSON-RPC: typed wrappers of
// the vsys_* methods, plus the sign-estimate-send-wait flow the CLI and
// the load generator use. Verifier checks proven rows without trusting the
// node: headers by CometBFT's light client from a trust root, row keys
// computed client-side (docs/proofs.md).
package client
