// Package lightclient is the on-chain light client of a counterparty
// CometBFT chain: the state a chain keeps about another chain (its client
// state and, per verified height, a consensus state) and the pure,
// deterministic checks that move it forward — create, update by a signed
// header, misbehaviour that freezes it, expiry by the trusting period,
// recovery from a substitute — and that prove the counterparty's state
// (ICS23 membership and non-membership against a verified app hash).
//
// It is modelled on ibc-go's 07-tendermint light client and verifies
// headers with CometBFT's own light package (light.Verify), exactly as
// 07-tendermint does. "Now" is always a parameter, the verifying chain's
// block time, never the wall clock, so every node reaches the same answer.
//
// The package is a leaf of the interchain module: it imports only core
// leaves and CometBFT's light and types packages, keeps no store and
// knows nothing of the router; the module (modules/interchain) stores
// what it returns. docs/interchain.md, section "Light client", is the
// specification.
package lightclient
