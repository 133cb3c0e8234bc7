package wasmasm

// Instructions, as bytes to concatenate into a Func's Body.

// I32Const is i32.const v.
func I32Const(v int32) []byte { return SLEB([]byte{0x41}, int64(v)) }

// I64Const is i64.const v.
func I64Const(v int64) []byte { return SLEB([]byte{0x42}, v) }

// LocalGet is local.get i.
func LocalGet(i uint32) []byte { return ULEB([]byte{0x20}, uint64(i)) }

// LocalSet is local.set i.
func LocalSet(i uint32) []byte { return ULEB([]byte{0x21}, uint64(i)) }

// GlobalGet is global.get i.
func GlobalGet(i uint32) []byte { return ULEB([]byte{0x23}, uint64(i)) }

// GlobalSet is global.set i.
func GlobalSet(i uint32) []byte { return ULEB([]byte{0x24}, uint64(i)) }

// Call is call f (imports first, then defined functions).
func Call(f uint32) []byte { return ULEB([]byte{0x10}, uint64(f)) }

// Cat concatenates instructions.
func Cat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

// Forever is `loop body br 0 end`: only gas ends it.
func Forever(body ...[]byte) []byte {
	return Cat([]byte{0x03, 0x40}, Cat(body...), []byte{0x0C, 0, 0x0B})
}

// MemoryCopy is memory.copy of memory 0 to itself.
func MemoryCopy() []byte { return []byte{0xFC, 10, 0, 0} }

// MemoryFill is memory.fill of memory 0.
func MemoryFill() []byte { return []byte{0xFC, 11, 0} }
