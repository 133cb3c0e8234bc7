// Package node owns a vsys node's home directory and its lifetime: Init
// writes a new chain's config, keys and genesis; Start runs CometBFT
// in-process over the app (or over CometBFT's kvstore example, the
// benchmark baseline) and serves JSON-RPC; Stop shuts both down cleanly.
//
// Home layout:
//
//	<home>/config/config.toml   CometBFT's settings
//	<home>/config/app.toml      vsys node-local settings
//	<home>/config/genesis.json  the chain (app_state: native coin, accounts, params)
//	<home>/config/priv_validator_key.json, node_key.json
//	<home>/data/                CometBFT's block store and state; vsys/state.db (the IAVL tree)
//	<home>/keyring-test/        keys of the test keyring (the dev account)
package node
