package codec

import (
	"bytes"
	"testing"
)

// FuzzBinaryJSON: any bytes that validate as a value must survive the JSON
// mapping unchanged, and bytes that do not validate must be refused by
// ToJSON too.
func FuzzBinaryJSON(f *testing.F) {
	typ, err := ParseType(goldenType)
	if err != nil {
		f.Fatal(err)
	}
	b, _ := Marshal(sampleValue())
	f.Add(b)
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, in []byte) {
		js, jerr := ToJSON(typ, in)
		verr := typ.Validate(in)
		if (jerr == nil) != (verr == nil) {
			t.Fatalf("Validate %v but ToJSON %v", verr, jerr)
		}
		if verr != nil {
			return
		}
		out, err := FromJSON(typ, js)
		if err != nil {
			t.Fatalf("FromJSON(ToJSON(x)): %v\n%s", err, js)
		}
		if !bytes.Equal(in, out) {
			t.Fatalf("round trip changed bytes\n in %x\nout %x", in, out)
		}
		var v sample
		if err := Unmarshal(in, &v); err != nil {
			t.Fatalf("Validate accepted what Unmarshal refuses: %v", err)
		}
	})
}

// FuzzParseType: parsing never panics, and what parses prints back to a
// string that parses to the same type.
func FuzzParseType(f *testing.F) {
	for _, s := range []string{goldenType, "list<u8>", "option<struct{a:bool}>", "struct{"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		typ, err := ParseType(s)
		if err != nil {
			return
		}
		again, err := ParseType(typ.String())
		if err != nil || !typ.Equal(again) {
			t.Fatalf("%q printed as %q does not parse back: %v", s, typ.String(), err)
		}
	})
}

// FuzzFromJSON: arbitrary JSON never panics, and accepted JSON encodes to
// a valid value.
func FuzzFromJSON(f *testing.F) {
	typ, _ := ParseType(goldenType)
	f.Add([]byte(goldenJSON))
	f.Add([]byte(`{"a":1}`))
	f.Fuzz(func(t *testing.T, js []byte) {
		b, err := FromJSON(typ, js)
		if err != nil {
			return
		}
		if err := typ.Validate(b); err != nil {
			t.Fatalf("FromJSON produced an invalid value: %v", err)
		}
	})
}
