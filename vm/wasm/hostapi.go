package wasm

//go:generate go run ../internal/hostgen

// HostModule is the import module name of the host API.
const HostModule = "vsys"

// ParamKind says what a host function's parameter carries. The VM and the
// validator only see its value type; the kind picks the parameter's Rust
// type in sdk-rust (a pointer the host reads from is *const u8, one it
// writes to *mut u8) and is documentation otherwise.
type ParamKind uint8

// The kinds of host function parameters.
const (
	// PtrIn is the address of bytes the host reads.
	PtrIn ParamKind = iota + 1
	// PtrOut is the address the host writes to.
	PtrOut
	// Len is a byte count, of the pointer before it.
	Len
	// Value is a plain integer (an iterator id, a flag).
	Value
)

// Param is one named parameter of a host function.
type Param struct {
	Name string
	Kind ParamKind
	Type ValType
}

// HostGas is what a host function costs beyond what every one pays
// (Schedule.HostBase a call and Schedule.HostByte a byte copied in or out):
// the JSON name of a Schedule field, charged once before the function's
// work, or per byte of its input when PerInputByte.
type HostGas struct {
	Field        string
	PerInputByte bool
}

// HostFunc is one function of the host API: everything the VM's
// registration, the validator, sdk-rust's imports, the finishing tool and
// the docs table are generated or checked from.
type HostFunc struct {
	Name    string
	Params  []Param
	Results []ValType
	Gas     HostGas
	Doc     string // what it does, one line of docs/vm.md's table
}

// Sig is the function's WebAssembly signature.
func (h HostFunc) Sig() FuncType {
	params := make([]ValType, len(h.Params))
	for i, p := range h.Params {
		params[i] = p.Type
	}
	return FuncType{Params: params, Results: append([]ValType(nil), h.Results...)}
}

// ParamNames are the parameters' names, in order.
func (h HostFunc) ParamNames() []string {
	ns := make([]string, len(h.Params))
	for i, p := range h.Params {
		ns[i] = p.Name
	}
	return ns
}

func (h HostFunc) clone() HostFunc {
	h.Params = append([]Param(nil), h.Params...)
	h.Results = append([]ValType(nil), h.Results...)
	return h
}

// HostAPI returns the host API of docs/vm.md, a copy the caller may keep:
// every function a contract may import from module "vsys", in a fixed
// order. The VM implements these; Validate rejects any other import.
func HostAPI() []HostFunc {
	out := make([]HostFunc, len(hostAPI))
	for i, h := range hostAPI {
		out[i] = h.clone()
	}
	return out
}

// LookupHost returns the host function called name.
func LookupHost(name string) (HostFunc, bool) {
	for _, h := range hostAPI {
		if h.Name == name {
			return h.clone(), true
		}
	}
	return HostFunc{}, false
}

// hostSig is the signature of host function name, without copying the
// table.
func hostSig(name string) (FuncType, bool) {
	for i := range hostAPI {
		if hostAPI[i].Name == name {
			return hostAPI[i].Sig(), true
		}
	}
	return FuncType{}, false
}

// Shorthands that keep each row of the table below readable: a pointer the
// host reads, one it writes, a length, a plain value; parameters, results
// and prices.
func pIn(name string) Param  { return Param{name, PtrIn, I32} }
func pOut(name string) Param { return Param{name, PtrOut, I32} }
func pLen(name string) Param { return Param{name, Len, I32} }
func pVal(name string) Param { return Param{name, Value, I32} }

func ps(p ...Param) []Param        { return p }
func rs(t ...ValType) []ValType    { return t }
func extra(field string) HostGas   { return HostGas{Field: field} }
func perByte(field string) HostGas { return HostGas{Field: field, PerInputByte: true} }

// hostAPI is the one table of the host API (issue 10: it was declared five
// times). Change it, then run `go generate ./vm/...`: that rewrites the
// VM's bindings (vm/host_gen.go), sdk-rust/src/sys.rs's imports, the
// finishing tool's list (contracts/tools/wasm-finish/src/host.rs) and the
// table of docs/vm.md; TestGeneratedFilesFresh fails until it has run.
var hostAPI = [...]HostFunc{
	{Name: "input_len", Results: rs(I32), Doc: "length of the call's argument bytes"},
	{Name: "input_read", Params: ps(pOut("ptr")), Doc: "copy the argument bytes to ptr"},
	{Name: "output", Params: ps(pIn("ptr"), pLen("len")), Doc: "set the call's result bytes (last call wins)"},
	{Name: "abort", Params: ps(pIn("ptr"), pLen("len")), Doc: "stop the call with the UTF-8 message at ptr; the tx fails with that message"},
	{Name: "result_len", Results: rs(I32), Doc: "length of the result buffer"},
	{Name: "result_read", Params: ps(pOut("ptr")), Doc: "copy the result buffer to ptr"},
	{Name: "caller", Params: ps(pOut("ptr")), Doc: "write the 20-byte caller address"},
	{Name: "self_address", Params: ps(pOut("ptr")), Doc: "write this contract's 20-byte address"},
	{Name: "funds", Results: rs(I32), Doc: "put the coins attached to this call in the result buffer as `list<struct{token:string,amount:u128}>`; returns its length"},
	{Name: "block_height", Results: rs(I64), Doc: "height of the block being executed"},
	{Name: "block_time", Results: rs(I64), Doc: "block time, Unix nanoseconds, from the header"},
	{Name: "chain_id", Results: rs(I32), Doc: "put the chain id in the result buffer; returns its length"},
	{Name: "storage_get", Params: ps(pIn("key_ptr"), pLen("key_len")), Results: rs(I32), Doc: "value length, its bytes in the result buffer; -1 if absent"},
	{Name: "storage_set", Params: ps(pIn("key_ptr"), pLen("key_len"), pIn("val_ptr"), pLen("val_len")), Doc: "write (fails in a read-only call)"},
	{Name: "storage_remove", Params: ps(pIn("key_ptr"), pLen("key_len")), Doc: "delete"},
	{Name: "storage_iter", Params: ps(pIn("start_ptr"), pLen("start_len"), pIn("end_ptr"), pLen("end_len"), pVal("reverse")), Results: rs(I32),
		Doc: "open an iterator over keys in [start, end) (an empty end means no upper bound); returns its id"},
	{Name: "storage_next", Params: ps(pVal("iter")), Results: rs(I32),
		Doc: "next entry into the result buffer as `u32 key_len, key, value`; returns its length, or -1 at the end"},
	{Name: "emit", Params: ps(pIn("name_ptr"), pLen("name_len"), pIn("data_ptr"), pLen("data_len")), Doc: "emit an event; name must be in the ABI and data must be its type"},
	{Name: "call", Params: ps(pIn("addr_ptr"), pIn("method_ptr"), pLen("method_len"), pIn("args_ptr"), pLen("args_len"), pIn("funds_ptr"), pLen("funds_len")), Results: rs(I32), Gas: extra("host_call"),
		Doc: "call another contract (native or WASM) by 20-byte address; funds as `list<coin>` (len 0 = none); returns 0 and the result in the result buffer, or 1 and the error message in the result buffer"},
	{Name: "sha256", Params: ps(pIn("ptr"), pLen("len"), pOut("out_ptr")), Doc: "32 bytes"},
	{Name: "keccak256", Params: ps(pIn("ptr"), pLen("len"), pOut("out_ptr")), Gas: perByte("keccak256_byte"), Doc: "32 bytes (Ethereum's Keccak)"},
	{Name: "ed25519_verify", Params: ps(pIn("pub_ptr"), pIn("msg_ptr"), pLen("msg_len"), pIn("sig_ptr")), Results: rs(I32), Gas: extra("ed25519_verify"),
		Doc: "1 valid, 0 not (stdlib rules)"},
	{Name: "gas_left", Results: rs(I64), Doc: "gas left"},
}
