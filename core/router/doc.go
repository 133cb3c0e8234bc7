// Package router is the one call path of vsys: every call — from a tx, from
// a native module, from a WASM contract — goes through Router.Call, which
// resolves the address to a Contract, checks the method and arguments
// against the contract's ABI, charges gas, moves attached funds, runs the
// contract on a revertible cache of state, and keeps its events only if it
// succeeds. Native modules and WASM contracts are both Contracts; callers
// cannot tell them apart.
//
// A call sees its own store and nothing else of state. What a module may
// do beyond it is declared as small interfaces (interface.go): the token
// ledger (Ledger, Minter, opened by a Bank) and the billing hook (Biller),
// implemented by the modules that own that state and wired once, where the
// app builds the router.
package router
