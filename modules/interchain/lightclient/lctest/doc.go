// Package lctest makes real signed CometBFT headers for tests of the
// light client, the interchain module and the e2e tests: validators with
// real ed25519 keys (deterministic, from a seed, so goldens stay put),
// headers at chosen heights, times, app hashes and validator-set changes,
// and commits of real precommit votes signed by any subset of them — the
// way a misbehaving validator set would sign two conflicting blocks.
//
// It is test support: nothing in the state machine imports it.
package lctest
