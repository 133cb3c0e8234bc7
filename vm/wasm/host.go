package wasm

import "strings"

// ValType is a WebAssembly value type. Only the integer types are allowed in
// contracts.
type ValType byte

// The value types a contract may use.
const (
	I32 ValType = 0x7F
	I64 ValType = 0x7E
)

// String is the WebAssembly text name of the type.
func (t ValType) String() string {
	switch t {
	case I32:
		return "i32"
	case I64:
		return "i64"
	case 0x7D:
		return "f32"
	case 0x7C:
		return "f64"
	case 0x7B:
		return "v128"
	case 0x70:
		return "funcref"
	case 0x6F:
		return "externref"
	}
	return "0x" + hex2(byte(t))
}

// FuncType is a function signature.
type FuncType struct {
	Params  []ValType
	Results []ValType
}

// Equal reports whether two signatures are identical.
func (f FuncType) Equal(g FuncType) bool {
	return equalTypes(f.Params, g.Params) && equalTypes(f.Results, g.Results)
}

// String renders the signature as "[i32 i32] -> [i64]".
func (f FuncType) String() string {
	return typesString(f.Params) + " -> " + typesString(f.Results)
}

func equalTypes(a, b []ValType) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func typesString(ts []ValType) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = t.String()
	}
	return "[" + strings.Join(parts, " ") + "]"
}

func hex2(b byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[b>>4], digits[b&15]})
}

// HostModule is the import module name of the host API.
const HostModule = "vsys"

func sig(params []ValType, results ...ValType) FuncType {
	return FuncType{Params: params, Results: results}
}

func i32s(n int) []ValType {
	ts := make([]ValType, n)
	for i := range ts {
		ts[i] = I32
	}
	return ts
}

// HostFuncs is the host API of docs/vm.md: every function a contract may
// import from module "vsys", with its exact signature. The VM implements
// these; Validate rejects any other import. Do not modify it at run time.
var HostFuncs = map[string]FuncType{
	"input_len":      sig(nil, I32),
	"input_read":     sig(i32s(1)),
	"output":         sig(i32s(2)),
	"abort":          sig(i32s(2)),
	"result_len":     sig(nil, I32),
	"result_read":    sig(i32s(1)),
	"caller":         sig(i32s(1)),
	"self_address":   sig(i32s(1)),
	"funds":          sig(nil, I32),
	"block_height":   sig(nil, I64),
	"block_time":     sig(nil, I64),
	"chain_id":       sig(nil, I32),
	"storage_get":    sig(i32s(2), I32),
	"storage_set":    sig(i32s(4)),
	"storage_remove": sig(i32s(2)),
	"storage_iter":   sig(i32s(5), I32),
	"storage_next":   sig(i32s(1), I32),
	"emit":           sig(i32s(4)),
	"call":           sig(i32s(7), I32),
	"sha256":         sig(i32s(3)),
	"keccak256":      sig(i32s(3)),
	"ed25519_verify": sig(i32s(4), I32),
	"gas_left":       sig(nil, I64),
}
