package codec

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"unicode"

	"github.com/vsys/vsys/core/address"
)

// ErrUnsupported is returned for Go types outside the type system (int,
// float, map, interface, ...). Native modules meet it at startup.
var ErrUnsupported = errors.New("go type not in the vsys type system")

const addressLen = address.Len

// plan is how one Go type maps onto the type system: its Type and the
// functions that encode and decode it. Plans are built once per Go type.
type plan struct {
	typ *Type
	enc func(w *Writer, v reflect.Value)
	dec func(r *Reader, v reflect.Value)
}

var (
	plans       sync.Map // reflect.Type -> *plan
	planBuildMu sync.Mutex
	u128Type    = reflect.TypeOf(U128{})
)

// TypeOf returns the vsys type of v's Go type.
func TypeOf(v any) (*Type, error) { return TypeOfReflect(reflect.TypeOf(v)) }

// TypeOfReflect returns the vsys type of a Go type. The mapping:
//
//	bool, uint8, uint16, uint32, uint64, int64  → bool, u8 … u64, i64
//	codec.U128                                 → u128
//	string                                     → string
//	[]byte                                     → bytes
//	[20]byte (address.Address)                 → address
//	[]T                                        → list<T>
//	*T                                         → option<T>
//	struct                                     → struct, exported fields in order,
//	                                             named in snake_case or by a `vsys:"name"` tag
//	                                             (`vsys:"-"` skips a field)
func TypeOfReflect(rt reflect.Type) (*Type, error) {
	p, err := planFor(rt)
	if err != nil {
		return nil, err
	}
	return p.typ, nil
}

// Marshal encodes v canonically. A pointer is an option: pass values, and
// decode into a pointer to the same type with Unmarshal.
func Marshal(v any) ([]byte, error) {
	rv := reflect.ValueOf(v)
	if !rv.IsValid() {
		return nil, fmt.Errorf("marshal nil: %w", ErrUnsupported)
	}
	p, err := planFor(rv.Type())
	if err != nil {
		return nil, err
	}
	w := NewWriter(64)
	p.enc(w, rv)
	return w.Bytes(), nil
}

// Unmarshal decodes b, which must be exactly one canonical value, into the
// value ptr points to. On error *ptr may be partly written.
func Unmarshal(b []byte, ptr any) error {
	rv := reflect.ValueOf(ptr)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return fmt.Errorf("unmarshal into %T: want a non-nil pointer", ptr)
	}
	p, err := planFor(rv.Type().Elem())
	if err != nil {
		return err
	}
	r := NewReader(b)
	p.dec(r, rv.Elem())
	return r.Finish()
}

func planFor(rt reflect.Type) (*plan, error) {
	if rt == nil {
		return nil, fmt.Errorf("nil type: %w", ErrUnsupported)
	}
	if p, ok := plans.Load(rt); ok {
		return p.(*plan), nil
	}
	planBuildMu.Lock()
	defer planBuildMu.Unlock()
	p, err := buildPlan(rt, map[reflect.Type]bool{}, 0)
	if err != nil {
		return nil, err
	}
	if err := p.typ.Check(); err != nil {
		return nil, fmt.Errorf("go type %s: %w", rt, err)
	}
	plans.Store(rt, p)
	return p, nil
}

func buildPlan(rt reflect.Type, building map[reflect.Type]bool, depth int) (*plan, error) {
	if p, ok := plans.Load(rt); ok {
		return p.(*plan), nil
	}
	if building[rt] {
		return nil, fmt.Errorf("go type %s is recursive: %w", rt, ErrUnsupported)
	}
	if depth > MaxDepth {
		return nil, fmt.Errorf("go type %s nests deeper than %d: %w", rt, MaxDepth, ErrUnsupported)
	}
	building[rt] = true
	defer delete(building, rt)

	if rt == u128Type {
		return &plan{typ: Scalar(KindU128),
			// Field 0 is Hi, field 1 is Lo; going through the fields avoids
			// boxing every amount in an interface.
			enc: func(w *Writer, v reflect.Value) { w.U128(U128{Hi: v.Field(0).Uint(), Lo: v.Field(1).Uint()}) },
			dec: func(r *Reader, v reflect.Value) {
				x := r.U128()
				v.Field(0).SetUint(x.Hi)
				v.Field(1).SetUint(x.Lo)
			},
		}, nil
	}
	switch rt.Kind() {
	case reflect.Bool:
		return &plan{typ: Scalar(KindBool),
			enc: func(w *Writer, v reflect.Value) { w.Bool(v.Bool()) },
			dec: func(r *Reader, v reflect.Value) { v.SetBool(r.Bool()) },
		}, nil
	case reflect.Uint8:
		return &plan{typ: Scalar(KindU8),
			enc: func(w *Writer, v reflect.Value) { w.U8(uint8(v.Uint())) },
			dec: func(r *Reader, v reflect.Value) { v.SetUint(uint64(r.U8())) },
		}, nil
	case reflect.Uint16:
		return &plan{typ: Scalar(KindU16),
			enc: func(w *Writer, v reflect.Value) { w.U16(uint16(v.Uint())) },
			dec: func(r *Reader, v reflect.Value) { v.SetUint(uint64(r.U16())) },
		}, nil
	case reflect.Uint32:
		return &plan{typ: Scalar(KindU32),
			enc: func(w *Writer, v reflect.Value) { w.U32(uint32(v.Uint())) },
			dec: func(r *Reader, v reflect.Value) { v.SetUint(uint64(r.U32())) },
		}, nil
	case reflect.Uint64:
		return &plan{typ: Scalar(KindU64),
			enc: func(w *Writer, v reflect.Value) { w.U64(v.Uint()) },
			dec: func(r *Reader, v reflect.Value) { v.SetUint(r.U64()) },
		}, nil
	case reflect.Int64:
		return &plan{typ: Scalar(KindI64),
			enc: func(w *Writer, v reflect.Value) { w.I64(v.Int()) },
			dec: func(r *Reader, v reflect.Value) { v.SetInt(r.I64()) },
		}, nil
	case reflect.String:
		return &plan{typ: Scalar(KindString),
			enc: func(w *Writer, v reflect.Value) { w.String(v.String()) },
			dec: func(r *Reader, v reflect.Value) { v.SetString(r.String()) },
		}, nil
	case reflect.Array:
		if rt.Len() != addressLen || rt.Elem().Kind() != reflect.Uint8 {
			break
		}
		return &plan{typ: Scalar(KindAddress),
			enc: func(w *Writer, v reflect.Value) {
				var a [addressLen]byte
				reflect.Copy(reflect.ValueOf(a[:]), v)
				w.Fixed(a[:])
			},
			dec: func(r *Reader, v reflect.Value) {
				if b := r.Fixed(addressLen); b != nil {
					reflect.Copy(v, reflect.ValueOf(b))
				}
			},
		}, nil
	case reflect.Slice:
		if rt.Elem().Kind() == reflect.Uint8 {
			return &plan{typ: Scalar(KindBytes),
				enc: func(w *Writer, v reflect.Value) { w.Blob(v.Bytes()) },
				dec: func(r *Reader, v reflect.Value) {
					b := r.Blob()
					if r.Err() == nil {
						v.SetBytes(append([]byte{}, b...))
					}
				},
			}, nil
		}
		return slicePlan(rt, building, depth)
	case reflect.Pointer:
		return pointerPlan(rt, building, depth)
	case reflect.Struct:
		return structPlan(rt, building, depth)
	}
	return nil, fmt.Errorf("go type %s: %w", rt, ErrUnsupported)
}

func slicePlan(rt reflect.Type, building map[reflect.Type]bool, depth int) (*plan, error) {
	ep, err := buildPlan(rt.Elem(), building, depth+1)
	if err != nil {
		return nil, err
	}
	minItem := ep.typ.minSize()
	return &plan{typ: List(ep.typ),
		enc: func(w *Writer, v reflect.Value) {
			n := v.Len()
			w.Len(n)
			for i := 0; i < n; i++ {
				ep.enc(w, v.Index(i))
			}
		},
		dec: func(r *Reader, v reflect.Value) {
			n := r.Len(minItem)
			if r.Err() != nil {
				return
			}
			s := reflect.MakeSlice(rt, n, n)
			for i := 0; i < n && r.Err() == nil; i++ {
				ep.dec(r, s.Index(i))
			}
			v.Set(s)
		},
	}, nil
}

func pointerPlan(rt reflect.Type, building map[reflect.Type]bool, depth int) (*plan, error) {
	ep, err := buildPlan(rt.Elem(), building, depth+1)
	if err != nil {
		return nil, err
	}
	return &plan{typ: Option(ep.typ),
		enc: func(w *Writer, v reflect.Value) {
			w.Option(!v.IsNil())
			if !v.IsNil() {
				ep.enc(w, v.Elem())
			}
		},
		dec: func(r *Reader, v reflect.Value) {
			if !r.Option() {
				v.SetZero()
				return
			}
			e := reflect.New(rt.Elem())
			ep.dec(r, e.Elem())
			v.Set(e)
		},
	}, nil
}

func structPlan(rt reflect.Type, building map[reflect.Type]bool, depth int) (*plan, error) {
	type member struct {
		index int
		p     *plan
	}
	var members []member
	t := Struct()
	for i := 0; i < rt.NumField(); i++ {
		sf := rt.Field(i)
		tag := sf.Tag.Get("vsys")
		if !sf.IsExported() || tag == "-" {
			continue
		}
		fp, err := buildPlan(sf.Type, building, depth+1)
		if err != nil {
			return nil, fmt.Errorf("field %s.%s: %w", rt, sf.Name, err)
		}
		name := tag
		if name == "" {
			name = SnakeCase(sf.Name)
		}
		t.Fields = append(t.Fields, Field{Name: name, Type: fp.typ})
		members = append(members, member{i, fp})
	}
	return &plan{typ: t,
		enc: func(w *Writer, v reflect.Value) {
			for _, m := range members {
				m.p.enc(w, v.Field(m.index))
			}
		},
		dec: func(r *Reader, v reflect.Value) {
			for _, m := range members {
				m.p.dec(r, v.Field(m.index))
			}
		},
	}, nil
}

// SnakeCase turns a Go field name into the type system's field name:
// MaxSupply → max_supply, TxID → tx_id, HTTPServer → http_server.
func SnakeCase(s string) string {
	rs := []rune(s)
	var b strings.Builder
	for i, r := range rs {
		if unicode.IsUpper(r) {
			prevLower := i > 0 && (unicode.IsLower(rs[i-1]) || unicode.IsDigit(rs[i-1]))
			nextLower := i > 0 && i+1 < len(rs) && unicode.IsUpper(rs[i-1]) && unicode.IsLower(rs[i+1])
			if prevLower || nextLower {
				b.WriteByte('_')
			}
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
