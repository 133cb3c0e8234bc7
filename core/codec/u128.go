package codec

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/bits"
	"strconv"
)

// ErrOverflow is returned when u128 arithmetic would exceed 2^128-1.
var ErrOverflow = errors.New("u128 overflow")

// ErrUnderflow is returned when u128 subtraction would go below zero.
var ErrUnderflow = errors.New("u128 underflow")

// U128 is an unsigned 128-bit integer, the type of every token amount.
type U128 struct{ Hi, Lo uint64 }

// MaxU128 is 2^128-1.
var MaxU128 = U128{Hi: ^uint64(0), Lo: ^uint64(0)}

// NewU128 widens a uint64.
func NewU128(v uint64) U128 { return U128{Lo: v} }

// IsZero reports whether x == 0.
func (x U128) IsZero() bool { return x.Hi == 0 && x.Lo == 0 }

// Cmp returns -1, 0 or +1 as x is less than, equal to or greater than y.
func (x U128) Cmp(y U128) int {
	switch {
	case x.Hi < y.Hi:
		return -1
	case x.Hi > y.Hi:
		return 1
	case x.Lo < y.Lo:
		return -1
	case x.Lo > y.Lo:
		return 1
	}
	return 0
}

// Add returns x+y or ErrOverflow.
func (x U128) Add(y U128) (U128, error) {
	lo, c := bits.Add64(x.Lo, y.Lo, 0)
	hi, c := bits.Add64(x.Hi, y.Hi, c)
	if c != 0 {
		return U128{}, fmt.Errorf("%s + %s: %w", x, y, ErrOverflow)
	}
	return U128{hi, lo}, nil
}

// Sub returns x-y or ErrUnderflow.
func (x U128) Sub(y U128) (U128, error) {
	lo, b := bits.Sub64(x.Lo, y.Lo, 0)
	hi, b := bits.Sub64(x.Hi, y.Hi, b)
	if b != 0 {
		return U128{}, fmt.Errorf("%s - %s: %w", x, y, ErrUnderflow)
	}
	return U128{hi, lo}, nil
}

// Mul64 returns x*y or ErrOverflow.
func (x U128) Mul64(y uint64) (U128, error) {
	hLo, lo := bits.Mul64(x.Lo, y)
	hHi, hi := bits.Mul64(x.Hi, y)
	hi, c := bits.Add64(hi, hLo, 0)
	if hHi != 0 || c != 0 {
		return U128{}, fmt.Errorf("%s * %d: %w", x, y, ErrOverflow)
	}
	return U128{hi, lo}, nil
}

// divmod10 returns x/10 and x%10.
func (x U128) divmod10() (U128, uint64) {
	qHi, r := bits.Div64(0, x.Hi, 10)
	qLo, r := bits.Div64(r, x.Lo, 10)
	return U128{qHi, qLo}, r
}

// String returns the decimal form.
func (x U128) String() string {
	if x.Hi == 0 {
		return strconv.FormatUint(x.Lo, 10)
	}
	var buf [40]byte
	i := len(buf)
	for !x.IsZero() {
		var d uint64
		x, d = x.divmod10()
		i--
		buf[i] = byte('0' + d)
	}
	return string(buf[i:])
}

// ParseU128 parses a decimal string with no sign, no leading '+' and at
// least one digit.
func ParseU128(s string) (U128, error) {
	if s == "" {
		return U128{}, fmt.Errorf("parse u128: empty string")
	}
	var x U128
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return U128{}, fmt.Errorf("parse u128 %q: not a decimal digit at %d", s, i)
		}
		var err error
		if x, err = x.Mul64(10); err == nil {
			x, err = x.Add(NewU128(uint64(c - '0')))
		}
		if err != nil {
			return U128{}, fmt.Errorf("parse u128 %q: %w", s, ErrOverflow)
		}
	}
	return x, nil
}

// MarshalJSON writes a decimal string: JSON numbers lose precision past 2^53.
func (x U128) MarshalJSON() ([]byte, error) { return json.Marshal(x.String()) }

// UnmarshalJSON accepts a decimal string or a non-negative JSON integer.
func (x *U128) UnmarshalJSON(b []byte) error {
	s := string(b)
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
	}
	v, err := ParseU128(s)
	if err != nil {
		return err
	}
	*x = v
	return nil
}
