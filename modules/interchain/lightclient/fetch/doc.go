// Package fetch builds light-client input from a live CometBFT node: the
// Header of an update (signed header and validators at one height, the
// trusted validators at the trusted height + 1) and the consensus state a
// new client starts from, read from the node's CometBFT RPC (/commit and
// /validators, through CometBFT's light provider).
//
// The relayer uses it; the state machine never does. It is a package of
// its own so that CometBFT's RPC client stays out of the interchain
// module's import graph (lightclient imports no network code).
package fetch
