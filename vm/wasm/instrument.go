package wasm

import "slices"

// Names of the exports the instrumenter adds, and the values of the trap
// global.
const (
	// ExportGas is the exported i64 global holding the gas left. The host
	// sets it before a call and reads it after.
	ExportGas = "__vsys_gas"
	// ExportDepth is the exported i32 global holding the current call depth.
	// A trap leaves it (and ExportTrap) as they were at the trap: the host
	// must reset both before each entry-point call.
	ExportDepth = "__vsys_depth"
	// ExportTrap is the exported i32 global saying why the instance trapped:
	// 0 none, TrapOutOfGas or TrapStackDepth.
	ExportTrap = "__vsys_trap"
	// TrapOutOfGas is the trap global's value when gas ran out.
	TrapOutOfGas = 1
	// TrapStackDepth is the trap global's value when a call would have
	// exceeded MaxStackDepth.
	TrapStackDepth = 2
)

// Module is what validation found in an uploaded module.
type Module struct {
	// ABI is the contents of the "vsys_abi" custom section (raw JSON, not
	// parsed here).
	ABI []byte
	// Exports are the exported function names, sorted.
	Exports []string
	// Imports are the imported host function names, sorted, without
	// duplicates.
	Imports []string
	// Functions is the number of functions defined in the module (imports
	// not counted).
	Functions int
	// MemoryPages is the memory's initial size in 64 KiB pages.
	MemoryPages uint32
	// BlockWork is the sum over functions of their blocks
	// (Schedule.MaxFunctionBlocks counts them) times their instructions:
	// what makes compiling a function superlinear.
	BlockWork uint64
	// BrTableTargets is the number of br_table targets, defaults included,
	// in all functions.
	BrTableTargets uint64
}

// Validate checks code against the module rules of docs/vm.md and the
// limits of s. A bad schedule returns an error wrapping ErrSchedule; every
// rejection of the module wraps ErrInvalid (as an *Error).
func Validate(code []byte, s *Schedule) (*Module, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	m, err := parse(code, s, parseOptions{})
	if err != nil {
		return nil, err
	}
	return m.result(), nil
}

// Instrument validates code against s and returns the instrumented module
// bytes plus what it found. The output is a pure function of code and s.
func Instrument(code []byte, s *Schedule) ([]byte, *Module, error) {
	if err := s.Validate(); err != nil {
		return nil, nil, err
	}
	m, err := parse(code, s, parseOptions{})
	if err != nil {
		return nil, nil, err
	}
	return m.instrument(s), m.result(), nil
}

func appendU32(b []byte, v uint32) []byte { return AppendULEB(b, uint64(v)) }

func appendS64(b []byte, v int64) []byte { return AppendSLEB(b, v) }

// appendSection appends a section with the given id and payload.
func appendSection(out []byte, id byte, payload []byte) []byte {
	out = append(out, id)
	out = appendU32(out, uint32(len(payload)))
	return append(out, payload...)
}

// instrumenter holds the indices and constants of the injected code.
type instrumenter struct {
	gas, depth, trap uint32
	maxDepth         uint32
	bulkKiB          uint64
	pre, post        []byte // call wrapper
}

// appendCharge appends a block's charge. It has no branch: a branch per
// metered block would double the basic blocks the engine compiles, and
// wazero's compile time grows with their square. Out of gas sets the trap
// global and loads 8 bytes at address 2^32-1, which is out of bounds in
// every memory; otherwise it loads at 0 (every module has a page):
//
//	global.get $gas  i64.const COST  i64.lt_u  global.set $trap
//	i32.const 0  global.get $trap  i32.sub  i64.load  drop
//	global.get $gas  i64.const COST  i64.sub  global.set $gas
func (in *instrumenter) appendCharge(b []byte, cost uint64) []byte {
	b = append(b, opGlobalGet)
	b = appendU32(b, in.gas)
	b = append(b, opI64Const)
	b = appendS64(b, int64(cost))
	b = append(b, opI64LtU)
	b = in.appendTrapIf(b)
	b = append(b, opGlobalGet)
	b = appendU32(b, in.gas)
	b = append(b, opI64Const)
	b = appendS64(b, int64(cost))
	b = append(b, opI64Sub, opGlobalSet)
	return appendU32(b, in.gas)
}

// appendTrapIf consumes the i32 on the stack, the trap code (0: none),
// stores it in the trap global and traps, without a branch, when it is
// not 0: the address 0-code is at least 2^32-2, and an 8-byte load there
// is out of bounds of any 32-bit memory.
func (in *instrumenter) appendTrapIf(b []byte) []byte {
	b = append(b, opGlobalSet)
	b = appendU32(b, in.trap)
	b = append(b, opI32Const, 0, opGlobalGet)
	b = appendU32(b, in.trap)
	return append(b, opI32Sub, opI64Load, 0, 0, opDrop)
}

func newInstrumenter(globals int, s *Schedule) *instrumenter {
	in := &instrumenter{gas: uint32(globals), depth: uint32(globals + 1), trap: uint32(globals + 2), maxDepth: s.MaxStackDepth, bulkKiB: s.BulkKiB}
	// depth++; trap (2) past the limit, branchless like appendCharge:
	//	global.get $depth  i32.const 1  i32.add  global.set $depth
	//	global.get $depth  i32.const MAX  i32.gt_u  i32.const 1  i32.shl  (trap if)
	b := []byte{opGlobalGet}
	b = appendU32(b, in.depth)
	b = append(b, opI32Const, 1, opI32Add, opGlobalSet)
	b = appendU32(b, in.depth)
	b = append(b, opGlobalGet)
	b = appendU32(b, in.depth)
	b = append(b, opI32Const)
	b = appendS64(b, int64(int32(in.maxDepth)))
	b = append(b, opI32GtU, opI32Const, 1, opI32Shl)
	in.pre = in.appendTrapIf(b)
	p := []byte{opGlobalGet}
	p = appendU32(p, in.depth)
	p = append(p, opI32Const, 1, opI32Sub, opGlobalSet)
	in.post = appendU32(p, in.depth)
	return in
}

// edit is one insertion the instrumenter makes in a body, at code offset
// pos: a block charge, a call wrapper (around code[pos:end]) or a bulk
// length charge. At the same offset a block charge comes first.
type edit struct {
	pos, end int
	kind     byte // editCharge, editCall or editBulk
	cost     uint64
}

const (
	editCharge = iota
	editCall
	editBulk
)

// body rewrites one function body (without its size prefix).
func (in *instrumenter) body(out []byte, code []byte, b *body) []byte {
	edits := make([]edit, 0, len(b.charges)+len(b.calls)+len(b.bulks))
	for _, c := range b.charges {
		edits = append(edits, edit{pos: c.pos, kind: editCharge, cost: c.cost})
	}
	for _, c := range b.calls {
		edits = append(edits, edit{pos: c.start, end: c.end, kind: editCall})
	}
	for _, p := range b.bulks {
		edits = append(edits, edit{pos: p, kind: editBulk})
	}
	slices.SortStableFunc(edits, func(x, y edit) int {
		if x.pos != y.pos {
			return x.pos - y.pos
		}
		return int(x.kind) - int(y.kind)
	})
	if len(b.bulks) > 0 {
		// One more i32 local holds the length of a bulk op while it is
		// charged; appending it moves no existing local index.
		out = appendU32(out, uint32(b.groups+1))
		out = append(out, code[b.groupsEnd:b.instrs]...)
		out = append(out, 1, byte(I32))
	} else {
		out = append(out, code[b.start:b.instrs]...)
	}
	cur := b.instrs
	for _, e := range edits {
		out = append(out, code[cur:e.pos]...)
		cur = e.pos
		switch e.kind {
		case editCharge:
			out = in.appendCharge(out, e.cost)
		case editCall:
			out = append(out, in.pre...)
			out = append(out, code[e.pos:e.end]...)
			out = append(out, in.post...)
			cur = e.end
		case editBulk:
			out = in.appendBulkCharge(out, b.nlocals)
		}
	}
	return append(out, code[cur:b.end]...)
}

// appendBulkCharge charges the length on top of the stack (the last
// operand of memory.copy and memory.fill) at bulkKiB gas per KiB, trapping
// out of gas before the op runs, and leaves the length where it was:
//
//	local.tee $n  i64.extend_i32_u  i64.const K  i64.mul  i64.const 10  i64.shr_u
//	global.get $gas  i64.gt_u  (trap if, as appendCharge)
//	global.get $gas  (the same cost from local.get $n)  i64.sub  global.set $gas
//	local.get $n
//
// length < 2^32 and K <= 2^32 (Schedule.Validate), so the product cannot
// overflow.
func (in *instrumenter) appendBulkCharge(b []byte, local uint32) []byte {
	cost := func(b []byte) []byte {
		b = append(b, opI64ExtendI32U, opI64Const)
		b = appendS64(b, int64(in.bulkKiB))
		return append(b, opI64Mul, opI64Const, 10, opI64ShrU)
	}
	b = append(b, opLocalTee)
	b = appendU32(b, local)
	b = cost(b)
	b = append(b, opGlobalGet)
	b = appendU32(b, in.gas)
	b = append(b, opI64GtU)
	b = in.appendTrapIf(b)
	b = append(b, opGlobalGet)
	b = appendU32(b, in.gas)
	b = append(b, opLocalGet)
	b = appendU32(b, local)
	b = cost(b)
	b = append(b, opI64Sub, opGlobalSet)
	b = appendU32(b, in.gas)
	b = append(b, opLocalGet)
	return appendU32(b, local)
}

// instrument re-encodes the parsed module with metering.
func (m *module) instrument(s *Schedule) []byte {
	code := m.code
	in := newInstrumenter(len(m.globalMut), s)
	out := make([]byte, 0, len(code)+len(code)/2+256)
	out = append(out, code[:8]...)

	newGlobals := []byte{byte(I64), 1, opI64Const, 0, opEnd, byte(I32), 1, opI32Const, 0, opEnd, byte(I32), 1, opI32Const, 0, opEnd}
	globalsDone := false
	globalSection := func() []byte {
		p := appendU32(nil, uint32(len(m.globalMut)+3))
		if i := slices.IndexFunc(m.sections, func(s section) bool { return s.id == secGlobal }); i >= 0 {
			r := &reader{b: code, pos: m.sections[i].payload, end: m.sections[i].end}
			_, _ = r.u32()
			p = append(p, code[r.pos:r.end]...)
		}
		return append(p, newGlobals...)
	}
	for _, sec := range m.sections {
		if !globalsDone && sec.id != secCustom && sectionOrder[sec.id] >= sectionOrder[secGlobal] {
			out = appendSection(out, secGlobal, globalSection())
			globalsDone = true
			if sec.id == secGlobal {
				continue
			}
		}
		switch sec.id {
		case secExport:
			r := &reader{b: code, pos: sec.payload, end: sec.end}
			n, _ := r.u32()
			p := appendU32(nil, n+3)
			p = append(p, code[r.pos:r.end]...)
			for i, name := range []string{ExportGas, ExportDepth, ExportTrap} {
				p = appendU32(p, uint32(len(name)))
				p = append(p, name...)
				p = append(p, 3)
				p = appendU32(p, in.gas+uint32(i))
			}
			out = appendSection(out, secExport, p)
		case secCode:
			p := appendU32(nil, uint32(len(m.bodies)))
			var fb []byte
			for i := range m.bodies {
				fb = in.body(fb[:0], code, &m.bodies[i])
				p = appendU32(p, uint32(len(fb)))
				p = append(p, fb...)
			}
			out = appendSection(out, secCode, p)
		default:
			out = append(out, code[sec.start:sec.end]...)
		}
	}
	if !globalsDone {
		// No section after the global section's place: append it last.
		out = appendSection(out, secGlobal, globalSection())
	}
	return out
}
