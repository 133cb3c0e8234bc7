package wasm

import (
	"bytes"
	"sort"
	"strings"
)

const (
	maxPages       = 65536
	pageSize       = 65536
	abiSection     = "vsys_abi"
	reservedPrefix = "__vsys_"
)

// Section ids.
const (
	secCustom    = 0
	secType      = 1
	secImport    = 2
	secFunction  = 3
	secTable     = 4
	secMemory    = 5
	secGlobal    = 6
	secExport    = 7
	secStart     = 8
	secElement   = 9
	secCode      = 10
	secData      = 11
	secDataCount = 12
)

// sectionOrder gives the position of each known non-custom section id.
var sectionOrder = map[byte]int{
	secType: 1, secImport: 2, secFunction: 3, secTable: 4, secMemory: 5, secGlobal: 6,
	secExport: 7, secStart: 8, secElement: 9, secDataCount: 10, secCode: 11, secData: 12,
}

var sectionNames = map[byte]string{
	secCustom: "custom section", secType: "type section", secImport: "import section",
	secFunction: "function section", secTable: "table section", secMemory: "memory section",
	secGlobal: "global section", secExport: "export section", secStart: "start section",
	secElement: "element section", secCode: "code section", secData: "data section",
	secDataCount: "data count section",
}

// section is one section of the module: the id byte is at start, the
// payload is code[payload:end].
type section struct {
	id      byte
	start   int
	payload int
	end     int
}

// body is one function body: code[start:end] is the whole body after its
// size, code[instrs:end] its instructions; code[groupsEnd:instrs] are its
// local declarations after their count.
type body struct {
	start, instrs, end int
	groups, groupsEnd  int    // count of local declarations and where they start
	nlocals            uint32 // params and locals: the index of a local the instrumenter adds
	charges            []charge
	calls              []span
	bulks              []int  // offsets of memory.copy and memory.fill, charged by length
	blocks             uint64 // metered-block boundaries plus br_table targets
	brTargets          uint64 // br_table targets
	instrCount         uint64 // instructions, the final end included
}

// charge is a metered block: its charge goes before code offset pos.
type charge struct {
	pos  int
	cost uint64
}

// span is the byte range of one call or call_indirect instruction.
type span struct{ start, end int }

type export struct {
	name string
	kind byte
	idx  uint32
}

// module is what parsing found; enough to re-encode the module.
type module struct {
	code      []byte
	sections  []section
	types     []FuncType
	funcs     []uint32 // type index of every function, imports first
	imported  int      // imported functions
	imports   []string // imported names
	globalMut []bool
	hasTable  bool
	tableMin  uint32
	memories  int
	memMin    uint32
	exports   []export
	exportOf  map[uint32]string // function index -> first export name
	bodies    []body
	blockWork uint64 // sum over the bodies of blocks times instructions
	brTargets uint64 // br_table targets of all bodies
	abi       []byte
	hasABI    bool
	dataCount int // -1 when there is no data count section
	dataSegs  int
	hasCode   bool
	hasFuncs  bool
}

// parseOptions relax checks for re-parsing instrumented output.
type parseOptions struct {
	// instrumented accepts the reserved exports and lifts the size limits
	// that instrumentation may push a module over.
	instrumented bool
}

// parse decodes and validates a whole module.
func parse(code []byte, s *Schedule, opt parseOptions) (*module, error) {
	r := &reader{b: code, end: len(code), fn: -1}
	if !opt.instrumented && len(code) > int(s.MaxCodeBytes) {
		return nil, r.errAt(0, "module is %d bytes, more than max_code_bytes %d", len(code), s.MaxCodeBytes)
	}
	if len(code) < 8 || !bytes.Equal(code[:4], []byte("\x00asm")) {
		return nil, r.errAt(0, "not a wasm module (bad magic)")
	}
	if !bytes.Equal(code[4:8], []byte{1, 0, 0, 0}) {
		return nil, r.errAt(4, "unsupported wasm version")
	}
	r.pos = 8
	m := &module{code: code, exportOf: map[uint32]string{}, dataCount: -1}
	last := 0
	for r.pos < r.end {
		start := r.pos
		r.section = ""
		id, _ := r.byte()
		size, err := r.u32()
		if err != nil {
			return nil, err
		}
		if int64(size) > int64(r.remaining()) {
			return nil, r.errAt(start, "section size %d exceeds the %d bytes left", size, r.remaining())
		}
		sec := section{id: id, start: start, payload: r.pos, end: r.pos + int(size)}
		name, known := sectionNames[id]
		if !known {
			return nil, r.errAt(start, "unknown section id %d", id)
		}
		if id != secCustom {
			ord := sectionOrder[id]
			if ord <= last {
				return nil, r.errAt(start, "%s out of order or duplicated", name)
			}
			last = ord
		}
		sr := &reader{b: code, pos: sec.payload, end: sec.end, section: name, fn: -1}
		if err := m.parseSection(sr, id, s, opt); err != nil {
			return nil, err
		}
		if sr.pos != sr.end {
			return nil, sr.errAt(sr.pos, "%d unread bytes at the end of the section", sr.end-sr.pos)
		}
		m.sections = append(m.sections, sec)
		r.pos = sec.end
	}
	r.section = ""
	if m.hasFuncs != m.hasCode && len(m.funcs) > m.imported {
		return nil, r.errAt(len(code), "function and code sections disagree")
	}
	if m.dataCount >= 0 && m.dataCount != m.dataSegs {
		return nil, r.errAt(len(code), "data count %d but %d data segments", m.dataCount, m.dataSegs)
	}
	if m.memories != 1 {
		return nil, r.errAt(len(code), "module must define exactly one memory, found %d", m.memories)
	}
	memExported := false
	for _, e := range m.exports {
		if e.kind == 2 {
			memExported = true
		}
	}
	if !memExported {
		return nil, r.errAt(len(code), "memory must be exported as \"memory\"")
	}
	if !m.hasABI {
		return nil, r.errAt(len(code), "missing %q custom section", abiSection)
	}
	return m, nil
}

func (m *module) parseSection(r *reader, id byte, s *Schedule, opt parseOptions) error {
	switch id {
	case secCustom:
		return m.parseCustom(r)
	case secType:
		return m.parseTypes(r)
	case secImport:
		return m.parseImports(r)
	case secFunction:
		return m.parseFunctions(r, s)
	case secTable:
		return m.parseTables(r, s)
	case secMemory:
		return m.parseMemories(r, s)
	case secGlobal:
		return m.parseGlobals(r)
	case secExport:
		return m.parseExports(r, opt)
	case secStart:
		return r.errAt(r.pos, "start function not allowed")
	case secElement:
		return m.parseElements(r)
	case secDataCount:
		n, err := r.u32()
		if err != nil {
			return err
		}
		m.dataCount = int(n)
		return nil
	case secCode:
		return m.parseCode(r, s, opt)
	case secData:
		return m.parseData(r, s)
	}
	return r.errAt(r.pos, "unknown section")
}

func (m *module) parseCustom(r *reader) error {
	start := r.pos
	name, err := r.name()
	if err != nil {
		return err
	}
	if name == abiSection {
		if m.hasABI {
			return r.errAt(start, "duplicate %q custom section", abiSection)
		}
		m.hasABI = true
		m.abi = append([]byte{}, r.b[r.pos:r.end]...)
	}
	r.pos = r.end
	return nil
}

func (r *reader) valType() (ValType, error) {
	off := r.pos
	c, err := r.byte()
	if err != nil {
		return 0, err
	}
	switch ValType(c) {
	case I32, I64:
		return ValType(c), nil
	case 0x7D, 0x7C:
		return 0, r.errAt(off, "float type %s not allowed", ValType(c))
	}
	return 0, r.errAt(off, "value type %s not allowed", ValType(c))
}

func (r *reader) valTypes() ([]ValType, error) {
	n, err := r.count(1)
	if err != nil {
		return nil, err
	}
	ts := make([]ValType, n)
	for i := range ts {
		if ts[i], err = r.valType(); err != nil {
			return nil, err
		}
	}
	return ts, nil
}

func (m *module) parseTypes(r *reader) error {
	n, err := r.count(3)
	if err != nil {
		return err
	}
	m.types = make([]FuncType, 0, n)
	for range n {
		off := r.pos
		c, err := r.byte()
		if err != nil {
			return err
		}
		if c != 0x60 {
			return r.errAt(off, "type form 0x%s is not a function type", hex2(c))
		}
		p, err := r.valTypes()
		if err != nil {
			return err
		}
		res, err := r.valTypes()
		if err != nil {
			return err
		}
		m.types = append(m.types, FuncType{Params: p, Results: res})
	}
	return nil
}

func (m *module) typeIndex(r *reader) (uint32, error) {
	off := r.pos
	t, err := r.u32()
	if err != nil {
		return 0, err
	}
	if int(t) >= len(m.types) {
		return 0, r.errAt(off, "type index %d out of range", t)
	}
	return t, nil
}

func (m *module) parseImports(r *reader) error {
	n, err := r.count(4)
	if err != nil {
		return err
	}
	for range n {
		off := r.pos
		mod, err := r.name()
		if err != nil {
			return err
		}
		name, err := r.name()
		if err != nil {
			return err
		}
		kind, err := r.byte()
		if err != nil {
			return err
		}
		if kind != 0 {
			what := map[byte]string{1: "table", 2: "memory", 3: "global"}[kind]
			if what == "" {
				what = "kind 0x" + hex2(kind)
			}
			return r.errAt(off, "import %q.%q: imported %s not allowed", mod, name, what)
		}
		if mod != HostModule {
			return r.errAt(off, "import %q.%q: unknown import module %q (only %q)", mod, name, mod, HostModule)
		}
		want, ok := hostSig(name)
		if !ok {
			return r.errAt(off, "unknown import %q", name)
		}
		t, err := m.typeIndex(r)
		if err != nil {
			return err
		}
		if !m.types[t].Equal(want) {
			return r.errAt(off, "import %q has type %s, want %s", name, m.types[t], want)
		}
		m.funcs = append(m.funcs, t)
		m.imports = append(m.imports, name)
	}
	m.imported = len(m.funcs)
	return nil
}

func (m *module) parseFunctions(r *reader, s *Schedule) error {
	m.hasFuncs = true
	n, err := r.count(1)
	if err != nil {
		return err
	}
	if uint64(n)+uint64(m.imported) > uint64(s.MaxFunctions) {
		return r.errAt(r.pos, "%d functions, more than max_functions %d", n+m.imported, s.MaxFunctions)
	}
	for range n {
		t, err := m.typeIndex(r)
		if err != nil {
			return err
		}
		m.funcs = append(m.funcs, t)
	}
	return nil
}

// limits reads memory or table limits: flags 0 (min) or 1 (min, max).
func (r *reader) limits(bound uint32) (uint32, error) {
	off := r.pos
	flags, err := r.byte()
	if err != nil {
		return 0, err
	}
	if flags > 1 {
		return 0, r.errAt(off, "limits flags 0x%s not allowed (shared or 64-bit)", hex2(flags))
	}
	min, err := r.u32()
	if err != nil {
		return 0, err
	}
	if flags == 1 {
		max, err := r.u32()
		if err != nil {
			return 0, err
		}
		if max < min {
			return 0, r.errAt(off, "maximum %d below minimum %d", max, min)
		}
		if max > bound {
			return 0, r.errAt(off, "maximum %d above %d", max, bound)
		}
	}
	return min, nil
}

func (m *module) parseTables(r *reader, s *Schedule) error {
	n, err := r.count(3)
	if err != nil {
		return err
	}
	for range n {
		off := r.pos
		if m.hasTable {
			return r.errAt(off, "more than one table")
		}
		et, err := r.byte()
		if err != nil {
			return err
		}
		if et != 0x70 {
			return r.errAt(off, "table element type %s not allowed (funcref only)", ValType(et))
		}
		min, err := r.limits(^uint32(0))
		if err != nil {
			return err
		}
		if min > s.MaxFunctions {
			return r.errAt(off, "table size %d above max_functions %d", min, s.MaxFunctions)
		}
		m.hasTable, m.tableMin = true, min
	}
	return nil
}

func (m *module) parseMemories(r *reader, s *Schedule) error {
	n, err := r.count(2)
	if err != nil {
		return err
	}
	for range n {
		off := r.pos
		if m.memories > 0 {
			return r.errAt(off, "more than one memory")
		}
		min, err := r.limits(maxPages)
		if err != nil {
			return err
		}
		if min > s.MaxMemoryPages {
			return r.errAt(off, "memory of %d pages, more than max_memory_pages %d", min, s.MaxMemoryPages)
		}
		if min == 0 {
			// The metering's branchless trap loads at address 0 (instrument.go).
			return r.errAt(off, "memory of 0 pages, at least 1 required")
		}
		m.memories++
		m.memMin = min
	}
	return nil
}

// constExpr reads a constant expression: one t.const and end.
func (r *reader) constExpr(t ValType) (int64, error) {
	off := r.pos
	op, err := r.byte()
	if err != nil {
		return 0, err
	}
	var v int64
	switch {
	case op == opI32Const && t == I32:
		v, err = r.sleb(32)
	case op == opI64Const && t == I64:
		v, err = r.sleb(64)
	default:
		return 0, r.errAt(off, "constant expression must be a single %s.const, found %s", t, opName(op))
	}
	if err != nil {
		return 0, err
	}
	endOff := r.pos
	if c, err := r.byte(); err != nil || c != opEnd {
		return 0, r.errAt(endOff, "constant expression must end after one instruction")
	}
	return v, nil
}

func (m *module) parseGlobals(r *reader) error {
	n, err := r.count(4)
	if err != nil {
		return err
	}
	for range n {
		t, err := r.valType()
		if err != nil {
			return err
		}
		off := r.pos
		mut, err := r.byte()
		if err != nil {
			return err
		}
		if mut > 1 {
			return r.errAt(off, "bad global mutability 0x%s", hex2(mut))
		}
		if _, err := r.constExpr(t); err != nil {
			return err
		}
		m.globalMut = append(m.globalMut, mut == 1)
	}
	return nil
}

func (m *module) parseExports(r *reader, opt parseOptions) error {
	n, err := r.count(3)
	if err != nil {
		return err
	}
	seen := make(map[string]bool, n)
	for range n {
		off := r.pos
		name, err := r.name()
		if err != nil {
			return err
		}
		if seen[name] {
			return r.errAt(off, "duplicate export %q", name)
		}
		seen[name] = true
		if strings.HasPrefix(name, reservedPrefix) && !opt.instrumented {
			return r.errAt(off, "export %q uses the reserved prefix %q", name, reservedPrefix)
		}
		kind, err := r.byte()
		if err != nil {
			return err
		}
		idx, err := r.u32()
		if err != nil {
			return err
		}
		switch kind {
		case 0:
			if int(idx) >= len(m.funcs) {
				return r.errAt(off, "export %q: function index %d out of range", name, idx)
			}
			if t := m.types[m.funcs[idx]]; len(t.Params) != 0 || len(t.Results) != 0 {
				return r.errAt(off, "exported function %q has type %s, want [] -> []", name, t)
			}
			if _, ok := m.exportOf[idx]; !ok {
				m.exportOf[idx] = name
			}
		case 1:
			if !m.hasTable || idx != 0 {
				return r.errAt(off, "export %q: table index %d out of range", name, idx)
			}
		case 2:
			if m.memories == 0 || idx != 0 {
				return r.errAt(off, "export %q: memory index %d out of range", name, idx)
			}
			if name != "memory" {
				return r.errAt(off, "memory exported as %q, must be \"memory\"", name)
			}
		case 3:
			if int(idx) >= len(m.globalMut) {
				return r.errAt(off, "export %q: global index %d out of range", name, idx)
			}
		default:
			return r.errAt(off, "export %q: kind 0x%s not allowed", name, hex2(kind))
		}
		if name == "memory" && kind != 2 {
			return r.errAt(off, "export \"memory\" must be the memory")
		}
		m.exports = append(m.exports, export{name: name, kind: kind, idx: idx})
	}
	return nil
}

func (m *module) parseElements(r *reader) error {
	n, err := r.count(4)
	if err != nil {
		return err
	}
	for range n {
		off := r.pos
		flags, err := r.u32()
		if err != nil {
			return err
		}
		if flags != 0 {
			return r.errAt(off, "element segment kind %d not allowed (active funcref segments only)", flags)
		}
		if !m.hasTable {
			return r.errAt(off, "element segment without a table")
		}
		at, err := r.constExpr(I32)
		if err != nil {
			return err
		}
		cnt, err := r.count(1)
		if err != nil {
			return err
		}
		if uint64(uint32(at))+uint64(cnt) > uint64(m.tableMin) {
			return r.errAt(off, "element segment [%d, +%d) outside the table of %d", uint32(at), cnt, m.tableMin)
		}
		for range cnt {
			foff := r.pos
			f, err := r.u32()
			if err != nil {
				return err
			}
			if int(f) >= len(m.funcs) {
				return r.errAt(foff, "function index %d out of range", f)
			}
		}
	}
	return nil
}

func (m *module) parseData(r *reader, s *Schedule) error {
	n, err := r.count(3)
	if err != nil {
		return err
	}
	m.dataSegs = n
	for range n {
		off := r.pos
		flags, err := r.u32()
		if err != nil {
			return err
		}
		switch flags {
		case 0:
		case 2:
			if mi, err := r.u32(); err != nil {
				return err
			} else if mi != 0 {
				return r.errAt(off, "memory index %d out of range", mi)
			}
		default:
			return r.errAt(off, "data segment kind %d not allowed (active segments only)", flags)
		}
		if m.memories == 0 {
			return r.errAt(off, "data segment without a memory")
		}
		at, err := r.constExpr(I32)
		if err != nil {
			return err
		}
		size, err := r.u32()
		if err != nil {
			return err
		}
		if size > s.MaxDataSegmentBytes {
			return r.errAt(off, "data segment of %d bytes, more than max_data_segment_bytes %d", size, s.MaxDataSegmentBytes)
		}
		if _, err := r.bytes(int(size)); err != nil {
			return err
		}
		if uint64(uint32(at))+uint64(size) > uint64(m.memMin)*pageSize {
			return r.errAt(off, "data segment [%d, +%d) outside the initial memory", uint32(at), size)
		}
	}
	return nil
}

func (m *module) parseCode(r *reader, s *Schedule, opt parseOptions) error {
	m.hasCode = true
	n, err := r.count(2)
	if err != nil {
		return err
	}
	if n != len(m.funcs)-m.imported {
		return r.errAt(r.pos, "%d function bodies for %d functions", n, len(m.funcs)-m.imported)
	}
	m.bodies = make([]body, 0, n)
	for i := range n {
		off := r.pos
		size, err := r.u32()
		if err != nil {
			return err
		}
		if int64(size) > int64(r.remaining()) {
			return r.errAt(off, "body size %d exceeds the %d bytes left", size, r.remaining())
		}
		fn := m.imported + i
		br := &reader{b: r.b, pos: r.pos, end: r.pos + int(size), section: r.section, fn: fn, export: m.exportOf[uint32(fn)]}
		b, err := m.parseBody(br, fn, s, opt)
		if err != nil {
			return err
		}
		m.brTargets += b.brTargets
		// Both counts are below the module's size: no overflow.
		m.blockWork += b.blocks * b.instrCount
		if m.blockWork > s.MaxBlockWork {
			return br.errAt(b.instrs, "block work (blocks times instructions, summed over functions) reaches %d here, more than max_block_work %d", m.blockWork, s.MaxBlockWork)
		}
		m.bodies = append(m.bodies, b)
		r.pos = br.end
	}
	return nil
}

// result turns the parse into the public summary.
func (m *module) result() *Module {
	mod := &Module{ABI: m.abi, Functions: len(m.funcs) - m.imported, MemoryPages: m.memMin, BlockWork: m.blockWork, BrTableTargets: m.brTargets}
	mod.Exports = []string{}
	for _, e := range m.exports {
		if e.kind == 0 {
			mod.Exports = append(mod.Exports, e.name)
		}
	}
	sort.Strings(mod.Exports)
	seen := map[string]bool{}
	mod.Imports = []string{}
	for _, name := range m.imports {
		if !seen[name] {
			seen[name] = true
			mod.Imports = append(mod.Imports, name)
		}
	}
	sort.Strings(mod.Imports)
	return mod
}
