package dblayout

// Order-preserving key encoding.
//
// Rows and index entries are stored under keys built from column values so
// that IAVL's byte order is the values' natural order: a range, prefix or
// ordered scan over a key or an index is one iterator over a key range.
// The encoding of one value of a KEYABLE type:
//
//	bool           0x00 (false) or 0x01 (true)
//	u8 u16 u32 u64 big-endian, fixed width (1, 2, 4, 8 bytes)
//	u128           16 bytes big-endian (high word first)
//	i64            8 bytes big-endian with the sign bit flipped, so that
//	               math.MinInt64 is 00…00 and -1 < 0 < 1
//	address        the 20 bytes
//	string, bytes  the bytes with each 0x00 written as 0x00 0xFF, then the
//	               terminator 0x00 0x00: "a" < "a\x00" < "ab", and a value
//	               sorts before every value it is a proper prefix of
//	option<T>      0x00 for none; 0x01 followed by T (none sorts first)
//
// (option<T> is allowed in secondary indexes and filters, never in a
// primary key.) Every encoding is prefix-free: no encoded value is a proper
// prefix of another value of the same type, so a multi-column key is the
// plain concatenation of its columns' encodings, compares column by column,
// and can be split again by reading one value per column (keyLen).
//
// Keys are built from canonical values (docs/encoding.md): AppendKey reads
// one canonical value and appends its key encoding.

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
)

// ErrNoKeyEncoding is returned for a value of a type that has no key
// encoding (not keyable, nor option of keyable).
var ErrNoKeyEncoding = errors.New("type has no key encoding")

// Keyable reports whether values of t may form a primary key: bool, the
// integers, u128, string, bytes and address.
func Keyable(t *codec.Type) bool {
	switch t.Kind {
	case codec.KindBool, codec.KindU8, codec.KindU16, codec.KindU32, codec.KindU64, codec.KindI64,
		codec.KindU128, codec.KindString, codec.KindBytes, codec.KindAddress:
		return true
	}
	return false
}

// Indexable reports whether values of t may be a secondary index column or
// be range-compared in a filter: a keyable type or option<keyable>.
func Indexable(t *codec.Type) bool {
	if t.Kind == codec.KindOption {
		return Keyable(t.Elem)
	}
	return Keyable(t)
}

// AppendKey appends to dst the order-preserving key encoding of value,
// which must be exactly one canonical value of the indexable type t.
func AppendKey(dst []byte, t *codec.Type, value []byte) ([]byte, error) {
	if !Indexable(t) {
		return dst, fmt.Errorf("%w: type %s", ErrNoKeyEncoding, t)
	}
	r := codec.NewReader(value)
	out := appendKey(dst, r, t)
	if err := r.Finish(); err != nil {
		return dst, err
	}
	return out, nil
}

// AppendKeyFrom reads one canonical value of t from r and appends its key
// encoding. On a read error the output is garbage; callers check r.Err().
func AppendKeyFrom(dst []byte, r *codec.Reader, t *codec.Type) []byte { return appendKey(dst, r, t) }

func appendKey(dst []byte, r *codec.Reader, t *codec.Type) []byte {
	switch t.Kind {
	case codec.KindBool:
		if r.Bool() {
			return append(dst, 1)
		}
		return append(dst, 0)
	case codec.KindU8:
		return append(dst, r.U8())
	case codec.KindU16:
		return binary.BigEndian.AppendUint16(dst, r.U16())
	case codec.KindU32:
		return binary.BigEndian.AppendUint32(dst, r.U32())
	case codec.KindU64:
		return binary.BigEndian.AppendUint64(dst, r.U64())
	case codec.KindI64:
		return binary.BigEndian.AppendUint64(dst, r.U64()^(1<<63))
	case codec.KindU128:
		x := r.U128()
		return binary.BigEndian.AppendUint64(binary.BigEndian.AppendUint64(dst, x.Hi), x.Lo)
	case codec.KindAddress:
		b := r.Fixed(address.Len)
		if b == nil {
			return dst
		}
		return append(dst, b...)
	case codec.KindString:
		return appendEscaped(dst, []byte(r.String()))
	case codec.KindBytes:
		return appendEscaped(dst, r.Blob())
	case codec.KindOption:
		if r.Option() {
			return appendKey(append(dst, 1), r, t.Elem)
		}
		return append(dst, 0)
	}
	r.Fail("type %s has no key encoding", t)
	return dst
}

// appendEscaped writes b with 0x00 escaped as 0x00 0xFF and the terminator
// 0x00 0x00.
func appendEscaped(dst, b []byte) []byte {
	for _, c := range b {
		if c == 0 {
			dst = append(dst, 0, 0xFF)
		} else {
			dst = append(dst, c)
		}
	}
	return append(dst, 0, 0)
}

// KeyLen returns the length of the key-encoded value of t at the start of b.
func KeyLen(t *codec.Type, b []byte) (int, error) {
	fixed := 0
	switch t.Kind {
	case codec.KindBool:
		if len(b) > 0 && b[0] > 1 {
			return 0, fmt.Errorf("bool key byte 0x%02x", b[0])
		}
		fixed = 1
	case codec.KindU8:
		fixed = 1
	case codec.KindU16:
		fixed = 2
	case codec.KindU32:
		fixed = 4
	case codec.KindU64, codec.KindI64:
		fixed = 8
	case codec.KindU128:
		fixed = 16
	case codec.KindAddress:
		fixed = address.Len
	case codec.KindString, codec.KindBytes:
		for i := 0; i+1 < len(b); i++ {
			if b[i] != 0 {
				continue
			}
			switch b[i+1] {
			case 0:
				return i + 2, nil
			case 0xFF:
				i++
			default:
				return 0, fmt.Errorf("bad escape 0x00 0x%02x in %s key", b[i+1], t)
			}
		}
		return 0, fmt.Errorf("unterminated %s key", t)
	case codec.KindOption:
		if len(b) == 0 {
			return 0, fmt.Errorf("empty option key")
		}
		switch b[0] {
		case 0:
			return 1, nil
		case 1:
			n, err := KeyLen(t.Elem, b[1:])
			return n + 1, err
		default:
			return 0, fmt.Errorf("option key tag 0x%02x", b[0])
		}
	default:
		return 0, fmt.Errorf("type %s has no key encoding", t)
	}
	if len(b) < fixed {
		return 0, fmt.Errorf("%s key needs %d bytes, %d left", t, fixed, len(b))
	}
	return fixed, nil
}

// skipValue reads one canonical value of t from r, checking it, without
// building anything (the same walk as Type.Validate).
func skipValue(r *codec.Reader, t *codec.Type) {
	switch t.Kind {
	case codec.KindBool:
		r.Bool()
	case codec.KindU8:
		r.U8()
	case codec.KindU16:
		r.U16()
	case codec.KindU32:
		r.U32()
	case codec.KindU64, codec.KindI64:
		r.U64()
	case codec.KindU128:
		r.U128()
	case codec.KindString:
		_ = r.String()
	case codec.KindBytes:
		r.Blob()
	case codec.KindAddress:
		r.Fixed(address.Len)
	case codec.KindList:
		n := r.Len(minSize(t.Elem))
		for i := 0; i < n && r.Err() == nil; i++ {
			skipValue(r, t.Elem)
		}
	case codec.KindOption:
		if r.Option() {
			skipValue(r, t.Elem)
		}
	case codec.KindStruct:
		for _, f := range t.Fields {
			skipValue(r, f.Type)
		}
	default:
		r.Fail("unknown kind %d", t.Kind)
	}
}

// minSize is the fewest bytes a canonical value of t takes.
func minSize(t *codec.Type) int {
	switch t.Kind {
	case codec.KindBool, codec.KindU8, codec.KindOption:
		return 1
	case codec.KindU16:
		return 2
	case codec.KindU32, codec.KindString, codec.KindBytes, codec.KindList:
		return 4
	case codec.KindU64, codec.KindI64:
		return 8
	case codec.KindU128:
		return 16
	case codec.KindAddress:
		return address.Len
	case codec.KindStruct:
		n := 0
		for _, f := range t.Fields {
			n += minSize(f.Type)
		}
		return n
	}
	return 0
}

// SplitValues reads one canonical value of each of ts, in order, from b,
// which must hold exactly those values, and returns each value's bytes
// (aliasing b).
func SplitValues(b []byte, ts []*codec.Type) ([][]byte, error) {
	out := make([][]byte, len(ts))
	r := codec.NewReader(b)
	for i, t := range ts {
		start := len(b) - r.Remaining()
		skipValue(r, t)
		if r.Err() != nil {
			return nil, r.Err()
		}
		out[i] = b[start : len(b)-r.Remaining() : len(b)-r.Remaining()]
	}
	if err := r.Finish(); err != nil {
		return nil, err
	}
	return out, nil
}
