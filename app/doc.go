// Package app is the vsys ABCI application: it decodes txs, runs the ante
// checks (signature, chain id, nonce, fee), executes each tx's calls
// through the router on a per-tx cache of state, charges gas, and commits
// one IAVL version per block. It also serves read-only calls and
// simulations at committed heights for JSON-RPC.
//
// Call path: cmd/vsysd → app/node (CometBFT) → App.FinalizeBlock →
// router.Call → modules/* or vm → app/state.
package app
