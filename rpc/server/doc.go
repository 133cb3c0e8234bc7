// Package rpc owns the dApp surface of a node: the vsys_* JSON-RPC 2.0
// methods, served over HTTP by the generic protocol layer in
// app/rpc/jsonrpc. Every method reads committed state (never the block
// being executed) or goes through CometBFT's mempool, so RPC load cannot
// race block execution. docs/rpc.md lists the methods.
package server
