package wasmasm

import (
	"encoding/json"
	"testing"

	"github.com/vsys/vsys/vm/wasm"
)

// TestModuleValidates: a module using every part of the assembler (an
// import, locals, a table, globals, data, events, a read-only method)
// passes the chain's validator and instrumenter, and its ABI lists the
// exported methods as written.
func TestModuleValidates(t *testing.T) {
	m := Module{
		Name:    "kit",
		Imports: []string{"gas_left"},
		Pages:   1,
		Table:   true,
		Globals: 1,
		Events:  []string{"ev"},
		Data:    []Data{{At: 16, Bytes: []byte("hi")}},
		Funcs: []Func{
			{Export: "run", Locals: []wasm.ValType{wasm.I64}, Body: Cat(Call(0), LocalSet(0), GlobalGet(0), I32Const(1), []byte{0x6A}, GlobalSet(0))},
			{Export: "peek", ReadOnly: true, Args: "struct{n:u32}", Doc: "reads"},
		},
	}
	s := wasm.DefaultSchedule()
	_, mod, err := wasm.Instrument(m.Bytes(), &s)
	if err != nil {
		t.Fatalf("assembled module rejected: %v", err)
	}
	if got := mod.Exports; len(got) != 2 || got[0] != "peek" || got[1] != "run" {
		t.Fatalf("exports %q", got)
	}
	if mod.Functions != 2 || len(mod.Imports) != 1 || mod.MemoryPages != 1 {
		t.Fatalf("functions %d, imports %q, pages %d", mod.Functions, mod.Imports, mod.MemoryPages)
	}
	var abi struct {
		Name    string
		Methods []struct {
			Name, Args, Result, Doc string
			ReadOnly                bool
		}
	}
	if err := json.Unmarshal(mod.ABI, &abi); err != nil {
		t.Fatalf("ABI %s: %v", mod.ABI, err)
	}
	if abi.Name != "kit" || len(abi.Methods) != 2 || abi.Methods[1].Args != "struct{n:u32}" || !abi.Methods[1].ReadOnly ||
		abi.Methods[1].Doc != "reads" || abi.Methods[0].Result != "struct{}" {
		t.Fatalf("ABI %s", mod.ABI)
	}
	if got := ULEB(nil, 624485); string(got) != "\xe5\x8e\x26" {
		t.Fatalf("ULEB(624485) = %x", got)
	}
	if got := SLEB(nil, -123456); string(got) != "\xc0\xbb\x78" {
		t.Fatalf("SLEB(-123456) = %x", got)
	}
}

// TestUnknownImportPanics: naming a function the host does not offer is
// a mistake in the test that wrote the module, caught at assembly.
func TestUnknownImportPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("no panic for an unknown import")
		}
	}()
	m := Module{Imports: []string{"no_such_function"}}
	m.Bytes()
}
