package codec

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// ErrType is returned for type descriptions that are not in the type
// system: unknown names, bad syntax, duplicate fields, too deep nesting.
var ErrType = errors.New("invalid type")

// MaxDepth bounds how deeply types nest (list<list<...>> and structs in
// structs), so that decoding a hostile type or value can never exhaust the
// Go stack.
const MaxDepth = 32

// Kind is one of the type system's constructors.
type Kind uint8

// The kinds, in the order DESIGN.md lists them. The numbers are not part of
// any encoding; types travel in their string form.
const (
	KindBool Kind = iota + 1
	KindU8
	KindU16
	KindU32
	KindU64
	KindI64
	KindU128
	KindString
	KindBytes
	KindAddress
	KindList
	KindOption
	KindStruct
)

var kindNames = map[Kind]string{
	KindBool: "bool", KindU8: "u8", KindU16: "u16", KindU32: "u32", KindU64: "u64",
	KindI64: "i64", KindU128: "u128", KindString: "string", KindBytes: "bytes",
	KindAddress: "address", KindList: "list", KindOption: "option", KindStruct: "struct",
}

// scalarKinds maps the names of kinds without parameters to their kind.
var scalarKinds = map[string]Kind{
	"bool": KindBool, "u8": KindU8, "u16": KindU16, "u32": KindU32, "u64": KindU64,
	"i64": KindI64, "u128": KindU128, "string": KindString, "bytes": KindBytes, "address": KindAddress,
}

// String returns the kind's name as it appears in type strings.
func (k Kind) String() string {
	if s, ok := kindNames[k]; ok {
		return s
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// Type is a type of the vsys type system. Elem is set for list and option,
// Fields for struct. Types are immutable once built; share them freely.
type Type struct {
	Kind   Kind
	Elem   *Type
	Fields []Field
}

// Field is one named member of a struct type. Field order is encoding order.
type Field struct {
	Name string
	Type *Type
}

// Scalar returns the type of a kind without parameters (bool … address).
func Scalar(k Kind) *Type { return &Type{Kind: k} }

// List returns list<elem>.
func List(elem *Type) *Type { return &Type{Kind: KindList, Elem: elem} }

// Option returns option<elem>.
func Option(elem *Type) *Type { return &Type{Kind: KindOption, Elem: elem} }

// Struct returns struct{fields}.
func Struct(fields ...Field) *Type { return &Type{Kind: KindStruct, Fields: fields} }

// String renders the type in its canonical text form, e.g.
// "struct{to:address,amount:u128,memo:option<string>}".
func (t *Type) String() string {
	var b strings.Builder
	t.write(&b)
	return b.String()
}

func (t *Type) write(b *strings.Builder) {
	switch t.Kind {
	case KindList, KindOption:
		b.WriteString(t.Kind.String())
		b.WriteByte('<')
		t.Elem.write(b)
		b.WriteByte('>')
	case KindStruct:
		b.WriteString("struct{")
		for i, f := range t.Fields {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(f.Name)
			b.WriteByte(':')
			f.Type.write(b)
		}
		b.WriteByte('}')
	default:
		b.WriteString(t.Kind.String())
	}
}

// Equal reports whether t and u are the same type (same field names too).
func (t *Type) Equal(u *Type) bool {
	if t == nil || u == nil {
		return t == u
	}
	if t.Kind != u.Kind || len(t.Fields) != len(u.Fields) {
		return false
	}
	for i := range t.Fields {
		if t.Fields[i].Name != u.Fields[i].Name || !t.Fields[i].Type.Equal(u.Fields[i].Type) {
			return false
		}
	}
	if t.Elem != nil || u.Elem != nil {
		return t.Elem.Equal(u.Elem)
	}
	return true
}

// MarshalJSON writes the type as its string form.
func (t *Type) MarshalJSON() ([]byte, error) { return json.Marshal(t.String()) }

// UnmarshalJSON reads the string form.
func (t *Type) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("%w: %v", ErrType, err)
	}
	p, err := ParseType(s)
	if err != nil {
		return err
	}
	*t = *p
	return nil
}

// Check verifies a type built by hand: known kinds, elements present,
// field names valid and unique, depth within MaxDepth, and list elements
// that always take at least one byte (so a count can be bounded by the
// input's length).
func (t *Type) Check() error { return t.check(0) }

func (t *Type) check(depth int) error {
	if t == nil {
		return fmt.Errorf("%w: nil type", ErrType)
	}
	if depth > MaxDepth {
		return fmt.Errorf("%w: nested deeper than %d", ErrType, MaxDepth)
	}
	switch t.Kind {
	case KindList, KindOption:
		if err := t.Elem.check(depth + 1); err != nil {
			return err
		}
		if t.Kind == KindList && t.Elem.minSize() == 0 {
			return fmt.Errorf("%w: list of %s, whose values can be empty", ErrType, t.Elem)
		}
	case KindStruct:
		seen := make(map[string]bool, len(t.Fields))
		for _, f := range t.Fields {
			if !validFieldName(f.Name) {
				return fmt.Errorf("%w: field name %q", ErrType, f.Name)
			}
			if seen[f.Name] {
				return fmt.Errorf("%w: duplicate field %q", ErrType, f.Name)
			}
			seen[f.Name] = true
			if err := f.Type.check(depth + 1); err != nil {
				return err
			}
		}
	default:
		if _, ok := kindNames[t.Kind]; !ok {
			return fmt.Errorf("%w: unknown kind %d", ErrType, t.Kind)
		}
	}
	return nil
}

// minSize is the fewest bytes a value of t encodes to.
func (t *Type) minSize() int {
	switch t.Kind {
	case KindBool, KindU8, KindOption:
		return 1
	case KindU16:
		return 2
	case KindU32, KindString, KindBytes, KindList:
		return 4
	case KindU64, KindI64:
		return 8
	case KindU128:
		return 16
	case KindAddress:
		return 20
	case KindStruct:
		n := 0
		for _, f := range t.Fields {
			n += f.Type.minSize()
		}
		return n
	}
	return 0
}

func validFieldName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i, c := range s {
		switch {
		case c == '_', c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		case c >= '0' && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// ParseType reads a type's string form. Whitespace between tokens is
// allowed; String gives the canonical form back.
func ParseType(s string) (*Type, error) {
	p := typeParser{s: s}
	t := p.parse(0)
	p.space()
	if p.err == nil && p.i != len(p.s) {
		p.fail("unexpected %q", p.s[p.i:])
	}
	if p.err != nil {
		return nil, p.err
	}
	if err := t.Check(); err != nil {
		return nil, err
	}
	return t, nil
}

type typeParser struct {
	s   string
	i   int
	err error
}

func (p *typeParser) fail(format string, args ...any) {
	if p.err == nil {
		p.err = fmt.Errorf("%w: %s at offset %d in %q", ErrType, fmt.Sprintf(format, args...), p.i, p.s)
	}
}

func (p *typeParser) space() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t' || p.s[p.i] == '\n') {
		p.i++
	}
}

func (p *typeParser) ident() string {
	p.space()
	start := p.i
	for p.i < len(p.s) {
		c := p.s[p.i]
		if c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			p.i++
			continue
		}
		break
	}
	return p.s[start:p.i]
}

func (p *typeParser) expect(c byte) {
	p.space()
	if p.err == nil && (p.i >= len(p.s) || p.s[p.i] != c) {
		p.fail("want %q", c)
		return
	}
	p.i++
}

func (p *typeParser) peek(c byte) bool {
	p.space()
	return p.i < len(p.s) && p.s[p.i] == c
}

func (p *typeParser) parse(depth int) *Type {
	if p.err != nil {
		return nil
	}
	if depth > MaxDepth {
		p.fail("nested deeper than %d", MaxDepth)
		return nil
	}
	name := p.ident()
	if k, ok := scalarKinds[name]; ok {
		return Scalar(k)
	}
	switch name {
	case "list", "option":
		p.expect('<')
		elem := p.parse(depth + 1)
		p.expect('>')
		if p.err != nil {
			return nil
		}
		if name == "list" {
			return List(elem)
		}
		return Option(elem)
	case "struct":
		p.expect('{')
		t := Struct()
		for p.err == nil && !p.peek('}') {
			if len(t.Fields) > 0 {
				p.expect(',')
			}
			fname := p.ident()
			p.expect(':')
			ft := p.parse(depth + 1)
			t.Fields = append(t.Fields, Field{Name: fname, Type: ft})
		}
		p.expect('}')
		if p.err != nil {
			return nil
		}
		return t
	case "":
		p.fail("want a type name")
	default:
		p.fail("unknown type %q", name)
	}
	return nil
}

// Validate checks that b is exactly one canonical encoding of a value of t.
func (t *Type) Validate(b []byte) error {
	r := NewReader(b)
	skip(r, t)
	return r.Finish()
}

// skip reads one value of t, checking it, without building anything.
func skip(r *Reader, t *Type) {
	switch t.Kind {
	case KindBool:
		r.Bool()
	case KindU8:
		r.U8()
	case KindU16:
		r.U16()
	case KindU32:
		r.U32()
	case KindU64, KindI64:
		r.U64()
	case KindU128:
		r.U128()
	case KindString:
		_ = r.String()
	case KindBytes:
		r.Blob()
	case KindAddress:
		r.Fixed(addressLen)
	case KindList:
		n := r.Len(t.Elem.minSize())
		for i := 0; i < n && r.Err() == nil; i++ {
			skip(r, t.Elem)
		}
	case KindOption:
		if r.Option() {
			skip(r, t.Elem)
		}
	case KindStruct:
		for _, f := range t.Fields {
			skip(r, f.Type)
		}
	default:
		r.Fail("unknown kind %d", t.Kind)
	}
}
