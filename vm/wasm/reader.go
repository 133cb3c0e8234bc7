package wasm

import (
	"fmt"
	"unicode/utf8"
)

// reader decodes b[pos:end]; offsets are absolute in the module. It carries
// the location context used in errors.
type reader struct {
	b       []byte
	pos     int
	end     int
	section string
	fn      int
	export  string
}

func (r *reader) errAt(off int, format string, args ...any) *Error {
	return &Error{Section: r.section, Func: r.fn, Export: r.export, Offset: off, Reason: fmt.Sprintf(format, args...)}
}

func (r *reader) remaining() int { return r.end - r.pos }

func (r *reader) eofErr() *Error { return r.errAt(r.pos, "unexpected end") }

func (r *reader) byte() (byte, error) {
	if r.pos >= r.end {
		return 0, r.eofErr()
	}
	c := r.b[r.pos]
	r.pos++
	return c, nil
}

func (r *reader) bytes(n int) ([]byte, error) {
	if n < 0 || n > r.remaining() {
		return nil, r.errAt(r.pos, "length %d exceeds the %d bytes left", n, r.remaining())
	}
	s := r.b[r.pos : r.pos+n : r.pos+n]
	r.pos += n
	return s, nil
}

// uleb decodes an unsigned LEB128 of at most bits bits (ceil(bits/7) bytes,
// unused bits of the last byte zero), as the spec requires.
func (r *reader) uleb(bits uint) (uint64, error) {
	start := r.pos
	var v uint64
	var shift uint
	for {
		c, err := r.byte()
		if err != nil {
			return 0, err
		}
		if shift+7 >= bits && shift < bits {
			// Last byte allowed: bits above `bits` must be zero, no continuation.
			if c&0x80 != 0 || uint64(c)>>(bits-shift) != 0 {
				return 0, r.errAt(start, "integer too long or out of range")
			}
			return v | uint64(c)<<shift, nil
		}
		v |= uint64(c&0x7F) << shift
		if c&0x80 == 0 {
			return v, nil
		}
		shift += 7
	}
}

// sleb decodes a signed LEB128 of at most bits bits.
func (r *reader) sleb(bits uint) (int64, error) {
	start := r.pos
	var v int64
	var shift uint
	for {
		c, err := r.byte()
		if err != nil {
			return 0, err
		}
		if shift+7 >= bits {
			// Last byte: no continuation, and the bits beyond `bits` must be a
			// sign extension of bit bits-1.
			if c&0x80 != 0 {
				return 0, r.errAt(start, "integer too long")
			}
			used := bits - shift       // value bits taken from this byte (1..7)
			hi := int8(c<<1) >> (used) // sign-extended bits from position used-1 up to 6
			if hi != 0 && hi != -1 {
				return 0, r.errAt(start, "integer out of range")
			}
			v |= int64(c&0x7F) << shift
			return v << (64 - bits) >> (64 - bits), nil
		}
		v |= int64(c&0x7F) << shift
		shift += 7
		if c&0x80 == 0 {
			if shift < 64 && c&0x40 != 0 {
				v |= -1 << shift
			}
			return v, nil
		}
	}
}

func (r *reader) u32() (uint32, error) {
	v, err := r.uleb(32)
	return uint32(v), err
}

// count reads a vector length and checks that the vector, at least minSize
// bytes an element, fits in what is left.
func (r *reader) count(minSize int) (int, error) {
	start := r.pos
	n, err := r.u32()
	if err != nil {
		return 0, err
	}
	if uint64(n)*uint64(minSize) > uint64(r.remaining()) {
		return 0, r.errAt(start, "count %d exceeds the %d bytes left", n, r.remaining())
	}
	return int(n), nil
}

func (r *reader) name() (string, error) {
	start := r.pos
	n, err := r.u32()
	if err != nil {
		return "", err
	}
	b, err := r.bytes(int(n))
	if err != nil {
		return "", err
	}
	if !utf8.Valid(b) {
		return "", r.errAt(start, "name is not valid UTF-8")
	}
	return string(b), nil
}
