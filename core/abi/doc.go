// Package abi describes what a contract offers its callers: methods with
// argument and result types, and the events it emits, all in the vsys type
// system. Native modules build theirs from Go types; WASM contracts carry
// theirs in a custom section. Callers (router, CLI, JSON-RPC) use it to
// check and translate arguments, results and events.
package abi
