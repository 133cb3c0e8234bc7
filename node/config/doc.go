// Package config owns app.toml, the node-local settings of a vsys node:
// where its JSON-RPC listens, how often it makes blocks, how it logs and
// what it keeps. Nothing here may change what the state machine computes:
// chain rules live in genesis.
package config
