// Package chain drives an ABCI application the way CometBFT does, for
// tests: InitChain with a genesis, then blocks of FinalizeBlock and
// Commit with the block times a real chain would have, txs signed by
// the kit's deterministic keys with nonces tracked per sender, and, when
// a test fails, a dump of the last block's results.
//
// It takes the application as an abci.Application, so it does not import
// app: the app package's own tests use it as well as the tests above it.
package chain
