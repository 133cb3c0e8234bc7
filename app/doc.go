// Package app is the vsys ABCI application: it decodes txs, runs the ante
// checks (signature, chain id, nonce, fee), executes each tx's calls
// through the router on a per-tx cache of state, charges gas, and commits
// one IAVL version per block. It also serves read-only calls and
// simulations at committed heights for JSON-RPC.
//
// Call path: cmd/vsysd → node (CometBFT) → App.FinalizeBlock → execTx →
// router.Call → modules/* or vm → core/state.
//
// One file per job:
//
//   - abci.go: the ABCI adapter. Each abci.Application method translates
//     CometBFT's types and calls one of the functions below.
//   - app.go: the App, its node-local Options, and the router built from
//     the chain's params.
//   - initchain.go: genesis (InitChain) and the chain info read back at start.
//   - verify.go: decoding and signature verification, in parallel for a
//     block, and the cache of verified txs.
//   - ante.go: the checks before any call (chain id, gas price and limit,
//     nonce, fee balance), and the mempool's hold of the maximum fee.
//   - exec.go: execTx, the one path of a tx for FinalizeBlock and Simulate
//     alike: ante on a per-tx cache, the calls, the fee; execMode says what
//     a simulation does differently.
//   - mempool.go: CheckTx's policy (nonces that may wait, per sender bounds)
//     and Precheck, run by JSON-RPC outside ABCI's lock.
//   - proposal.go: the block rules PrepareProposal follows and
//     ProcessProposal checks.
//   - endblock.go: after a block's txs, fee distribution and validator updates.
//   - results.go, events.go: a tx result's data and events.
//   - commit.go: the commit and pruning of old versions.
//   - query.go: View, Call, Simulate and Account for JSON-RPC.
//   - errors.go: the result codes, by codespace (vsys and each module's).
//   - metrics.go: Prometheus metrics.
package app
