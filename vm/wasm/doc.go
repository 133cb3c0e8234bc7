// Package wasm parses, validates and instruments the WebAssembly modules that
// users upload as smart contracts. It is pure byte manipulation: it never
// compiles or runs code (the vm package does that on wazero).
//
// Validate checks a module against the rules of docs/vm.md ("What an
// uploaded module must be"): WebAssembly 1.0 plus sign-extension,
// multi-value, mutable-global export and memory.copy/memory.fill only; no
// floating point anywhere; imports only from the "vsys" host API (HostAPI)
// with exact signatures; exactly one memory exported as "memory"; no start
// function; no "__vsys_*" exports; a "vsys_abi" custom section; and the
// size and compile-cost limits of a Schedule (nesting, br_table targets,
// blocks per function, block work). Every rejection wraps ErrInvalid and says where
// (function index, export name, code offset) and why.
//
// Instrument validates and then rewrites the module for deterministic
// metering: three mutable globals (gas, depth, trap) are appended to the
// global index space and exported as ExportGas, ExportDepth and ExportTrap;
// every metered block of every function is charged in full when it starts;
// every memory.copy and memory.fill is charged by its length before it
// runs; every call and call_indirect is wrapped with a call-depth check.
// The checks have no branches (a trap flag and an out-of-bounds load), so
// metering adds no basic blocks for the engine to compile. Each function
// body gains one i32 local when it has a bulk op. All other
// sections, custom sections included, are copied byte for byte, so no
// existing index moves.
//
// Validation checks structure, indices, branch depths, alignments, limits
// and the feature set, but not operand-stack typing: the VM compiles every
// accepted module with wazero, whose validator refuses ill-typed code.
// Instrumentation preserves typing (injected sequences are stack-neutral), so
// the instrumented module compiles whenever the original does.
//
// Parsing never trusts a count or a size in the input further than the
// bytes that remain: nothing is allocated in proportion to an untrusted
// number larger than the input itself.
package wasm
