// Package state is the cloud home on disk: cloud.toml (the control
// plane's settings), operator.token, and one directory per chain,
// chains/NAME/{home/, chain.json, node.log}.
//
// Every file the control plane rewrites while it runs is written
// atomically (a temp file in the same directory, fsync, rename), so a
// kill -9 at any moment leaves either the old record or the new one,
// never half of one. A chain being created lives in a directory whose
// name starts with "." until it is complete; Chains skips such
// directories and RemoveLeftovers deletes them.
package state
