package wasm

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
)

// Schedule is the versioned cost and limits table (a chain parameter). Its
// Hash is part of every compiled-code cache key.
type Schedule struct {
	// Version identifies the table; it must be > 0.
	Version uint32 `json:"version"`
	// Instr is the gas charged per original instruction (default 1).
	Instr uint64 `json:"instr"`
	// Grow is the extra gas per memory.grow (default 10_000).
	Grow uint64 `json:"grow"`
	// Call is the extra gas per call and call_indirect (default 20).
	Call uint64 `json:"call"`
	// Bulk is the extra gas per memory.copy and memory.fill (default 100).
	Bulk uint64 `json:"bulk"`
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
}

// DefaultSchedule returns the version 1 cost and limits table.
func DefaultSchedule() Schedule {
	return Schedule{
		Version:             1,
		Instr:               1,
		Grow:                10_000,
		Call:                20,
		Bulk:                100,
		HostBase:            200,
		HostByte:            1,
		MaxCodeBytes:        800 * 1024,
		MaxMemoryPages:      512,
		MaxStackDepth:       1000,
		MaxFunctions:        10000,
		MaxFunctionInstrs:   100000,
		MaxLocals:           1000,
		MaxDataSegmentBytes: 65536,
		MaxIOBytes:          1 << 20,
		Page:                10_000,
	}
}

// Hash is the SHA-256 of the schedule's canonical encoding: every field in
// declaration order, little-endian, at its declared width (u32 or u64), with
// no framing.
func (s *Schedule) Hash() [32]byte {
	b := make([]byte, 0, 4+6*8+8*4+8)
	b = binary.LittleEndian.AppendUint32(b, s.Version)
	for _, v := range []uint64{s.Instr, s.Grow, s.Call, s.Bulk, s.HostBase, s.HostByte} {
		b = binary.LittleEndian.AppendUint64(b, v)
	}
	for _, v := range []uint32{s.MaxCodeBytes, s.MaxMemoryPages, s.MaxStackDepth, s.MaxFunctions,
		s.MaxFunctionInstrs, s.MaxLocals, s.MaxDataSegmentBytes, s.MaxIOBytes} {
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	b = binary.LittleEndian.AppendUint64(b, s.Page)
	return sha256.Sum256(b)
}

// ErrSchedule is wrapped by every error Schedule.Validate returns.
var ErrSchedule = errors.New("invalid wasm schedule")

// Validate checks that Version and every limit are > 0 and that
// MaxMemoryPages is at most 65536 (4 GiB, the 32-bit address space). Gas
// costs may be zero.
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
	} {
		if l.v == 0 {
			return fmt.Errorf("%w: %s must be > 0", ErrSchedule, l.name)
		}
	}
	if s.MaxMemoryPages > maxPages {
		return fmt.Errorf("%w: max_memory_pages %d exceeds %d", ErrSchedule, s.MaxMemoryPages, maxPages)
	}
	return nil
}
