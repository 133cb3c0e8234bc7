// Package layers holds the test that keeps the folder tree the dependency
// graph (docs/architecture.md): which top-level folder may import which,
// and what the Go client may drag in. It has no code of its own; the
// rules are in layers_test.go.
package layers
