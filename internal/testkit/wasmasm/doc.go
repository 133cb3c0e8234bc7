// Package wasmasm is a small WebAssembly assembler for tests and
// benchmarks that need modules no contract in contracts/ is: loops of one
// opcode class, exact memory shapes, hostile nesting, a contract that
// reads gas_left. It writes the binary format directly (no text format,
// no toolchain), with a vsys_abi custom section naming every export, so
// the module uploads and runs like a contract built with sdk-rust.
//
// Function indices follow the binary format: the imports first, in the
// order given, then the defined functions.
package wasmasm
