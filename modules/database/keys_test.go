package database

import (
	"bytes"
	"cmp"
	"math"
	"math/rand"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
)

// keyCase generates values of one type and orders them naturally.
type keyCase struct {
	typ string
	gen func(r *rand.Rand) any
	cmp func(a, b any) int
}

func pick[T any](r *rand.Rand, edges []T, random func() T) T {
	if r.Intn(2) == 0 {
		return edges[r.Intn(len(edges))]
	}
	return random()
}

func randBytes(r *rand.Rand) []byte {
	alphabet := []byte{0x00, 0x01, 'a', 'b', 0xFE, 0xFF}
	b := make([]byte, r.Intn(6))
	for i := range b {
		b[i] = alphabet[r.Intn(len(alphabet))]
	}
	return b
}

func randString(r *rand.Rand) string {
	alphabet := []string{"\x00", "\x01", "a", "b", "ÿ", "\uffff", "\U0010ffff"}
	s := ""
	for n := r.Intn(6); n > 0; n-- {
		s += alphabet[r.Intn(len(alphabet))]
	}
	return s
}

func optCmp[T any](c func(a, b T) int) func(a, b any) int {
	return func(a, b any) int {
		x, y := a.(*T), b.(*T)
		switch {
		case x == nil && y == nil:
			return 0
		case x == nil:
			return -1
		case y == nil:
			return 1
		}
		return c(*x, *y)
	}
}

func ordered[T cmp.Ordered]() func(a, b any) int {
	return func(a, b any) int { return cmp.Compare(a.(T), b.(T)) }
}

func keyCases() []keyCase {
	return []keyCase{
		{"bool", func(r *rand.Rand) any { return r.Intn(2) == 1 }, func(a, b any) int {
			x, y := 0, 0
			if a.(bool) {
				x = 1
			}
			if b.(bool) {
				y = 1
			}
			return cmp.Compare(x, y)
		}},
		{"u8", func(r *rand.Rand) any {
			return pick(r, []uint8{0, 1, 0x7f, 0x80, math.MaxUint8}, func() uint8 { return uint8(r.Uint32()) })
		}, ordered[uint8]()},
		{"u16", func(r *rand.Rand) any {
			return pick(r, []uint16{0, 1, 0xff, 0x100, math.MaxUint16}, func() uint16 { return uint16(r.Uint32()) })
		}, ordered[uint16]()},
		{"u32", func(r *rand.Rand) any {
			return pick(r, []uint32{0, 1, 0xff, 0x100, math.MaxUint32}, r.Uint32)
		}, ordered[uint32]()},
		{"u64", func(r *rand.Rand) any {
			return pick(r, []uint64{0, 1, 0xff, 0x100, 1 << 63, math.MaxUint64}, r.Uint64)
		}, ordered[uint64]()},
		{"i64", func(r *rand.Rand) any {
			return pick(r, []int64{math.MinInt64, math.MinInt64 + 1, -256, -1, 0, 1, 255, math.MaxInt64}, func() int64 { return int64(r.Uint64()) })
		}, ordered[int64]()},
		{"u128", func(r *rand.Rand) any {
			return pick(r, []codec.U128{{}, {Lo: 1}, {Lo: math.MaxUint64}, {Hi: 1}, {Hi: 1, Lo: 0}, codec.MaxU128},
				func() codec.U128 { return codec.U128{Hi: r.Uint64() >> uint(r.Intn(64)), Lo: r.Uint64()} })
		}, func(a, b any) int { return a.(codec.U128).Cmp(b.(codec.U128)) }},
		{"string", func(r *rand.Rand) any { return randString(r) }, ordered[string]()},
		{"bytes", func(r *rand.Rand) any { return randBytes(r) }, func(a, b any) int { return bytes.Compare(a.([]byte), b.([]byte)) }},
		{"address", func(r *rand.Rand) any {
			var a address.Address
			switch r.Intn(3) {
			case 0:
			case 1:
				for i := range a {
					a[i] = 0xff
				}
			default:
				r.Read(a[:])
				a[r.Intn(address.Len)] = 0
			}
			return a
		}, func(a, b any) int {
			x, y := a.(address.Address), b.(address.Address)
			return bytes.Compare(x[:], y[:])
		}},
		{"option<i64>", func(r *rand.Rand) any {
			if r.Intn(4) == 0 {
				return (*int64)(nil)
			}
			v := int64(r.Intn(5) - 2)
			return &v
		}, optCmp(cmp.Compare[int64])},
		{"option<string>", func(r *rand.Rand) any {
			if r.Intn(4) == 0 {
				return (*string)(nil)
			}
			s := randString(r)
			return &s
		}, optCmp(cmp.Compare[string])},
	}
}

func mustKey(t testing.TB, typ *codec.Type, v any) []byte {
	t.Helper()
	b, err := codec.Marshal(v)
	require.NoError(t, err)
	k, err := AppendKey(nil, typ, b)
	require.NoError(t, err)
	n, err := keyLen(typ, append(k, 0x42)) // keyLen stops at the value's end
	require.NoError(t, err)
	require.Equal(t, len(k), n)
	return k
}

func sign(x int) int { return cmp.Compare(x, 0) }

func TestKeyOrderEveryType(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for _, kc := range keyCases() {
		t.Run(kc.typ, func(t *testing.T) {
			typ, err := codec.ParseType(kc.typ)
			require.NoError(t, err)
			for i := 0; i < 3000; i++ {
				a, b := kc.gen(r), kc.gen(r)
				ka, kb := mustKey(t, typ, a), mustKey(t, typ, b)
				require.Equal(t, sign(kc.cmp(a, b)), sign(bytes.Compare(ka, kb)), "%#v vs %#v: keys %x %x", a, b, ka, kb)
			}
		})
	}
}

func TestKeyOrderMultiColumn(t *testing.T) {
	type tuple struct {
		A int64
		B string
		C []byte
		D *uint8
	}
	typs := []*codec.Type{codec.Scalar(codec.KindI64), codec.Scalar(codec.KindString), codec.Scalar(codec.KindBytes), codec.Option(codec.Scalar(codec.KindU8))}
	r := rand.New(rand.NewSource(2))
	gen := func() tuple {
		tp := tuple{A: int64(r.Intn(3) - 1), B: randString(r), C: randBytes(r)}
		if r.Intn(3) > 0 {
			d := uint8(r.Intn(3))
			tp.D = &d
		}
		return tp
	}
	key := func(tp tuple) []byte {
		var k []byte
		for i, v := range []any{tp.A, tp.B, tp.C, tp.D} {
			k = append(k, mustKey(t, typs[i], v)...)
		}
		return k
	}
	natural := func(a, b tuple) int {
		if c := cmp.Compare(a.A, b.A); c != 0 {
			return c
		}
		if c := cmp.Compare(a.B, b.B); c != 0 {
			return c
		}
		if c := bytes.Compare(a.C, b.C); c != 0 {
			return c
		}
		return optCmp(cmp.Compare[uint8])(a.D, b.D)
	}
	for i := 0; i < 5000; i++ {
		a, b := gen(), gen()
		require.Equal(t, sign(natural(a, b)), sign(bytes.Compare(key(a), key(b))), "%#v vs %#v", a, b)
	}
}

func TestKeyEncodingVectors(t *testing.T) {
	for _, tc := range []struct {
		typ  string
		v    any
		want []byte
	}{
		{"bool", true, []byte{1}},
		{"u16", uint16(0x1234), []byte{0x12, 0x34}},
		{"i64", int64(-1), []byte{0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}},
		{"i64", int64(0), []byte{0x80, 0, 0, 0, 0, 0, 0, 0}},
		{"u128", codec.U128{Hi: 1, Lo: 2}, []byte{0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2}},
		{"string", "a\x00b", []byte{'a', 0, 0xff, 'b', 0, 0}},
		{"bytes", []byte{}, []byte{0, 0}},
		{"option<u8>", (*uint8)(nil), []byte{0}},
	} {
		typ, err := codec.ParseType(tc.typ)
		require.NoError(t, err)
		require.Equal(t, tc.want, mustKey(t, typ, tc.v), tc.typ)
	}
}

func TestAppendKeyRejects(t *testing.T) {
	u64 := codec.Scalar(codec.KindU64)
	_, err := AppendKey(nil, u64, []byte{1, 2, 3})
	require.ErrorIs(t, err, codec.ErrMalformed)
	_, err = AppendKey(nil, u64, make([]byte, 9))
	require.ErrorIs(t, err, codec.ErrMalformed)
	_, err = AppendKey(nil, codec.List(u64), []byte{0, 0, 0, 0})
	require.ErrorIs(t, err, ErrSchema)
	_, err = AppendKey(nil, codec.Scalar(codec.KindString), []byte{1, 0, 0, 0, 0xff})
	require.ErrorIs(t, err, codec.ErrMalformed) // invalid UTF-8
	_, err = keyLen(codec.Scalar(codec.KindString), []byte{'a', 0, 1})
	require.Error(t, err)
	_, err = keyLen(codec.Scalar(codec.KindString), []byte{'a', 0})
	require.Error(t, err)
}

// FuzzKeyOrder checks that (i64, string) keys order like the tuples.
func FuzzKeyOrder(f *testing.F) {
	f.Add(int64(-1), "a", int64(0), "a\x00")
	f.Add(int64(math.MinInt64), "", int64(math.MaxInt64), "\x00\x00")
	f.Add(int64(5), "ab", int64(5), "a")
	typs := []*codec.Type{codec.Scalar(codec.KindI64), codec.Scalar(codec.KindString)}
	f.Fuzz(func(t *testing.T, a1 int64, s1 string, a2 int64, s2 string) {
		if !utf8.ValidString(s1) || !utf8.ValidString(s2) {
			return
		}
		key := func(a int64, s string) []byte {
			return append(mustKey(t, typs[0], a), mustKey(t, typs[1], s)...)
		}
		want := cmp.Compare(a1, a2)
		if want == 0 {
			want = cmp.Compare(s1, s2)
		}
		k1, k2 := key(a1, s1), key(a2, s2)
		if got := bytes.Compare(k1, k2); got != want {
			t.Fatalf("(%d,%q) vs (%d,%q): want %d, keys %x %x compare %d", a1, s1, a2, s2, want, k1, k2, got)
		}
		n, err := keyLen(typs[0], k1)
		require.NoError(t, err)
		m, err := keyLen(typs[1], k1[n:])
		require.NoError(t, err)
		require.Equal(t, len(k1), n+m)
	})
}
