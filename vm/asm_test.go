package vm_test

import (
	"fmt"
	"strings"

	"github.com/vsys/vsys/vm/wasm"
)

// A small WebAssembly assembler for tests and benchmarks that need modules
// no contract in contracts/ is: loops of one opcode class, hostile shapes.
// Function indices: the imports first (in the order given), then funcs.

// wfunc is one defined function.
type wfunc struct {
	params, results []wasm.ValType
	locals          []wasm.ValType // one declaration group per entry
	body            []byte         // instructions, without the final end
	export          string         // a method of the ABI when set ([] -> [] only)
}

// wmod is a module to assemble.
type wmod struct {
	imports []string // host functions of wasm.HostAPI
	pages   uint32
	funcs   []wfunc
	table   bool // a funcref table holding every defined function, in order
	events  []string
	data    []wdata
	globals int // mutable i32 globals, initially 0
}

// wdata is an active data segment.
type wdata struct {
	at    int32
	bytes []byte
}

func uleb(b []byte, v uint64) []byte {
	for {
		c := byte(v & 0x7F)
		v >>= 7
		if v == 0 {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}

func sleb(b []byte, v int64) []byte {
	for {
		c := byte(v & 0x7F)
		v >>= 7
		if (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0) {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}

func vec(items ...[]byte) []byte {
	b := uleb(nil, uint64(len(items)))
	for _, it := range items {
		b = append(b, it...)
	}
	return b
}

func wname(s string) []byte { return append(uleb(nil, uint64(len(s))), s...) }

func section(out []byte, id byte, payload []byte) []byte {
	out = append(out, id)
	out = uleb(out, uint64(len(payload)))
	return append(out, payload...)
}

func functype(t wasm.FuncType) []byte {
	b := []byte{0x60}
	b = uleb(b, uint64(len(t.Params)))
	for _, p := range t.Params {
		b = append(b, byte(p))
	}
	b = uleb(b, uint64(len(t.Results)))
	for _, r := range t.Results {
		b = append(b, byte(r))
	}
	return b
}

// bytes assembles the module, with a vsys_abi section naming every export.
func (m *wmod) bytes() []byte {
	var types [][]byte
	typeIdx := func(t wasm.FuncType) uint64 {
		ft := functype(t)
		for i, x := range types {
			if string(x) == string(ft) {
				return uint64(i)
			}
		}
		types = append(types, ft)
		return uint64(len(types) - 1)
	}
	var imports, funcs, exports, bodies [][]byte
	for _, name := range m.imports {
		imports = append(imports, append(append(append(wname("vsys"), wname(name)...), 0), uleb(nil, typeIdx(hostSig(name)))...))
	}
	var methods []string
	for i, f := range m.funcs {
		funcs = append(funcs, uleb(nil, typeIdx(wasm.FuncType{Params: f.params, Results: f.results})))
		if f.export != "" {
			exports = append(exports, append(append(wname(f.export), 0), uleb(nil, uint64(len(m.imports)+i))...))
			methods = append(methods, fmt.Sprintf(`{"name":%q,"args":"struct{}","result":"struct{}","readonly":false}`, f.export))
		}
		var locals [][]byte
		for _, l := range f.locals {
			locals = append(locals, []byte{1, byte(l)})
		}
		body := append(vec(locals...), f.body...)
		body = append(body, 0x0B)
		bodies = append(bodies, append(uleb(nil, uint64(len(body))), body...))
	}
	exports = append(exports, append(wname("memory"), 2, 0))
	var events []string
	for _, e := range m.events {
		events = append(events, fmt.Sprintf(`{"name":%q,"type":"struct{data:bytes}"}`, e))
	}
	abi := fmt.Sprintf(`{"name":"gen","methods":[%s],"events":[%s]}`, strings.Join(methods, ","), strings.Join(events, ","))

	out := []byte("\x00asm\x01\x00\x00\x00")
	out = section(out, 1, vec(types...))
	if len(imports) > 0 {
		out = section(out, 2, vec(imports...))
	}
	out = section(out, 3, vec(funcs...))
	if m.table {
		out = section(out, 4, vec(uleb([]byte{0x70, 0}, uint64(len(m.funcs)))))
	}
	out = section(out, 5, vec(uleb([]byte{0}, uint64(m.pages))))
	if m.globals > 0 {
		var gs [][]byte
		for range m.globals {
			gs = append(gs, []byte{0x7F, 1, 0x41, 0, 0x0B})
		}
		out = section(out, 6, vec(gs...))
	}
	out = section(out, 7, vec(exports...))
	if m.table {
		var idx [][]byte
		for i := range m.funcs {
			idx = append(idx, uleb(nil, uint64(len(m.imports)+i)))
		}
		out = section(out, 9, vec(append([]byte{0, 0x41, 0, 0x0B}, vec(idx...)...)))
	}
	out = section(out, 10, vec(bodies...))
	if len(m.data) > 0 {
		var segs [][]byte
		for _, d := range m.data {
			seg := append(append([]byte{0}, i32c(d.at)...), 0x0B)
			seg = uleb(seg, uint64(len(d.bytes)))
			segs = append(segs, append(seg, d.bytes...))
		}
		out = section(out, 11, vec(segs...))
	}
	return section(out, 0, append(wname("vsys_abi"), abi...))
}

// Instruction helpers.
func i32c(v int32) []byte       { return sleb([]byte{0x41}, int64(v)) }
func i64c(v int64) []byte       { return sleb([]byte{0x42}, v) }
func localGet(i uint32) []byte  { return uleb([]byte{0x20}, uint64(i)) }
func localSet(i uint32) []byte  { return uleb([]byte{0x21}, uint64(i)) }
func globalGet(i uint32) []byte { return uleb([]byte{0x23}, uint64(i)) }
func call(f uint32) []byte      { return uleb([]byte{0x10}, uint64(f)) }
func globalSet(i uint32) []byte { return uleb([]byte{0x24}, uint64(i)) }

func cat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

// forever is `loop body br 0 end`: only gas ends it.
func forever(body ...[]byte) []byte {
	return cat([]byte{0x03, 0x40}, cat(body...), []byte{0x0C, 0, 0x0B})
}

var memoryCopy = []byte{0xFC, 10, 0, 0}
var memoryFill = []byte{0xFC, 11, 0}

// hostSig is the signature of host function name (the zero signature for
// a name not in the API, which the validator then refuses).
func hostSig(name string) wasm.FuncType {
	h, _ := wasm.LookupHost(name)
	return h.Sig()
}
