// Package wire holds the interchain module's method argument and result
// types: the module's ABI is built from them, and a relayer encodes its
// calls and decodes the queries' results with the same types, importing
// this package (codec and packet only) instead of the state machine.
package wire
