// Package dirsize measures the bytes under a directory, with a bound on
// the entries it visits. The node's disk quota (node) and the cloud's
// usage report (cloud/usage) both measure with it, so they agree.
package dirsize
