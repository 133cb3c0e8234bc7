package wasm

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestOpTable checks the opcode table against the facts of the
// WebAssembly spec it encodes.
func TestOpTable(t *testing.T) {
	all := make([]opInfo, 0, 256+len(miscTable))
	for b := range 256 {
		all = append(all, opTable[b])
	}
	all = append(all, miscTable[:]...)

	// Every opcode is listed once, by its text format name.
	seen := map[string]bool{}
	for _, o := range all {
		if o.name == "" {
			require.Equal(t, kindUnsupported, o.kind, "an unnamed opcode is accepted")
			continue
		}
		require.False(t, seen[o.name], "%s listed twice", o.name)
		seen[o.name] = true
	}

	// The float flag covers exactly the instructions that name f32 or f64
	// (their operands, results or memory access), and none is accepted.
	for _, o := range all {
		mentions := strings.Contains(o.name, "f32") || strings.Contains(o.name, "f64")
		require.Equal(t, mentions, o.float, o.name)
		if o.float {
			require.Equal(t, kindUnsupported, o.kind, o.name)
		}
	}

	// Accepted are exactly the integer instructions of WebAssembly 1.0,
	// the sign-extension operators, memory.copy and memory.fill (docs/vm.md).
	mvp := func(b int) bool {
		return b <= 0x05 || b >= 0x0B && b <= 0x11 || b == 0x1A || b == 0x1B ||
			b >= 0x20 && b <= 0x24 || b >= 0x28 && b <= 0xBF
	}
	for b := range 256 {
		want := (mvp(b) || b >= 0xC0 && b <= 0xC4) && !opTable[b].float || b == 0xFC
		require.Equal(t, want, opTable[b].kind != kindUnsupported, "0x%02x %s", b, opTable[b].name)
	}
	for sub, o := range miscTable {
		require.Equal(t, sub == 10 || sub == 11, o.kind != kindUnsupported, o.name)
	}

	// A metered block ends at every instruction that may branch or trap
	// out of straight-line code.
	ends := map[string]bool{"unreachable": true, "return": true, "block": true, "loop": true, "if": true,
		"else": true, "end": true, "br": true, "br_if": true, "br_table": true}
	for _, o := range all {
		require.Equal(t, ends[o.name], o.boundary, o.name)
	}

	// Gas beyond Instr goes to calls, memory.grow and the bulk ops only.
	classes := map[string]gasClass{"call": gasCall, "call_indirect": gasCall, "memory.grow": gasGrow,
		"memory.copy": gasBulk, "memory.fill": gasBulk}
	for _, o := range all {
		require.Equal(t, classes[o.name], o.gas, o.name)
	}

	// A load's or store's natural alignment is its access width.
	for _, o := range all {
		if o.kind != kindMemory {
			require.Zero(t, o.align, o.name)
			continue
		}
		width := uint32(2) // i32
		if strings.HasPrefix(o.name, "i64") {
			width = 3
		}
		for suffix, w := range map[string]uint32{"8": 0, "16": 1, "32": 2} {
			if strings.HasSuffix(strings.TrimSuffix(strings.TrimSuffix(o.name, "_s"), "_u"), suffix) {
				width = w
			}
		}
		require.Equal(t, width, o.align, o.name)
	}

	// The constants the instrumenter emits name what it means.
	for c, name := range map[byte]string{opUnreachable: "unreachable", opBlock: "block", opLoop: "loop", opIf: "if",
		opElse: "else", opEnd: "end", opBr: "br", opBrIf: "br_if", opBrTable: "br_table", opReturn: "return",
		opCall: "call", opCallIndirect: "call_indirect", opLocalGet: "local.get", opLocalTee: "local.tee",
		opGlobalGet: "global.get", opGlobalSet: "global.set", opDrop: "drop", opI64Load: "i64.load",
		opI32Shl: "i32.shl", opI32Const: "i32.const", opI64Const: "i64.const", opI32GtU: "i32.gt_u",
		opI64LtU: "i64.lt_u", opI64GtU: "i64.gt_u", opI32Add: "i32.add", opI32Sub: "i32.sub", opI64Sub: "i64.sub",
		opI64Mul: "i64.mul", opI64ShrU: "i64.shr_u", opI64ExtendI32U: "i64.extend_i32_u", opMisc: "misc prefix"} {
		require.Equal(t, name, opTable[c].name)
	}
	require.Equal(t, "0x16", opName(0x16))
	_, ok := miscOp(uint32(len(miscTable)))
	require.False(t, ok)
}
