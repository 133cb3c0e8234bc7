package lightclient

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// The few protobuf wire rules the header and misbehaviour encodings need
// (protobuf's varint is encoding/binary's uvarint), written out so the
// package adds no protobuf runtime of its own: a field is a varint key
// (number<<3 | wire type) then a varint or a length-prefixed body.
const (
	wireVarint = 0
	wireBytes  = 2
)

var errWire = errors.New("malformed protobuf")

// appendBytesField appends field num as a length-delimited body.
func appendBytesField(b []byte, num int, body []byte) []byte {
	b = binary.AppendUvarint(b, uint64(num)<<3|wireBytes)
	b = binary.AppendUvarint(b, uint64(len(body)))
	return append(b, body...)
}

// appendVarintField appends field num as a varint, omitting it when zero
// as proto3 does.
func appendVarintField(b []byte, num int, v uint64) []byte {
	if v == 0 {
		return b
	}
	b = binary.AppendUvarint(b, uint64(num)<<3|wireVarint)
	return binary.AppendUvarint(b, v)
}

// field is one decoded protobuf field.
type field struct {
	num   int
	typ   int
	value uint64 // wireVarint
	body  []byte // wireBytes
}

// parseFields splits b into fields, refusing wire types other than varint
// and length-delimited, numbers outside [1, maxNum] and any field that
// appears twice: the messages here have no repeated fields, and a strict
// reader leaves a hostile encoder no second way to say one thing.
func parseFields(b []byte, maxNum int) ([]field, error) {
	var out []field
	seen := make([]bool, maxNum+1)
	for len(b) > 0 {
		key, n := binary.Uvarint(b)
		if n <= 0 {
			return nil, fmt.Errorf("%w: bad field key", errWire)
		}
		b = b[n:]
		f := field{num: int(key >> 3), typ: int(key & 7)}
		if key>>3 == 0 || key>>3 > uint64(maxNum) {
			return nil, fmt.Errorf("%w: unknown field %d", errWire, key>>3)
		}
		if seen[f.num] {
			return nil, fmt.Errorf("%w: field %d repeated", errWire, f.num)
		}
		seen[f.num] = true
		switch f.typ {
		case wireVarint:
			v, n := binary.Uvarint(b)
			if n <= 0 {
				return nil, fmt.Errorf("%w: bad varint in field %d", errWire, f.num)
			}
			f.value, b = v, b[n:]
		case wireBytes:
			l, n := binary.Uvarint(b)
			if n <= 0 || l > uint64(len(b)-n) {
				return nil, fmt.Errorf("%w: bad length in field %d", errWire, f.num)
			}
			f.body, b = b[n:n+int(l)], b[n+int(l):]
		default:
			return nil, fmt.Errorf("%w: wire type %d in field %d", errWire, f.typ, f.num)
		}
		out = append(out, f)
	}
	return out, nil
}
