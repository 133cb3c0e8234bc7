// Package nodekit starts real vsys nodes for tests above the node layer
// (the RPC server's, the Go client's): a home on loopback ports from the
// test kit, fast blocks, no Prometheus and no address book, the node
// started in-process and stopped when the test ends, and the dev key
// that genesis funds. The node package's own tests cannot import it (it
// imports node) and keep their copy of the same settings.
package nodekit
