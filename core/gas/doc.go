// Package gas owns gas accounting: the per-tx Meter and the Costs table,
// a chain parameter whose hash keys anything derived from it (such as
// instrumented code), so that a change of prices can never run stale code.
package gas
