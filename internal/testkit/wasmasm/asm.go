package wasmasm

import (
	"fmt"
	"strings"

	"github.com/vsys/vsys/vm/wasm"
)

// Header is the module preamble: the magic and version 1.
const Header = "\x00asm\x01\x00\x00\x00"

// Func is one defined function.
type Func struct {
	Params, Results []wasm.ValType
	Locals          []wasm.ValType // one declaration group per entry
	Body            []byte         // instructions, without the final end
	// Export, when set, exports the function under this name and lists
	// it in the ABI as a method ([] -> [] only).
	Export string
	// Args and Result are the method's ABI types ("struct{}" when empty);
	// ReadOnly and Doc are its flag and description.
	Args, Result string
	ReadOnly     bool
	Doc          string
}

// Module is a module to assemble.
type Module struct {
	Name    string   // the ABI's name ("gen" when empty)
	Imports []string // host functions of the vsys API, by name
	Pages   uint32   // initial memory pages (no maximum)
	Funcs   []Func
	Table   bool // a funcref table holding every defined function, in order
	Events  []string
	Data    []Data
	Globals int // mutable i32 globals, initially 0
}

// Data is an active data segment of memory 0.
type Data struct {
	At    int32
	Bytes []byte
}

// hostType is the signature of the host function name: the one place the
// assembler reads the VM's host API.
func hostType(name string) (wasm.FuncType, bool) {
	h, ok := wasm.LookupHost(name)
	return h.Sig(), ok
}

// ULEB appends v in unsigned LEB128 (vm/wasm's encoder).
func ULEB(b []byte, v uint64) []byte { return wasm.AppendULEB(b, v) }

// SLEB appends v in signed LEB128 (vm/wasm's encoder).
func SLEB(b []byte, v int64) []byte { return wasm.AppendSLEB(b, v) }

// Vec is a vector: the count, then the items.
func Vec(items ...[]byte) []byte {
	b := ULEB(nil, uint64(len(items)))
	for _, it := range items {
		b = append(b, it...)
	}
	return b
}

// Name is a length-prefixed UTF-8 name.
func Name(s string) []byte { return append(ULEB(nil, uint64(len(s))), s...) }

// Section appends a section with its id and size.
func Section(out []byte, id byte, payload []byte) []byte {
	out = append(out, id)
	out = ULEB(out, uint64(len(payload)))
	return append(out, payload...)
}

// FuncTypeBytes is a function type's encoding.
func FuncTypeBytes(t wasm.FuncType) []byte {
	b := []byte{0x60}
	b = ULEB(b, uint64(len(t.Params)))
	for _, p := range t.Params {
		b = append(b, byte(p))
	}
	b = ULEB(b, uint64(len(t.Results)))
	for _, r := range t.Results {
		b = append(b, byte(r))
	}
	return b
}

func orEmpty(s string) string {
	if s == "" {
		return "struct{}"
	}
	return s
}

// Bytes assembles the module, with a vsys_abi section naming every export.
// An import that is not a host function panics: that is a mistake in the
// test that wrote the module, not a condition to handle.
func (m *Module) Bytes() []byte {
	var types [][]byte
	typeIdx := func(t wasm.FuncType) uint64 {
		ft := FuncTypeBytes(t)
		for i, x := range types {
			if string(x) == string(ft) {
				return uint64(i)
			}
		}
		types = append(types, ft)
		return uint64(len(types) - 1)
	}
	var imports, funcs, exports, bodies [][]byte
	for _, name := range m.Imports {
		t, ok := hostType(name)
		if !ok {
			panic(fmt.Sprintf("wasmasm: %q is not a host function", name))
		}
		imports = append(imports, append(append(append(Name("vsys"), Name(name)...), 0), ULEB(nil, typeIdx(t))...))
	}
	var methods []string
	for i, f := range m.Funcs {
		funcs = append(funcs, ULEB(nil, typeIdx(wasm.FuncType{Params: f.Params, Results: f.Results})))
		if f.Export != "" {
			exports = append(exports, append(append(Name(f.Export), 0), ULEB(nil, uint64(len(m.Imports)+i))...))
			doc := ""
			if f.Doc != "" {
				doc = fmt.Sprintf(`,"doc":%q`, f.Doc)
			}
			methods = append(methods, fmt.Sprintf(`{"name":%q,"args":%q,"result":%q,"readonly":%t%s}`,
				f.Export, orEmpty(f.Args), orEmpty(f.Result), f.ReadOnly, doc))
		}
		var locals [][]byte
		for _, l := range f.Locals {
			locals = append(locals, []byte{1, byte(l)})
		}
		body := append(Vec(locals...), f.Body...)
		body = append(body, 0x0B)
		bodies = append(bodies, append(ULEB(nil, uint64(len(body))), body...))
	}
	exports = append(exports, append(Name("memory"), 2, 0))
	var events []string
	for _, e := range m.Events {
		events = append(events, fmt.Sprintf(`{"name":%q,"type":"struct{data:bytes}"}`, e))
	}
	name := m.Name
	if name == "" {
		name = "gen"
	}
	abi := fmt.Sprintf(`{"name":%q,"methods":[%s],"events":[%s]}`, name, strings.Join(methods, ","), strings.Join(events, ","))

	out := []byte(Header)
	out = Section(out, 1, Vec(types...))
	if len(imports) > 0 {
		out = Section(out, 2, Vec(imports...))
	}
	out = Section(out, 3, Vec(funcs...))
	if m.Table {
		out = Section(out, 4, Vec(ULEB([]byte{0x70, 0}, uint64(len(m.Funcs)))))
	}
	out = Section(out, 5, Vec(ULEB([]byte{0}, uint64(m.Pages))))
	if m.Globals > 0 {
		var gs [][]byte
		for range m.Globals {
			gs = append(gs, []byte{0x7F, 1, 0x41, 0, 0x0B})
		}
		out = Section(out, 6, Vec(gs...))
	}
	out = Section(out, 7, Vec(exports...))
	if m.Table {
		var idx [][]byte
		for i := range m.Funcs {
			idx = append(idx, ULEB(nil, uint64(len(m.Imports)+i)))
		}
		out = Section(out, 9, Vec(append([]byte{0, 0x41, 0, 0x0B}, Vec(idx...)...)))
	}
	out = Section(out, 10, Vec(bodies...))
	if len(m.Data) > 0 {
		var segs [][]byte
		for _, d := range m.Data {
			seg := append(append([]byte{0}, I32Const(d.At)...), 0x0B)
			seg = ULEB(seg, uint64(len(d.Bytes)))
			segs = append(segs, append(seg, d.Bytes...))
		}
		out = Section(out, 11, Vec(segs...))
	}
	return Section(out, 0, append(Name("vsys_abi"), abi...))
}
