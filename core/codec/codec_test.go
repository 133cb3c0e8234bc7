package codec

import (
	"encoding/hex"
	"errors"
	"reflect"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/address"
)

type inner struct {
	Flag bool
	Tag  *string
}

type sample struct {
	Small   uint8
	Port    uint16
	Count   uint32
	Nonce   uint64
	Delta   int64
	Amount  U128
	Name    string
	Data    []byte
	Owner   address.Address
	Items   []uint32
	Memo    *string
	Inner   inner
	Renamed uint8 `vsys:"other"`
	Skipped uint8 `vsys:"-"`
	hidden  uint8
}

func sampleValue() sample {
	memo := "hi"
	var owner address.Address
	for i := range owner {
		owner[i] = byte(i + 1)
	}
	return sample{
		Small: 7, Port: 0x1234, Count: 0xdeadbeef, Nonce: 1 << 40, Delta: -2,
		Amount: U128{Hi: 1, Lo: 2}, Name: "vsys", Data: []byte{0xca, 0xfe},
		Owner: owner, Items: []uint32{1, 2}, Memo: &memo, Inner: inner{Flag: true}, Renamed: 9,
	}
}

// The golden encoding, type string and JSON of one value touching every
// kind. A change here is a consensus change: state written by an old node
// would no longer decode the same way.
const (
	goldenType = "struct{small:u8,port:u16,count:u32,nonce:u64,delta:i64,amount:u128,name:string,data:bytes," +
		"owner:address,items:list<u32>,memo:option<string>,inner:struct{flag:bool,tag:option<string>},other:u8}"
	goldenHex = "07" + "3412" + "efbeadde" + "0000000000010000" + "feffffffffffffff" +
		"0200000000000000" + "0100000000000000" + "0400000076737973" + "02000000cafe" +
		"0102030405060708090a0b0c0d0e0f1011121314" + "020000000100000002000000" +
		"01" + "020000006869" + "01" + "00" + "09"
	goldenJSON = `{"small":7,"port":4660,"count":3735928559,"nonce":"1099511627776","delta":"-2",` +
		`"amount":"18446744073709551618","name":"vsys","data":"0xcafe",` +
		`"owner":"vsys1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5kqrcqq","items":[1,2],"memo":"hi",` +
		`"inner":{"flag":true,"tag":null},"other":9}`
)

func TestGolden(t *testing.T) {
	v := sampleValue()
	typ, err := TypeOf(v)
	require.NoError(t, err)
	require.Equal(t, goldenType, typ.String())

	b, err := Marshal(v)
	require.NoError(t, err)
	require.Equal(t, goldenHex, hex.EncodeToString(b))
	require.NoError(t, typ.Validate(b))

	var back sample
	require.NoError(t, Unmarshal(b, &back))
	v.Skipped, v.hidden = 0, 0
	require.Equal(t, v, back)

	js, err := ToJSON(typ, b)
	require.NoError(t, err)
	require.Equal(t, goldenJSON, string(js))

	enc, err := FromJSON(typ, js)
	require.NoError(t, err)
	require.Equal(t, b, enc)
}

func TestStructFields(t *testing.T) {
	typ, _ := ParseType(goldenType)
	b, _ := hex.DecodeString(goldenHex)
	fields, err := StructFields(typ, b)
	require.NoError(t, err)
	require.Equal(t, [][2]string{
		{"small", "7"}, {"port", "4660"}, {"count", "3735928559"}, {"nonce", "1099511627776"}, {"delta", "-2"},
		{"amount", "18446744073709551618"}, {"name", "vsys"}, {"data", "0xcafe"},
		{"owner", "vsys1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5kqrcqq"}, {"items", "[1,2]"}, {"memo", `"hi"`},
		{"inner", `{"flag":true,"tag":null}`}, {"other", "9"},
	}, fields)
	for n := 0; n < len(b); n++ {
		_, err := StructFields(typ, b[:n])
		require.ErrorIs(t, err, ErrMalformed, "truncated at %d", n)
	}
	_, err = StructFields(Scalar(KindU8), []byte{1})
	require.ErrorIs(t, err, ErrType)
}

func TestParseTypeRoundTrip(t *testing.T) {
	for _, s := range []string{
		"bool", "u8", "u128", "address", "list<list<bytes>>", "option<struct{}>",
		"struct{}", "struct{a:u8,b_2:option<list<address>>}", goldenType,
	} {
		typ, err := ParseType(s)
		require.NoError(t, err, s)
		require.Equal(t, s, typ.String())
		again, err := ParseType(typ.String())
		require.NoError(t, err)
		require.True(t, typ.Equal(again))
	}
	typ, err := ParseType(" struct { a : u8 , b : list< u8 > } ")
	require.NoError(t, err)
	require.Equal(t, "struct{a:u8,b:list<u8>}", typ.String())
}

func TestParseTypeRejects(t *testing.T) {
	deep := "u8"
	for i := 0; i <= MaxDepth+1; i++ {
		deep = "option<" + deep + ">"
	}
	for _, s := range []string{
		"", "u7", "int", "list", "list<>", "list<u8", "option<u8>>", "struct{a:u8,a:u8}",
		"struct{a u8}", "struct{1a:u8}", "struct{a:u8,}", "list<struct{}>", "list<option<u8>> x", deep,
	} {
		_, err := ParseType(s)
		require.ErrorIs(t, err, ErrType, "%q", s)
	}
}

func TestTypeJSON(t *testing.T) {
	typ := Struct(Field{"to", Scalar(KindAddress)}, Field{"amount", Scalar(KindU128)})
	js, err := typ.MarshalJSON()
	require.NoError(t, err)
	require.Equal(t, `"struct{to:address,amount:u128}"`, string(js))
	var back Type
	require.NoError(t, back.UnmarshalJSON(js))
	require.True(t, typ.Equal(&back))
	require.Error(t, back.UnmarshalJSON([]byte(`"list<"`)))
}

func TestSnakeCase(t *testing.T) {
	for in, want := range map[string]string{
		"MaxSupply": "max_supply", "TxID": "tx_id", "HTTPServer": "http_server", "A": "a",
		"Version2Beta": "version2_beta", "already_snake": "already_snake",
	} {
		require.Equal(t, want, SnakeCase(in), in)
	}
}

func TestUnsupportedGoTypes(t *testing.T) {
	type recursive struct{ Next *recursive }
	for _, v := range []any{
		0, int32(1), 1.5, map[string]int{}, []any{}, struct{ F float64 }{}, recursive{}, []struct{}{},
		[3]byte{},
	} {
		_, err := TypeOf(v)
		require.Error(t, err, "%T", v)
	}
	_, err := Marshal(nil)
	require.ErrorIs(t, err, ErrUnsupported)
	require.Error(t, Unmarshal([]byte{1}, uint8(1)), "non-pointer")
}

// TestRejectsNonCanonical: every decoder refuses bytes that are not exactly
// one canonical value, so one value has one encoding and one state hash.
func TestRejectsNonCanonical(t *testing.T) {
	typ, err := ParseType("struct{ok:bool,s:string,o:option<u8>,l:list<u16>}")
	require.NoError(t, err)
	good, err := hex.DecodeString("01" + "0100000061" + "0105" + "010000000700")
	require.NoError(t, err)
	require.NoError(t, typ.Validate(good))
	for name, h := range map[string]string{
		"bool byte 2":      "02" + "0100000061" + "0105" + "010000000700",
		"option tag 2":     "01" + "0100000061" + "0205" + "010000000700",
		"trailing byte":    "01" + "0100000061" + "0105" + "01000000070000",
		"truncated":        "01" + "0100000061" + "0105" + "0100000007",
		"bad utf8":         "01" + "01000000ff" + "0105" + "010000000700",
		"huge list count":  "01" + "0100000061" + "0105" + "ffffffff0700",
		"huge string size": "01" + "ffffff7f61" + "0105" + "010000000700",
		"empty":            "",
	} {
		b, _ := hex.DecodeString(h)
		err := typ.Validate(b)
		require.ErrorIs(t, err, ErrMalformed, name)
		_, err = ToJSON(typ, b)
		require.ErrorIs(t, err, ErrMalformed, name)
	}
	var v struct {
		Ok bool
		S  string
		O  *uint8
		L  []uint16
	}
	require.NoError(t, Unmarshal(good, &v))
	require.ErrorIs(t, Unmarshal(append(good, 0), &v), ErrMalformed)
}

func TestFromJSONRejects(t *testing.T) {
	typ, err := ParseType("struct{a:u8,b:u64,c:bytes,d:address,e:option<u128>,f:list<bool>,g:i64}")
	require.NoError(t, err)
	ok := `{"a":1,"b":"2","c":"0x00","d":"vsys1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5kqrcqq","f":[true],"g":-3}`
	_, err = FromJSON(typ, []byte(ok))
	require.NoError(t, err, "numbers are accepted for i64, missing option fields are null")
	for name, js := range map[string]string{
		"not json":       `{"a":`,
		"not an object":  `[1]`,
		"u8 overflow":    `{"a":256,"b":"2","c":"0x","d":"vsys1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5kqrcqq","f":[],"g":"0"}`,
		"negative u64":   `{"a":1,"b":"-2","c":"0x","d":"vsys1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5kqrcqq","f":[],"g":"0"}`,
		"fraction":       `{"a":1.5,"b":"2","c":"0x","d":"vsys1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5kqrcqq","f":[],"g":"0"}`,
		"bytes no 0x":    `{"a":1,"b":"2","c":"00","d":"vsys1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5kqrcqq","f":[],"g":"0"}`,
		"bad address":    `{"a":1,"b":"2","c":"0x","d":"vsys1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5kqrcqr","f":[],"g":"0"}`,
		"missing field":  `{"a":1,"c":"0x","d":"vsys1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5kqrcqq","f":[],"g":"0"}`,
		"unknown field":  `{"a":1,"b":"2","c":"0x","d":"vsys1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5kqrcqq","f":[],"g":"0","z":1}`,
		"list not array": `{"a":1,"b":"2","c":"0x","d":"vsys1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5kqrcqq","f":true,"g":"0"}`,
		"trailing":       `{"a":1,"b":"2","c":"0x","d":"vsys1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5kqrcqq","f":[],"g":"0"} 1`,
		"u128 overflow":  `{"a":1,"b":"2","c":"0x","d":"vsys1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5kqrcqq","e":"340282366920938463463374607431768211456","f":[],"g":"0"}`,
	} {
		_, err := FromJSON(typ, []byte(js))
		require.Error(t, err, name)
		if !errors.Is(err, ErrJSON) {
			t.Errorf("%s: %v is not ErrJSON", name, err)
		}
	}
}

// TestRandomValuesRoundTrip: seeded random values of the sample type go
// through binary and JSON and come back equal.
func TestRoundTripTable(t *testing.T) {
	s := "x"
	for _, v := range []any{
		true, uint8(255), uint16(65535), uint32(1), uint64(1<<63 + 5), int64(-1 << 63), MaxU128, "", "ünï",
		[]byte{}, []byte(nil), address.Address{1}, []string{"a", ""}, &s, (*string)(nil), struct{}{},
		[][]uint8{{1}, {}}, []*uint64{nil},
	} {
		typ, err := TypeOf(v)
		require.NoError(t, err, "%T", v)
		b, err := Marshal(v)
		require.NoError(t, err)
		require.NoError(t, typ.Validate(b))
		js, err := ToJSON(typ, b)
		require.NoError(t, err)
		b2, err := FromJSON(typ, js)
		require.NoError(t, err)
		require.Equal(t, b, b2, "%T via %s", v, js)
		back := reflect.New(reflect.TypeOf(v))
		require.NoError(t, Unmarshal(b, back.Interface()))
		b3, err := Marshal(back.Elem().Interface())
		require.NoError(t, err)
		require.Equal(t, b, b3)
	}
}

func BenchmarkMarshalSend(b *testing.B) {
	type send struct {
		Token  string
		To     address.Address
		Amount U128
	}
	v := send{Token: "VSYS", To: address.Address{1}, Amount: NewU128(5)}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		enc, _ := Marshal(v)
		var back send
		_ = Unmarshal(enc, &back)
	}
}
