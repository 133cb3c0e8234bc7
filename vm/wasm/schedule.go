package wasm

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"
	"reflect"
)

// Schedule is the versioned cost and limits table (a chain parameter). Its
// Hash is part of every compiled-code cache key.
type Schedule struct {
	// Version identifies the table; it must be > 0.
	Version uint32 `json:"version"`
	// Instr is the gas charged per original instruction (default 1).
	Instr uint64 `json:"instr"`
	// Grow is the extra gas per memory.grow (default 60_000: wazero copies
	// the whole memory on growth; measured by BenchmarkGasRate).
	Grow uint64 `json:"grow"`
	// Call is the extra gas per call and call_indirect (default 20).
	Call uint64 `json:"call"`
	// Bulk is the extra gas per memory.copy and memory.fill (default 100).
	Bulk uint64 `json:"bulk"`
	// BulkKiB is the gas per KiB a memory.copy or memory.fill moves,
	// charged pro rata per byte (length*BulkKiB/1024, rounded down) from
	// the length operand at run time, before the op runs. At most 2^32, so
	// the charge of a 32-bit length cannot overflow.
	BulkKiB uint64 `json:"bulk_kib"`
	// HostBase is the gas per host call (default 200); used by the VM, not here.
	HostBase uint64 `json:"host_base"`
	// HostByte is the gas per byte copied by the host (default 1); used by the VM.
	HostByte uint64 `json:"host_byte"`
	// MaxCodeBytes bounds the size of an uploaded module (default 800 KiB).
	MaxCodeBytes uint32 `json:"max_code_bytes"`
	// MaxMemoryPages bounds the initial memory and its growth (default 512).
	MaxMemoryPages uint32 `json:"max_memory_pages"`
	// MaxStackDepth is the deepest call nesting allowed (default 1000).
	MaxStackDepth uint32 `json:"max_stack_depth"`
	// MaxFunctions bounds the function index space, imports included
	// (default 10000). It also bounds the table's initial size.
	MaxFunctions uint32 `json:"max_functions"`
	// MaxFunctionInstrs bounds the instructions of one function body,
	// its final end included (default 100000).
	MaxFunctionInstrs uint32 `json:"max_function_instrs"`
	// MaxLocals bounds the locals of one function, parameters included
	// (default 1000).
	MaxLocals uint32 `json:"max_locals"`
	// MaxDataSegmentBytes bounds the bytes of one data segment (default 65536).
	MaxDataSegmentBytes uint32 `json:"max_data_segment_bytes"`
	// MaxIOBytes bounds input, output, storage values and the result buffer
	// (default 1 MiB); used by the VM.
	MaxIOBytes uint32 `json:"max_io_bytes"`
	// Page is the gas per 64 KiB page of linear memory an instance gets,
	// its initial pages at instantiation and every page memory.grow adds
	// (on top of Grow); used by the VM (default 10_000).
	Page uint64 `json:"page"`

	// Compilation (docs/vm.md, "What compiling an upload costs"). wazero's
	// compile time grows with the instrumented code's size and, within a
	// function, with its blocks times its instructions (its dominator and
	// variable lookups walk chains of blocks); these bound and price both.

	// MaxNesting bounds the depth of block, loop and if in a function
	// (default 256).
	MaxNesting uint32 `json:"max_nesting"`
	// MaxBrTableTargets bounds the targets of one br_table, its default
	// included (default 1024).
	MaxBrTableTargets uint32 `json:"max_br_table_targets"`
	// MaxFunctionBlocks bounds the blocks of a function: its metered-block
	// boundaries plus its br_table targets (default 2048).
	MaxFunctionBlocks uint32 `json:"max_function_blocks"`
	// MaxCompileBytes bounds a module's compile weight: its instrumented
	// size plus BrTargetWeight bytes per br_table target (CompileWeight).
	// Compile time is linear in it, about 0.5 µs a byte on the measuring
	// machine (default 2,000,000: the example contracts grow 2.7x when
	// instrumented, so a module of their shape fits up to about 740 KB).
	MaxCompileBytes uint32 `json:"max_compile_bytes"`
	// MaxBlockWork bounds a module's block work: the sum over its functions
	// of blocks times instructions (default 5,000,000).
	MaxBlockWork uint64 `json:"max_block_work"`
	// CompileByte is the upload's gas per byte of instrumented code, charged
	// before compiling (default 100).
	CompileByte uint64 `json:"compile_byte"`
	// CompileBlockWork is the upload's gas per unit of block work, charged
	// with CompileByte (default 16).
	CompileBlockWork uint64 `json:"compile_block_work"`

	// Host functions priced apart from HostBase and HostByte, measured by
	// BenchmarkGasRate in vm (docs/vm.md, "Gas rates").

	// HostCall is the extra gas of the call host function, on top of
	// HostBase and the router's call_base (default 2_000); used by the VM.
	HostCall uint64 `json:"host_call"`
	// Keccak256Byte is the extra gas per input byte of keccak256, on top of
	// HostByte (default 3); used by the VM.
	Keccak256Byte uint64 `json:"keccak256_byte"`
	// Ed25519Verify is the gas of one ed25519_verify, on top of HostBase
	// and HostByte (default 25_000); used by the VM.
	Ed25519Verify uint64 `json:"ed25519_verify"`
	// Loop is the extra gas of every iteration of a loop, charged with the
	// first metered block of its body (default 13). wazero checks at every
	// loop header whether the call's context ended (queries stop when
	// their caller leaves), a call into Go that makes a loop iteration the
	// slowest thing per gas by far without it (docs/vm.md, "Gas rates").
	Loop uint64 `json:"loop"`
}

// DefaultSchedule returns the version 1 cost and limits table.
func DefaultSchedule() Schedule {
	return Schedule{
		Version:             1,
		Instr:               1,
		Grow:                60_000,
		Call:                20,
		Bulk:                100,
		BulkKiB:             64,
		HostBase:            200,
		HostByte:            1,
		HostCall:            2_000,
		Keccak256Byte:       3,
		Ed25519Verify:       25_000,
		Loop:                13,
		MaxCodeBytes:        800 * 1024,
		MaxMemoryPages:      512,
		MaxStackDepth:       1000,
		MaxFunctions:        10000,
		MaxFunctionInstrs:   100000,
		MaxLocals:           1000,
		MaxDataSegmentBytes: 65536,
		MaxIOBytes:          1 << 20,
		Page:                10_000,
		MaxNesting:          256,
		MaxBrTableTargets:   1024,
		MaxFunctionBlocks:   2048,
		MaxCompileBytes:     2_000_000,
		MaxBlockWork:        5_000_000,
		CompileByte:         100,
		CompileBlockWork:    16,
	}
}

// Hash is the SHA-256 of the schedule's canonical encoding: every field in
// declaration order, little-endian, at its declared width (u32 or u64), with
// no framing.
func (s *Schedule) Hash() [32]byte {
	b := make([]byte, 0, 4+7*8+8*4+8+4*4+6*8)
	b = binary.LittleEndian.AppendUint32(b, s.Version)
	for _, v := range []uint64{s.Instr, s.Grow, s.Call, s.Bulk, s.BulkKiB, s.HostBase, s.HostByte} {
		b = binary.LittleEndian.AppendUint64(b, v)
	}
	for _, v := range []uint32{s.MaxCodeBytes, s.MaxMemoryPages, s.MaxStackDepth, s.MaxFunctions,
		s.MaxFunctionInstrs, s.MaxLocals, s.MaxDataSegmentBytes, s.MaxIOBytes} {
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	b = binary.LittleEndian.AppendUint64(b, s.Page)
	for _, v := range []uint32{s.MaxNesting, s.MaxBrTableTargets, s.MaxFunctionBlocks, s.MaxCompileBytes} {
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	for _, v := range []uint64{s.MaxBlockWork, s.CompileByte, s.CompileBlockWork, s.HostCall, s.Keccak256Byte, s.Ed25519Verify, s.Loop} {
		b = binary.LittleEndian.AppendUint64(b, v)
	}
	return sha256.Sum256(b)
}

// ErrSchedule is wrapped by every error Schedule.Validate returns.
var ErrSchedule = errors.New("invalid wasm schedule")

// maxBulkKiB bounds BulkKiB so that length*BulkKiB fits in 64 bits for
// every 32-bit length: the injected charge needs no overflow check.
const maxBulkKiB = 1 << 32

// Validate checks that Version and every limit are > 0, that
// MaxMemoryPages is at most 65536 (4 GiB, the 32-bit address space) and
// BulkKiB at most 2^32. Gas costs may be zero.
func (s *Schedule) Validate() error {
	if s == nil {
		return fmt.Errorf("%w: nil", ErrSchedule)
	}
	if s.Version == 0 {
		return fmt.Errorf("%w: version must be > 0", ErrSchedule)
	}
	for _, l := range []struct {
		name string
		v    uint32
	}{
		{"max_code_bytes", s.MaxCodeBytes},
		{"max_memory_pages", s.MaxMemoryPages},
		{"max_stack_depth", s.MaxStackDepth},
		{"max_functions", s.MaxFunctions},
		{"max_function_instrs", s.MaxFunctionInstrs},
		{"max_locals", s.MaxLocals},
		{"max_data_segment_bytes", s.MaxDataSegmentBytes},
		{"max_io_bytes", s.MaxIOBytes},
		{"max_nesting", s.MaxNesting},
		{"max_br_table_targets", s.MaxBrTableTargets},
		{"max_function_blocks", s.MaxFunctionBlocks},
		{"max_compile_bytes", s.MaxCompileBytes},
	} {
		if l.v == 0 {
			return fmt.Errorf("%w: %s must be > 0", ErrSchedule, l.name)
		}
	}
	if s.MaxBlockWork == 0 {
		return fmt.Errorf("%w: max_block_work must be > 0", ErrSchedule)
	}
	if s.BulkKiB > maxBulkKiB {
		return fmt.Errorf("%w: bulk_kib %d exceeds %d", ErrSchedule, s.BulkKiB, uint64(maxBulkKiB))
	}
	if s.MaxMemoryPages > maxPages {
		return fmt.Errorf("%w: max_memory_pages %d exceeds %d", ErrSchedule, s.MaxMemoryPages, maxPages)
	}
	return nil
}

// BrTargetWeight is the compile weight of one br_table target in bytes
// of instrumented code: wazero spends about as long on one target as on
// ten bytes (measured by BenchmarkCompileWorst in vm).
const BrTargetWeight = 10

// CompileWeight is what compiling a module costs in bytes of instrumented
// code: its size (instrumented is what Instrument returned) plus
// BrTargetWeight per br_table target, saturating.
func CompileWeight(instrumented []byte, m *Module) uint64 {
	hi, w := bits.Mul64(BrTargetWeight, m.BrTableTargets)
	sum, carry := bits.Add64(w, uint64(len(instrumented)), 0)
	if hi != 0 || carry != 0 {
		return ^uint64(0)
	}
	return sum
}

// CompileGas is what compiling an upload costs, charged before it is
// compiled: CompileByte per byte of CompileWeight plus CompileBlockWork
// per unit of the module's block work, saturating.
func (s *Schedule) CompileGas(instrumented []byte, m *Module) uint64 {
	hi, a := bits.Mul64(s.CompileByte, CompileWeight(instrumented, m))
	hi2, b := bits.Mul64(s.CompileBlockWork, m.BlockWork)
	sum, carry := bits.Add64(a, b, 0)
	if hi != 0 || hi2 != 0 || carry != 0 {
		return ^uint64(0)
	}
	return sum
}

// Cost returns the gas field of s whose JSON name is field ("host_call"):
// how the host API's table (HostGas) names a price. It reports false for
// a name that is not a uint64 field of Schedule.
func (s *Schedule) Cost(field string) (uint64, bool) {
	v := reflect.ValueOf(s).Elem()
	t := v.Type()
	for i := range t.NumField() {
		if t.Field(i).Tag.Get("json") == field && t.Field(i).Type.Kind() == reflect.Uint64 {
			return v.Field(i).Uint(), true
		}
	}
	return 0, false
}
