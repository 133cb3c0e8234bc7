// Package server serves the vsys_* JSON-RPC 2.0 methods of a node over
// the protocol layer in rpc/jsonrpc, registering them from rpc.Methods,
// the one table of their names. Every method reads committed state
// (never the block being executed) or goes through CometBFT's mempool, so
// RPC load cannot race block execution. docs/rpc.md lists the methods.
//
// The handlers are grouped by what they answer from: chain.go (CometBFT's
// blocks, txs and mempool), contract.go (ABIs, calls, estimates, code),
// account.go (accounts, bills, prices) and db.go (the database module's
// tables).
package server
