// Package client is the Go client of a node's JSON-RPC: typed wrappers of
// the vsys_* methods, plus the sign-estimate-send-wait flow the CLI and
// the load generator use.
package client
