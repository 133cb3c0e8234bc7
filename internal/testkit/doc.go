// Package testkit is the shared part of vsys's tests: free loopback ports
// that concurrent test processes do not collide on, the repository root
// and its committed contract artifacts, a real IAVL store in a temp dir,
// deterministic keys, and dumps of state that a failing test logs.
//
// It imports only the core/ leaves, so the tests of every layer can use
// it, including the internal tests of core, vm and modules packages. The
// harnesses of higher layers live in sub-packages beside it: wasmasm (a
// small WebAssembly assembler) and chain (an ABCI driver with keys,
// genesis, blocks and signing).
package testkit
