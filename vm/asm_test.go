package vm_test

import "github.com/vsys/vsys/internal/testkit/wasmasm"

// The vm tests' WebAssembly assembler is the test kit's
// (internal/testkit/wasmasm); these are its short names here.
type (
	wmod  = wasmasm.Module
	wfunc = wasmasm.Func
	wdata = wasmasm.Data
)

var (
	uleb      = wasmasm.ULEB
	cat       = wasmasm.Cat
	forever   = wasmasm.Forever
	i32c      = wasmasm.I32Const
	i64c      = wasmasm.I64Const
	localGet  = wasmasm.LocalGet
	localSet  = wasmasm.LocalSet
	globalGet = wasmasm.GlobalGet
	globalSet = wasmasm.GlobalSet
	call      = wasmasm.Call

	memoryCopy = wasmasm.MemoryCopy()
	memoryFill = wasmasm.MemoryFill()
)
