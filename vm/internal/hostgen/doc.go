// Command hostgen writes the files generated from the host API's one table
// (wasm.HostAPI, vm/wasm/hostapi.go): the VM's bindings (vm/host_gen.go),
// sdk-rust's imports (in sdk-rust/src/sys.rs), the finishing tool's list
// (contracts/tools/wasm-finish/src/host.rs) and the table of docs/vm.md.
// Run it as `go generate ./vm/...`; TestGeneratedFilesFresh fails while
// any of them differs from what it would write.
//
// It is internal to vm: nothing imports it.
package main
