// Package codec owns the vsys type system and its two representations: the
// canonical binary encoding (little-endian fixed-width integers, u32
// length prefixes, one byte string per value) used in state, in txs and at
// the VM boundary, and the JSON mapping used by the CLI and JSON-RPC.
//
// Go values map onto types by reflection (TypeOfReflect, Marshal,
// Unmarshal); ABI-described values travel as bytes and are translated
// with FromJSON and ToJSON. docs/encoding.md is the specification.
package codec
