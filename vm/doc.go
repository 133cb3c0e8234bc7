// Package vm runs WASM contracts on wazero's compiler engine: it compiles
// code that vm/wasm validated and instrumented, caches compiled modules by
// (code hash, schedule hash) in memory and on disk, instantiates a fresh
// instance per call, and implements the host API of docs/vm.md over a
// router.Context — the same context a native module gets.
package vm
