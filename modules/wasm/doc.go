// Package wasm is the wasm module: the WASM contract lifecycle (upload,
// instantiate, migrate, update_admin, code_info, contract_info) as native
// methods, and the router's resolver that turns a contract address into a
// router.Contract backed by the vm. Contracts are then called at their own
// address through the one call path, exactly like native modules.
package wasm
