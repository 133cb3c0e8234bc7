// Package native builds native contracts from typed Go functions: each
// method's argument and result types become the contract's ABI, and
// arguments and results are decoded and encoded with the canonical codec,
// so a native module speaks exactly the ABI a WASM contract would.
package native
