// Package router is the one call path of vsys: every call — from a tx, from
// a native module, from a WASM contract — goes through Router.Call, which
// resolves the address to a Contract, checks the method and arguments
// against the contract's ABI, charges gas, moves attached funds, runs the
// contract on a revertible cache of state, and keeps its events only if it
// succeeds. Native modules and WASM contracts are both Contracts; callers
// cannot tell them apart.
package router
