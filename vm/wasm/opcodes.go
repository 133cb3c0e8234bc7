package wasm

// Opcodes the instrumenter emits or the validator treats specially.
const (
	opUnreachable   = 0x00
	opBlock         = 0x02
	opLoop          = 0x03
	opIf            = 0x04
	opElse          = 0x05
	opEnd           = 0x0B
	opBr            = 0x0C
	opBrIf          = 0x0D
	opBrTable       = 0x0E
	opReturn        = 0x0F
	opCall          = 0x10
	opCallIndirect  = 0x11
	opLocalGet      = 0x20
	opLocalTee      = 0x22
	opGlobalGet     = 0x23
	opDrop          = 0x1A
	opI64Load       = 0x29
	opI32Shl        = 0x74
	opGlobalSet     = 0x24
	opI32Const      = 0x41
	opI64Const      = 0x42
	opI32GtU        = 0x4B
	opI64LtU        = 0x54
	opI64GtU        = 0x56
	opI32Add        = 0x6A
	opI32Sub        = 0x6B
	opI64Sub        = 0x7D
	opI64Mul        = 0x7E
	opI64ShrU       = 0x88
	opI64ExtendI32U = 0xAD
	opMisc          = 0xFC
	blockEmpty      = 0x40
)

// opKind is how the validator reads an instruction: its immediates and
// what it does to the control stack. The zero value is an instruction vsys
// does not accept (a proposal outside docs/vm.md's feature set, or an
// opcode WebAssembly does not define).
type opKind uint8

const (
	kindUnsupported  opKind = iota
	kindPlain               // no immediates: nop, drop, select, the integer operators
	kindBlock               // block, loop, if: a block type; opens a frame
	kindElse                // else: switches the open if's frame
	kindEnd                 // end: closes a frame (the function's own, last)
	kindBranch              // br, br_if: one label
	kindBrTable             // br_table: a vector of labels and a default
	kindCall                // call: a function index
	kindCallIndirect        // call_indirect: a type index and a table index
	kindLocal               // local.get, local.set, local.tee: a local index
	kindGlobal              // global.get, global.set: a global index
	kindMemory              // loads and stores: alignment and offset
	kindMemoryIndex         // memory.size, memory.grow: a memory index (0)
	kindI32Const            // i32.const: a signed LEB128 of 32 bits
	kindI64Const            // i64.const: a signed LEB128 of 64 bits
	kindPrefixMisc          // 0xFC: a u32 sub-opcode (miscTable)
	kindMemoryCopy          // 0xFC 10 memory.copy: two memory indices (0 0)
	kindMemoryFill          // 0xFC 11 memory.fill: one memory index (0)
)

// gasClass is what an instruction costs: Schedule.Instr, plus one price of
// the schedule for the classes that have one.
type gasClass uint8

const (
	gasInstr gasClass = iota // Schedule.Instr only
	gasCall                  // plus Schedule.Call (call, call_indirect)
	gasGrow                  // plus Schedule.Grow (memory.grow)
	gasBulk                  // plus Schedule.Bulk, and BulkKiB by length at run time
)

// cost is the gas of one instruction of class g under s.
func (s *Schedule) cost(g gasClass) uint64 {
	switch g {
	case gasCall:
		return addSat(s.Instr, s.Call)
	case gasGrow:
		return addSat(s.Instr, s.Grow)
	case gasBulk:
		return addSat(s.Instr, s.Bulk)
	}
	return s.Instr
}

// opInfo is the one row of facts about an opcode that validation and
// metering read (the layout of go-ethereum's core/vm/jump_table.go).
type opInfo struct {
	name     string   // text format name, for messages ("" for an undefined opcode)
	kind     opKind   // how it is read; kindUnsupported: refused
	float    bool     // involves f32 or f64: refused as a float instruction
	gas      gasClass // what it costs
	boundary bool     // ends a metered block: the next instruction starts one
	align    uint32   // loads and stores: log2 of the access width (the largest alignment allowed)
}

// opTable holds every single-byte opcode of WebAssembly 2.0 and the
// proposals whose opcodes a module may try (for messages), indexed by
// opcode. Read it through op; it is never written.
var opTable = [256]opInfo{
	0x00: {name: "unreachable", kind: kindPlain, boundary: true},
	0x01: {name: "nop", kind: kindPlain},
	0x02: {name: "block", kind: kindBlock, boundary: true},
	0x03: {name: "loop", kind: kindBlock, boundary: true},
	0x04: {name: "if", kind: kindBlock, boundary: true},
	0x05: {name: "else", kind: kindElse, boundary: true},
	0x06: {name: "try"},
	0x07: {name: "catch"},
	0x08: {name: "throw"},
	0x09: {name: "rethrow"},
	0x0A: {name: "throw_ref"},
	0x0B: {name: "end", kind: kindEnd, boundary: true},
	0x0C: {name: "br", kind: kindBranch, boundary: true},
	0x0D: {name: "br_if", kind: kindBranch, boundary: true},
	0x0E: {name: "br_table", kind: kindBrTable, boundary: true},
	0x0F: {name: "return", kind: kindPlain, boundary: true},
	0x10: {name: "call", kind: kindCall, gas: gasCall},
	0x11: {name: "call_indirect", kind: kindCallIndirect, gas: gasCall},
	0x12: {name: "return_call"},
	0x13: {name: "return_call_indirect"},
	0x14: {name: "call_ref"},
	0x15: {name: "return_call_ref"},
	0x18: {name: "delegate"},
	0x19: {name: "catch_all"},
	0x1A: {name: "drop", kind: kindPlain},
	0x1B: {name: "select", kind: kindPlain},
	0x1C: {name: "select (typed)"},
	0x1F: {name: "try_table"},
	0x20: {name: "local.get", kind: kindLocal},
	0x21: {name: "local.set", kind: kindLocal},
	0x22: {name: "local.tee", kind: kindLocal},
	0x23: {name: "global.get", kind: kindGlobal},
	0x24: {name: "global.set", kind: kindGlobal},
	0x25: {name: "table.get"},
	0x26: {name: "table.set"},
	0x28: {name: "i32.load", kind: kindMemory, align: 2},
	0x29: {name: "i64.load", kind: kindMemory, align: 3},
	0x2A: {name: "f32.load", float: true},
	0x2B: {name: "f64.load", float: true},
	0x2C: {name: "i32.load8_s", kind: kindMemory, align: 0},
	0x2D: {name: "i32.load8_u", kind: kindMemory, align: 0},
	0x2E: {name: "i32.load16_s", kind: kindMemory, align: 1},
	0x2F: {name: "i32.load16_u", kind: kindMemory, align: 1},
	0x30: {name: "i64.load8_s", kind: kindMemory, align: 0},
	0x31: {name: "i64.load8_u", kind: kindMemory, align: 0},
	0x32: {name: "i64.load16_s", kind: kindMemory, align: 1},
	0x33: {name: "i64.load16_u", kind: kindMemory, align: 1},
	0x34: {name: "i64.load32_s", kind: kindMemory, align: 2},
	0x35: {name: "i64.load32_u", kind: kindMemory, align: 2},
	0x36: {name: "i32.store", kind: kindMemory, align: 2},
	0x37: {name: "i64.store", kind: kindMemory, align: 3},
	0x38: {name: "f32.store", float: true},
	0x39: {name: "f64.store", float: true},
	0x3A: {name: "i32.store8", kind: kindMemory, align: 0},
	0x3B: {name: "i32.store16", kind: kindMemory, align: 1},
	0x3C: {name: "i64.store8", kind: kindMemory, align: 0},
	0x3D: {name: "i64.store16", kind: kindMemory, align: 1},
	0x3E: {name: "i64.store32", kind: kindMemory, align: 2},
	0x3F: {name: "memory.size", kind: kindMemoryIndex},
	0x40: {name: "memory.grow", kind: kindMemoryIndex, gas: gasGrow},
	0x41: {name: "i32.const", kind: kindI32Const},
	0x42: {name: "i64.const", kind: kindI64Const},
	0x43: {name: "f32.const", float: true},
	0x44: {name: "f64.const", float: true},
	0x45: {name: "i32.eqz", kind: kindPlain},
	0x46: {name: "i32.eq", kind: kindPlain},
	0x47: {name: "i32.ne", kind: kindPlain},
	0x48: {name: "i32.lt_s", kind: kindPlain},
	0x49: {name: "i32.lt_u", kind: kindPlain},
	0x4A: {name: "i32.gt_s", kind: kindPlain},
	0x4B: {name: "i32.gt_u", kind: kindPlain},
	0x4C: {name: "i32.le_s", kind: kindPlain},
	0x4D: {name: "i32.le_u", kind: kindPlain},
	0x4E: {name: "i32.ge_s", kind: kindPlain},
	0x4F: {name: "i32.ge_u", kind: kindPlain},
	0x50: {name: "i64.eqz", kind: kindPlain},
	0x51: {name: "i64.eq", kind: kindPlain},
	0x52: {name: "i64.ne", kind: kindPlain},
	0x53: {name: "i64.lt_s", kind: kindPlain},
	0x54: {name: "i64.lt_u", kind: kindPlain},
	0x55: {name: "i64.gt_s", kind: kindPlain},
	0x56: {name: "i64.gt_u", kind: kindPlain},
	0x57: {name: "i64.le_s", kind: kindPlain},
	0x58: {name: "i64.le_u", kind: kindPlain},
	0x59: {name: "i64.ge_s", kind: kindPlain},
	0x5A: {name: "i64.ge_u", kind: kindPlain},
	0x5B: {name: "f32.eq", float: true},
	0x5C: {name: "f32.ne", float: true},
	0x5D: {name: "f32.lt", float: true},
	0x5E: {name: "f32.gt", float: true},
	0x5F: {name: "f32.le", float: true},
	0x60: {name: "f32.ge", float: true},
	0x61: {name: "f64.eq", float: true},
	0x62: {name: "f64.ne", float: true},
	0x63: {name: "f64.lt", float: true},
	0x64: {name: "f64.gt", float: true},
	0x65: {name: "f64.le", float: true},
	0x66: {name: "f64.ge", float: true},
	0x67: {name: "i32.clz", kind: kindPlain},
	0x68: {name: "i32.ctz", kind: kindPlain},
	0x69: {name: "i32.popcnt", kind: kindPlain},
	0x6A: {name: "i32.add", kind: kindPlain},
	0x6B: {name: "i32.sub", kind: kindPlain},
	0x6C: {name: "i32.mul", kind: kindPlain},
	0x6D: {name: "i32.div_s", kind: kindPlain},
	0x6E: {name: "i32.div_u", kind: kindPlain},
	0x6F: {name: "i32.rem_s", kind: kindPlain},
	0x70: {name: "i32.rem_u", kind: kindPlain},
	0x71: {name: "i32.and", kind: kindPlain},
	0x72: {name: "i32.or", kind: kindPlain},
	0x73: {name: "i32.xor", kind: kindPlain},
	0x74: {name: "i32.shl", kind: kindPlain},
	0x75: {name: "i32.shr_s", kind: kindPlain},
	0x76: {name: "i32.shr_u", kind: kindPlain},
	0x77: {name: "i32.rotl", kind: kindPlain},
	0x78: {name: "i32.rotr", kind: kindPlain},
	0x79: {name: "i64.clz", kind: kindPlain},
	0x7A: {name: "i64.ctz", kind: kindPlain},
	0x7B: {name: "i64.popcnt", kind: kindPlain},
	0x7C: {name: "i64.add", kind: kindPlain},
	0x7D: {name: "i64.sub", kind: kindPlain},
	0x7E: {name: "i64.mul", kind: kindPlain},
	0x7F: {name: "i64.div_s", kind: kindPlain},
	0x80: {name: "i64.div_u", kind: kindPlain},
	0x81: {name: "i64.rem_s", kind: kindPlain},
	0x82: {name: "i64.rem_u", kind: kindPlain},
	0x83: {name: "i64.and", kind: kindPlain},
	0x84: {name: "i64.or", kind: kindPlain},
	0x85: {name: "i64.xor", kind: kindPlain},
	0x86: {name: "i64.shl", kind: kindPlain},
	0x87: {name: "i64.shr_s", kind: kindPlain},
	0x88: {name: "i64.shr_u", kind: kindPlain},
	0x89: {name: "i64.rotl", kind: kindPlain},
	0x8A: {name: "i64.rotr", kind: kindPlain},
	0x8B: {name: "f32.abs", float: true},
	0x8C: {name: "f32.neg", float: true},
	0x8D: {name: "f32.ceil", float: true},
	0x8E: {name: "f32.floor", float: true},
	0x8F: {name: "f32.trunc", float: true},
	0x90: {name: "f32.nearest", float: true},
	0x91: {name: "f32.sqrt", float: true},
	0x92: {name: "f32.add", float: true},
	0x93: {name: "f32.sub", float: true},
	0x94: {name: "f32.mul", float: true},
	0x95: {name: "f32.div", float: true},
	0x96: {name: "f32.min", float: true},
	0x97: {name: "f32.max", float: true},
	0x98: {name: "f32.copysign", float: true},
	0x99: {name: "f64.abs", float: true},
	0x9A: {name: "f64.neg", float: true},
	0x9B: {name: "f64.ceil", float: true},
	0x9C: {name: "f64.floor", float: true},
	0x9D: {name: "f64.trunc", float: true},
	0x9E: {name: "f64.nearest", float: true},
	0x9F: {name: "f64.sqrt", float: true},
	0xA0: {name: "f64.add", float: true},
	0xA1: {name: "f64.sub", float: true},
	0xA2: {name: "f64.mul", float: true},
	0xA3: {name: "f64.div", float: true},
	0xA4: {name: "f64.min", float: true},
	0xA5: {name: "f64.max", float: true},
	0xA6: {name: "f64.copysign", float: true},
	0xA7: {name: "i32.wrap_i64", kind: kindPlain},
	0xA8: {name: "i32.trunc_f32_s", float: true},
	0xA9: {name: "i32.trunc_f32_u", float: true},
	0xAA: {name: "i32.trunc_f64_s", float: true},
	0xAB: {name: "i32.trunc_f64_u", float: true},
	0xAC: {name: "i64.extend_i32_s", kind: kindPlain},
	0xAD: {name: "i64.extend_i32_u", kind: kindPlain},
	0xAE: {name: "i64.trunc_f32_s", float: true},
	0xAF: {name: "i64.trunc_f32_u", float: true},
	0xB0: {name: "i64.trunc_f64_s", float: true},
	0xB1: {name: "i64.trunc_f64_u", float: true},
	0xB2: {name: "f32.convert_i32_s", float: true},
	0xB3: {name: "f32.convert_i32_u", float: true},
	0xB4: {name: "f32.convert_i64_s", float: true},
	0xB5: {name: "f32.convert_i64_u", float: true},
	0xB6: {name: "f32.demote_f64", float: true},
	0xB7: {name: "f64.convert_i32_s", float: true},
	0xB8: {name: "f64.convert_i32_u", float: true},
	0xB9: {name: "f64.convert_i64_s", float: true},
	0xBA: {name: "f64.convert_i64_u", float: true},
	0xBB: {name: "f64.promote_f32", float: true},
	0xBC: {name: "i32.reinterpret_f32", float: true},
	0xBD: {name: "i64.reinterpret_f64", float: true},
	0xBE: {name: "f32.reinterpret_i32", float: true},
	0xBF: {name: "f64.reinterpret_i64", float: true},
	0xC0: {name: "i32.extend8_s", kind: kindPlain},
	0xC1: {name: "i32.extend16_s", kind: kindPlain},
	0xC2: {name: "i64.extend8_s", kind: kindPlain},
	0xC3: {name: "i64.extend16_s", kind: kindPlain},
	0xC4: {name: "i64.extend32_s", kind: kindPlain},
	0xD0: {name: "ref.null"},
	0xD1: {name: "ref.is_null"},
	0xD2: {name: "ref.func"},
	0xFB: {name: "gc prefix"},
	0xFC: {name: "misc prefix", kind: kindPrefixMisc},
	0xFD: {name: "simd prefix"},
	0xFE: {name: "atomic prefix"},
}

// miscTable holds the 0xFC-prefixed opcodes, indexed by sub-opcode.
var miscTable = [...]opInfo{
	0: {name: "i32.trunc_sat_f32_s", float: true}, 1: {name: "i32.trunc_sat_f32_u", float: true},
	2: {name: "i32.trunc_sat_f64_s", float: true}, 3: {name: "i32.trunc_sat_f64_u", float: true},
	4: {name: "i64.trunc_sat_f32_s", float: true}, 5: {name: "i64.trunc_sat_f32_u", float: true},
	6: {name: "i64.trunc_sat_f64_s", float: true}, 7: {name: "i64.trunc_sat_f64_u", float: true},
	8: {name: "memory.init"}, 9: {name: "data.drop"},
	10: {name: "memory.copy", kind: kindMemoryCopy, gas: gasBulk},
	11: {name: "memory.fill", kind: kindMemoryFill, gas: gasBulk},
	12: {name: "table.init"}, 13: {name: "elem.drop"}, 14: {name: "table.copy"},
	15: {name: "table.grow"}, 16: {name: "table.size"}, 17: {name: "table.fill"},
}

// lookupOp returns the facts about single-byte opcode b.
func lookupOp(b byte) *opInfo { return &opTable[b] }

// miscOp returns the facts about 0xFC sub-opcode sub, and false when
// WebAssembly defines none.
func miscOp(sub uint32) (*opInfo, bool) {
	if uint64(sub) >= uint64(len(miscTable)) {
		return nil, false
	}
	return &miscTable[sub], true
}

// opName is the opcode's name for messages, or its hex value.
func opName(b byte) string {
	if n := opTable[b].name; n != "" {
		return n
	}
	return "0x" + hex2(b)
}
