package wasm

import (
	"bytes"
	"sort"
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
