package wasm

// AppendULEB appends v in unsigned LEB128, the encoding of WebAssembly's
// indices, sizes and u32 immediates. Exported so the test kit's assembler
// writes modules with the instrumenter's own encoder.
func AppendULEB(b []byte, v uint64) []byte {
	for {
		c := byte(v & 0x7F)
		v >>= 7
		if v == 0 {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}

// AppendSLEB appends v in signed LEB128 (i32.const and i64.const immediates).
func AppendSLEB(b []byte, v int64) []byte {
	for {
		c := byte(v & 0x7F)
		v >>= 7
		if (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0) {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}
