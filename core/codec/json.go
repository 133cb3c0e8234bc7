package codec

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/vsys/vsys/core/address"
)

// ErrJSON is returned when JSON does not match the type it is read as.
var ErrJSON = errors.New("json does not match type")

// FromJSON encodes a JSON value as a canonical value of t. The mapping
// (docs/encoding.md): bool ↔ true/false; u8, u16, u32 ↔ numbers; u64, i64,
// u128 ↔ decimal strings (numbers accepted on input); string ↔ string;
// bytes ↔ "0x…" hex; address ↔ bech32 string; list ↔ array; option ↔ null
// or the value; struct ↔ object with exactly its fields (a missing option
// field reads as null).
func FromJSON(t *Type, js []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrJSON, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: trailing data after the value", ErrJSON)
	}
	w := NewWriter(64)
	if err := encodeJSON(w, t, v, "$"); err != nil {
		return nil, err
	}
	return w.Bytes(), nil
}

func jsonErr(path, format string, args ...any) error {
	return fmt.Errorf("%w: %s: %s", ErrJSON, path, fmt.Sprintf(format, args...))
}

func encodeJSON(w *Writer, t *Type, v any, path string) error {
	switch t.Kind {
	case KindBool:
		b, ok := v.(bool)
		if !ok {
			return jsonErr(path, "want true or false, got %s", describe(v))
		}
		w.Bool(b)
	case KindU8, KindU16, KindU32, KindU64:
		max := map[Kind]uint64{KindU8: math.MaxUint8, KindU16: math.MaxUint16, KindU32: math.MaxUint32, KindU64: math.MaxUint64}[t.Kind]
		n, err := jsonUint(v, max)
		if err != nil {
			return jsonErr(path, "%s: %v", t.Kind, err)
		}
		switch t.Kind {
		case KindU8:
			w.U8(uint8(n))
		case KindU16:
			w.U16(uint16(n))
		case KindU32:
			w.U32(uint32(n))
		default:
			w.U64(n)
		}
	case KindI64:
		s, err := jsonDigits(v)
		if err != nil {
			return jsonErr(path, "i64: %v", err)
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return jsonErr(path, "i64: %q out of range or not an integer", s)
		}
		w.I64(n)
	case KindU128:
		s, err := jsonDigits(v)
		if err != nil {
			return jsonErr(path, "u128: %v", err)
		}
		x, err := ParseU128(s)
		if err != nil {
			return jsonErr(path, "u128: %v", err)
		}
		w.U128(x)
	case KindString:
		s, ok := v.(string)
		if !ok {
			return jsonErr(path, "want a string, got %s", describe(v))
		}
		w.String(s)
	case KindBytes:
		s, ok := v.(string)
		if !ok || !strings.HasPrefix(s, "0x") {
			return jsonErr(path, "want bytes as a \"0x…\" hex string, got %s", describe(v))
		}
		b, err := hex.DecodeString(s[2:])
		if err != nil {
			return jsonErr(path, "bytes: %v", err)
		}
		w.Blob(b)
	case KindAddress:
		s, ok := v.(string)
		if !ok {
			return jsonErr(path, "want an address string, got %s", describe(v))
		}
		a, err := address.Parse(s)
		if err != nil {
			return jsonErr(path, "%v", err)
		}
		w.Fixed(a[:])
	case KindList:
		items, ok := v.([]any)
		if !ok {
			return jsonErr(path, "want an array, got %s", describe(v))
		}
		w.Len(len(items))
		for i, item := range items {
			if err := encodeJSON(w, t.Elem, item, fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	case KindOption:
		w.Option(v != nil)
		if v != nil {
			return encodeJSON(w, t.Elem, v, path)
		}
	case KindStruct:
		obj, ok := v.(map[string]any)
		if !ok {
			return jsonErr(path, "want an object with fields %s, got %s", fieldList(t), describe(v))
		}
		for _, f := range t.Fields {
			fv, present := obj[f.Name]
			if !present && f.Type.Kind != KindOption {
				return jsonErr(path, "missing field %q (%s)", f.Name, f.Type)
			}
			if err := encodeJSON(w, f.Type, fv, path+"."+f.Name); err != nil {
				return err
			}
		}
		if unknown := unknownFields(t, obj); len(unknown) > 0 {
			return jsonErr(path, "unknown field %q; fields are %s", unknown[0], fieldList(t))
		}
	default:
		return jsonErr(path, "unknown kind %d", t.Kind)
	}
	return nil
}

// unknownFields lists obj's keys that t lacks, sorted so the error names
// the same field every time.
func unknownFields(t *Type, obj map[string]any) []string {
	var out []string
	for k := range obj {
		if !hasField(t, k) {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

func hasField(t *Type, name string) bool {
	for _, f := range t.Fields {
		if f.Name == name {
			return true
		}
	}
	return false
}

func fieldList(t *Type) string {
	names := make([]string, len(t.Fields))
	for i, f := range t.Fields {
		names[i] = f.Name
	}
	return "{" + strings.Join(names, ", ") + "}"
}

func describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return strconv.FormatBool(x)
	case json.Number:
		return "number " + x.String()
	case string:
		if len(x) > 40 {
			x = x[:40] + "…"
		}
		return strconv.Quote(x)
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// jsonDigits accepts an integer as a JSON number or a decimal string, the
// latter because JavaScript numbers lose precision above 2^53.
func jsonDigits(v any) (string, error) {
	switch x := v.(type) {
	case json.Number:
		return x.String(), nil
	case string:
		return x, nil
	}
	return "", fmt.Errorf("want an integer (number or decimal string), got %s", describe(v))
}

func jsonUint(v any, max uint64) (uint64, error) {
	s, err := jsonDigits(v)
	if err != nil {
		return 0, err
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil || n > max {
		return 0, fmt.Errorf("%q is not an integer in 0..%d", s, max)
	}
	return n, nil
}

// ToJSON decodes b, which must be one canonical value of t, into its JSON
// form. Struct fields come out in type order, so the output is
// deterministic.
func ToJSON(t *Type, b []byte) (json.RawMessage, error) {
	r := NewReader(b)
	var out bytes.Buffer
	decodeJSON(r, t, &out)
	if err := r.Finish(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

func decodeJSON(r *Reader, t *Type, out *bytes.Buffer) {
	if r.Err() != nil {
		return
	}
	switch t.Kind {
	case KindBool:
		out.WriteString(strconv.FormatBool(r.Bool()))
	case KindU8:
		out.WriteString(strconv.FormatUint(uint64(r.U8()), 10))
	case KindU16:
		out.WriteString(strconv.FormatUint(uint64(r.U16()), 10))
	case KindU32:
		out.WriteString(strconv.FormatUint(uint64(r.U32()), 10))
	case KindU64:
		out.WriteString(strconv.Quote(strconv.FormatUint(r.U64(), 10)))
	case KindI64:
		out.WriteString(strconv.Quote(strconv.FormatInt(r.I64(), 10)))
	case KindU128:
		out.WriteString(strconv.Quote(r.U128().String()))
	case KindString:
		s, _ := json.Marshal(r.String())
		out.Write(s)
	case KindBytes:
		out.WriteString(`"0x` + hex.EncodeToString(r.Blob()) + `"`)
	case KindAddress:
		var a address.Address
		copy(a[:], r.Fixed(addressLen))
		out.WriteString(`"` + a.String() + `"`)
	case KindList:
		n := r.Len(t.Elem.minSize())
		out.WriteByte('[')
		for i := 0; i < n && r.Err() == nil; i++ {
			if i > 0 {
				out.WriteByte(',')
			}
			decodeJSON(r, t.Elem, out)
		}
		out.WriteByte(']')
	case KindOption:
		if r.Option() {
			decodeJSON(r, t.Elem, out)
		} else {
			out.WriteString("null")
		}
	case KindStruct:
		out.WriteByte('{')
		for i, f := range t.Fields {
			if i > 0 {
				out.WriteByte(',')
			}
			out.WriteString(strconv.Quote(f.Name))
			out.WriteByte(':')
			decodeJSON(r, f.Type, out)
		}
		out.WriteByte('}')
	default:
		r.Fail("unknown kind %d", t.Kind)
	}
}

// StructFields renders a struct value field by field, in type order, for
// indexers and logs: strings, addresses, bytes and 64/128-bit integers as
// their bare text ("vsys1…", "0xcafe", "1000"), everything else as its
// JSON. It is ToJSON without building and re-parsing one JSON object.
func StructFields(t *Type, b []byte) ([][2]string, error) {
	if t.Kind != KindStruct {
		return nil, fmt.Errorf("%w: %s is not a struct", ErrType, t)
	}
	r := NewReader(b)
	out := make([][2]string, len(t.Fields))
	var buf bytes.Buffer
	for i, f := range t.Fields {
		out[i][0] = f.Name
		if f.Type.Kind == KindString {
			out[i][1] = r.String()
			continue
		}
		buf.Reset()
		decodeJSON(r, f.Type, &buf)
		if r.Err() != nil {
			return nil, r.Err()
		}
		v := buf.Bytes()
		switch f.Type.Kind {
		case KindAddress, KindBytes, KindU64, KindI64, KindU128: // quoted, never escaped
			v = v[1 : len(v)-1]
		}
		out[i][1] = string(v)
	}
	if err := r.Finish(); err != nil {
		return nil, err
	}
	return out, nil
}
