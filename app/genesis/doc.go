// Package genesis owns the app's part of a chain's genesis: the native
// coin, the initial allocation and the chain parameters (gas costs and
// limits). It is the "app_state" of CometBFT's genesis.json.
package genesis
