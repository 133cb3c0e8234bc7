// Package relay is the interchain relayer: it carries packets between
// two vsys chains that run the interchain module, each reached by its
// vsys JSON-RPC (state, proofs, txs) and its CometBFT RPC (signed headers
// and validator sets for the light clients).
//
// The relayer keeps nothing about packets: every round derives its work
// from the two chains' state (pending commitments, receipts, acks), so a
// relayer killed at any point and started again loses nothing, and the
// chains' receipts make anything it sends twice a NOOP. It imports the
// interchain module's pure packages (packet, lightclient) and the Go RPC
// client, never the app, the node, the VM or the module itself; its
// wire.go mirrors the module's argument and result types, which a test
// checks against the module's ABI. docs/interchain.md ("Relayer") has
// the rules.
package relay
