package codec

import (
	"encoding/binary"
	"errors"
	"fmt"
	"unicode/utf8"
)

// ErrMalformed is wrapped by every decoding error: the input is not the
// canonical encoding of a value of the expected type.
var ErrMalformed = errors.New("malformed encoding")

// Writer appends canonical encodings to a byte slice. It never fails.
type Writer struct{ buf []byte }

// NewWriter returns a Writer whose buffer has room for n bytes.
func NewWriter(n int) *Writer { return &Writer{buf: make([]byte, 0, n)} }

// Bytes returns the encoded bytes written so far.
func (w *Writer) Bytes() []byte { return w.buf }

// Bool writes 0x00 or 0x01.
func (w *Writer) Bool(v bool) {
	if v {
		w.buf = append(w.buf, 1)
	} else {
		w.buf = append(w.buf, 0)
	}
}

// U8 writes one byte.
func (w *Writer) U8(v uint8) { w.buf = append(w.buf, v) }

// U16 writes 2 bytes little-endian.
func (w *Writer) U16(v uint16) { w.buf = binary.LittleEndian.AppendUint16(w.buf, v) }

// U32 writes 4 bytes little-endian.
func (w *Writer) U32(v uint32) { w.buf = binary.LittleEndian.AppendUint32(w.buf, v) }

// U64 writes 8 bytes little-endian.
func (w *Writer) U64(v uint64) { w.buf = binary.LittleEndian.AppendUint64(w.buf, v) }

// I64 writes 8 bytes little-endian two's complement.
func (w *Writer) I64(v int64) { w.U64(uint64(v)) }

// U128 writes 16 bytes little-endian (low word first).
func (w *Writer) U128(v U128) { w.U64(v.Lo); w.U64(v.Hi) }

// Len writes a u32 length or element count.
func (w *Writer) Len(n int) { w.U32(uint32(n)) }

// Blob writes a u32 length followed by the bytes (the bytes type).
func (w *Writer) Blob(b []byte) { w.Len(len(b)); w.buf = append(w.buf, b...) }

// String writes a u32 length followed by UTF-8 bytes.
func (w *Writer) String(s string) { w.Len(len(s)); w.buf = append(w.buf, s...) }

// Fixed writes raw bytes with no length (addresses, keys, signatures).
func (w *Writer) Fixed(b []byte) { w.buf = append(w.buf, b...) }

// Option writes the presence tag of an option<T>; the caller writes T after
// a true tag.
func (w *Writer) Option(present bool) { w.Bool(present) }

// Reader decodes canonical encodings. The first error sticks: later reads
// return zero values, and Err or Finish reports the first failure, so
// decoders read every field and check once.
type Reader struct {
	buf []byte
	off int
	err error
}

// NewReader reads from b. It never modifies or retains more of b than the
// slices it returns from Fixed and Blob; callers copy those if they keep them.
func NewReader(b []byte) *Reader { return &Reader{buf: b} }

// Err returns the first error met.
func (r *Reader) Err() error { return r.err }

// Remaining returns the number of unread bytes.
func (r *Reader) Remaining() int { return len(r.buf) - r.off }

// Finish returns the first error, or an error if bytes remain unread:
// a canonical value has no trailing bytes.
func (r *Reader) Finish() error {
	if r.err == nil && r.off != len(r.buf) {
		r.err = fmt.Errorf("%w: %d trailing bytes", ErrMalformed, len(r.buf)-r.off)
	}
	return r.err
}

// Fail records err (wrapped as malformed) unless an error is already set.
func (r *Reader) Fail(format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: %s at offset %d", ErrMalformed, fmt.Sprintf(format, args...), r.off)
	}
}

func (r *Reader) take(n int, what string) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || n > len(r.buf)-r.off {
		r.Fail("%s needs %d bytes, %d left", what, n, len(r.buf)-r.off)
		return nil
	}
	b := r.buf[r.off : r.off+n : r.off+n]
	r.off += n
	return b
}

// Bool reads 0x00 or 0x01; any other byte is malformed.
func (r *Reader) Bool() bool {
	b := r.take(1, "bool")
	if b == nil {
		return false
	}
	if b[0] > 1 {
		r.off--
		r.Fail("bool byte 0x%02x", b[0])
		return false
	}
	return b[0] == 1
}

// U8 reads one byte.
func (r *Reader) U8() uint8 {
	if b := r.take(1, "u8"); b != nil {
		return b[0]
	}
	return 0
}

// U16 reads 2 bytes little-endian.
func (r *Reader) U16() uint16 {
	if b := r.take(2, "u16"); b != nil {
		return binary.LittleEndian.Uint16(b)
	}
	return 0
}

// U32 reads 4 bytes little-endian.
func (r *Reader) U32() uint32 {
	if b := r.take(4, "u32"); b != nil {
		return binary.LittleEndian.Uint32(b)
	}
	return 0
}

// U64 reads 8 bytes little-endian.
func (r *Reader) U64() uint64 {
	if b := r.take(8, "u64"); b != nil {
		return binary.LittleEndian.Uint64(b)
	}
	return 0
}

// I64 reads 8 bytes little-endian two's complement.
func (r *Reader) I64() int64 { return int64(r.U64()) }

// U128 reads 16 bytes little-endian.
func (r *Reader) U128() U128 {
	lo := r.U64()
	hi := r.U64()
	return U128{Hi: hi, Lo: lo}
}

// Len reads a u32 count of items that each take at least minItem bytes, and
// fails if the input cannot hold that many, so a hostile length can never
// make the decoder allocate more than the input's size.
func (r *Reader) Len(minItem int) int {
	n := int(r.U32())
	if r.err == nil && minItem > 0 && n > r.Remaining()/minItem {
		r.off -= 4
		r.Fail("count %d exceeds the %d bytes left", n, r.Remaining())
		return 0
	}
	return n
}

// Blob reads a u32 length and that many bytes. The result aliases the input.
func (r *Reader) Blob() []byte {
	n := r.Len(1)
	return r.take(n, "bytes")
}

// String reads a u32 length and that many bytes of valid UTF-8.
func (r *Reader) String() string {
	start := r.off
	b := r.Blob()
	if r.err == nil && !utf8.Valid(b) {
		r.off = start
		r.Fail("string is not valid UTF-8")
		return ""
	}
	return string(b)
}

// Fixed reads n raw bytes. The result aliases the input.
func (r *Reader) Fixed(n int) []byte { return r.take(n, "fixed bytes") }

// Option reads the presence tag of an option<T>.
func (r *Reader) Option() bool { return r.Bool() }
