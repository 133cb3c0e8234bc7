package vm

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/tetratelabs/wazero/api"
	"golang.org/x/crypto/sha3"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/gas"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/core/state"
	"github.com/vsys/vsys/core/tx"
)

// maxIters bounds the iterators one call may hold open.
const maxIters = 16

type callKey struct{}

// call is the host side of one running instance: what the contract may
// reach, its result buffer, and the gas bookkeeping between the instance's
// counter (the __vsys_gas global) and the tx's meter.
type call struct {
	vm     *VM
	ctx    *router.Context
	code   *Code
	input  []byte
	output []byte
	result []byte // the result buffer of docs/vm.md
	iters  []state.Iterator

	pages uint32 // memory pages this instance holds, paid for and budgeted

	gas     api.MutableGlobal
	trap    api.Global
	lastGas uint64 // what the global was last set to
	hostErr error  // why a host function stopped the instance

}

// setGas hands the meter's remaining gas to the instance.
func (st *call) setGas() {
	st.lastGas = st.ctx.Env.Gas.Remaining()
	if st.gas != nil {
		st.gas.Set(st.lastGas)
	}
}

// syncGas charges the meter with what the instance burnt since setGas.
func (st *call) syncGas() error {
	if st.gas == nil { // unmetered (benchmarks)
		return nil
	}
	now := st.gas.Get()
	if now > st.lastGas { // cannot happen: instrumentation only subtracts
		now = st.lastGas
	}
	used := st.lastGas - now
	st.lastGas = now
	return st.ctx.Env.Gas.Consume(used, "wasm execution")
}

// fail stops the instance: wazero turns the panic into the call's error
// and classify returns err.
func (st *call) fail(err error) {
	if st.hostErr == nil {
		st.hostErr = err
	}
	panic(err)
}

func (st *call) charge(n int, what string) {
	s := &st.vm.sched
	if err := st.ctx.Env.Gas.ConsumeBytes(0, s.HostByte, n, what); err != nil {
		st.fail(err)
	}
}

// read copies len bytes at ptr out of guest memory.
func (st *call) read(mod api.Module, ptr, n uint32, what string) []byte {
	if n > st.vm.sched.MaxIOBytes {
		st.fail(fmt.Errorf("%w: %s of %d bytes, limit %d", ErrHost, what, n, st.vm.sched.MaxIOBytes))
	}
	st.charge(int(n), what)
	b, ok := mod.Memory().Read(ptr, n)
	if !ok {
		st.fail(fmt.Errorf("%w: %s at [%d, %d) is outside memory", ErrHost, what, ptr, uint64(ptr)+uint64(n)))
	}
	return append([]byte(nil), b...)
}

// write copies b into guest memory at ptr.
func (st *call) write(mod api.Module, ptr uint32, b []byte, what string) {
	st.charge(len(b), what)
	if !mod.Memory().Write(ptr, b) {
		st.fail(fmt.Errorf("%w: %s at [%d, %d) is outside memory", ErrHost, what, ptr, uint64(ptr)+uint64(len(b))))
	}
}

func (st *call) setResult(b []byte) int32 {
	if len(b) > int(st.vm.sched.MaxIOBytes) {
		st.fail(fmt.Errorf("%w: result of %d bytes, limit %d", ErrHost, len(b), st.vm.sched.MaxIOBytes))
	}
	st.result = b
	return int32(len(b))
}

func (st *call) closeIters() {
	for _, it := range st.iters {
		if it != nil {
			_ = it.Close()
		}
	}
	st.iters = nil
}

// hostFunc is one import of module "vsys".
type hostFunc struct {
	params, results []api.ValueType
	fn              func(st *call, mod api.Module, stack []uint64)
}

var i32, i64 = api.ValueTypeI32, api.ValueTypeI64

func u32(v uint64) uint32 { return uint32(v) }

// hostFuncs implements docs/vm.md's host API. Every function is charged
// HostBase before it runs and HostByte per byte it copies.
var hostFuncs = map[string]hostFunc{
	"input_len": {nil, []api.ValueType{i32}, func(st *call, _ api.Module, s []uint64) {
		s[0] = uint64(len(st.input))
	}},
	"input_read": {[]api.ValueType{i32}, nil, func(st *call, mod api.Module, s []uint64) {
		st.write(mod, u32(s[0]), st.input, "input")
	}},
	"output": {[]api.ValueType{i32, i32}, nil, func(st *call, mod api.Module, s []uint64) {
		st.output = st.read(mod, u32(s[0]), u32(s[1]), "output")
	}},
	"abort": {[]api.ValueType{i32, i32}, nil, func(st *call, mod api.Module, s []uint64) {
		n := min(u32(s[1]), 1024)
		msg := strings.ToValidUTF8(string(st.read(mod, u32(s[0]), n, "abort message")), "?")
		st.fail(fmt.Errorf("%w: %s", ErrAborted, msg))
	}},
	"result_len": {nil, []api.ValueType{i32}, func(st *call, _ api.Module, s []uint64) {
		s[0] = uint64(len(st.result))
	}},
	"result_read": {[]api.ValueType{i32}, nil, func(st *call, mod api.Module, s []uint64) {
		st.write(mod, u32(s[0]), st.result, "result")
	}},
	"caller": {[]api.ValueType{i32}, nil, func(st *call, mod api.Module, s []uint64) {
		st.write(mod, u32(s[0]), st.ctx.Caller[:], "caller")
	}},
	"self_address": {[]api.ValueType{i32}, nil, func(st *call, mod api.Module, s []uint64) {
		st.write(mod, u32(s[0]), st.ctx.Self[:], "self address")
	}},
	"funds": {nil, []api.ValueType{i32}, func(st *call, _ api.Module, s []uint64) {
		coins := st.ctx.Funds
		if coins == nil {
			coins = []router.Coin{}
		}
		b, err := codec.Marshal(coins)
		if err != nil {
			st.fail(err)
		}
		s[0] = uint64(st.setResult(b))
	}},
	"block_height": {nil, []api.ValueType{i64}, func(st *call, _ api.Module, s []uint64) {
		s[0] = uint64(st.ctx.Env.Block.Height)
	}},
	"block_time": {nil, []api.ValueType{i64}, func(st *call, _ api.Module, s []uint64) {
		s[0] = uint64(st.ctx.Env.Block.Time.UnixNano())
	}},
	"chain_id": {nil, []api.ValueType{i32}, func(st *call, _ api.Module, s []uint64) {
		s[0] = uint64(st.setResult([]byte(st.ctx.Env.Block.ChainID)))
	}},
	"storage_get": {[]api.ValueType{i32, i32}, []api.ValueType{i32}, func(st *call, mod api.Module, s []uint64) {
		v, err := st.ctx.Store().Get(st.read(mod, u32(s[0]), u32(s[1]), "storage key"))
		if err != nil {
			st.fail(err)
		}
		if v == nil {
			s[0] = uint64(uint32(0xFFFFFFFF)) // -1
			return
		}
		s[0] = uint64(st.setResult(v))
	}},
	"storage_set": {[]api.ValueType{i32, i32, i32, i32}, nil, func(st *call, mod api.Module, s []uint64) {
		k := st.read(mod, u32(s[0]), u32(s[1]), "storage key")
		v := st.read(mod, u32(s[2]), u32(s[3]), "storage value")
		if err := st.ctx.Store().Set(k, v); err != nil {
			st.fail(err)
		}
	}},
	"storage_remove": {[]api.ValueType{i32, i32}, nil, func(st *call, mod api.Module, s []uint64) {
		if err := st.ctx.Store().Delete(st.read(mod, u32(s[0]), u32(s[1]), "storage key")); err != nil {
			st.fail(err)
		}
	}},
	"storage_iter": {[]api.ValueType{i32, i32, i32, i32, i32}, []api.ValueType{i32}, func(st *call, mod api.Module, s []uint64) {
		if len(st.iters) >= maxIters {
			st.fail(fmt.Errorf("%w: more than %d open iterators", ErrHost, maxIters))
		}
		start := st.read(mod, u32(s[0]), u32(s[1]), "iterator start")
		end := st.read(mod, u32(s[2]), u32(s[3]), "iterator end")
		if len(start) == 0 {
			start = nil
		}
		if len(end) == 0 {
			end = nil
		}
		it, err := st.ctx.Store().Iterator(start, end, u32(s[4]) == 0)
		if err != nil {
			st.fail(err)
		}
		st.iters = append(st.iters, it)
		s[0] = uint64(len(st.iters) - 1)
	}},
	"storage_next": {[]api.ValueType{i32}, []api.ValueType{i32}, func(st *call, _ api.Module, s []uint64) {
		id := int(u32(s[0]))
		if id >= len(st.iters) || st.iters[id] == nil {
			st.fail(fmt.Errorf("%w: no iterator %d", ErrHost, id))
		}
		it := st.iters[id]
		if !it.Valid() {
			if err := it.Error(); err != nil {
				st.fail(err)
			}
			s[0] = uint64(uint32(0xFFFFFFFF))
			return
		}
		k, v := it.Key(), it.Value()
		b := make([]byte, 4, 4+len(k)+len(v))
		binary.LittleEndian.PutUint32(b, uint32(len(k)))
		b = append(append(b, k...), v...)
		it.Next()
		s[0] = uint64(st.setResult(b))
	}},
	"emit": {[]api.ValueType{i32, i32, i32, i32}, nil, func(st *call, mod api.Module, s []uint64) {
		name := string(st.read(mod, u32(s[0]), u32(s[1]), "event name"))
		data := st.read(mod, u32(s[2]), u32(s[3]), "event data")
		ev, ok := st.code.ABI.Event(name)
		if !ok || !utf8.ValidString(name) {
			st.fail(fmt.Errorf("%w: event %q is not in the ABI", ErrHost, name))
		}
		if err := ev.Type.Validate(data); err != nil {
			st.fail(fmt.Errorf("%w: event %s data is not %s: %v", ErrHost, name, ev.Type, err))
		}
		if err := st.ctx.Emit(name, data); err != nil {
			st.fail(err)
		}
	}},
	"call": {[]api.ValueType{i32, i32, i32, i32, i32, i32, i32}, []api.ValueType{i32}, func(st *call, mod api.Module, s []uint64) {
		if err := st.ctx.Env.Gas.Consume(st.vm.sched.HostCall, "call"); err != nil {
			st.fail(err)
		}
		addr, _ := address.FromBytes(st.read(mod, u32(s[0]), address.Len, "call address"))
		method := string(st.read(mod, u32(s[1]), u32(s[2]), "call method"))
		args := st.read(mod, u32(s[3]), u32(s[4]), "call args")
		var funds []router.Coin
		if u32(s[6]) > 0 {
			if err := codec.Unmarshal(st.read(mod, u32(s[5]), u32(s[6]), "call funds"), &funds); err != nil {
				st.fail(fmt.Errorf("%w: call funds: %v", ErrHost, err))
			}
		}
		out, err := st.ctx.Call(addr, method, args, funds)
		switch {
		case errors.Is(err, gas.ErrOutOfGas), errors.Is(err, router.ErrMemoryBudget):
			st.fail(err) // out of gas or memory ends the whole tx, whoever ran out
		case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
			st.fail(err) // a stopped query ends whole, not as a value the caller sees (blocks never stop)
		case err != nil:
			st.setResult([]byte(err.Error()))
			s[0] = 1
		default:
			st.setResult(out)
			s[0] = 0
		}
	}},
	"sha256": {[]api.ValueType{i32, i32, i32}, nil, func(st *call, mod api.Module, s []uint64) {
		h := sha256.Sum256(st.read(mod, u32(s[0]), u32(s[1]), "sha256 input"))
		st.write(mod, u32(s[2]), h[:], "sha256 output")
	}},
	"keccak256": {[]api.ValueType{i32, i32, i32}, nil, func(st *call, mod api.Module, s []uint64) {
		in := st.read(mod, u32(s[0]), u32(s[1]), "keccak256 input")
		if err := st.ctx.Env.Gas.ConsumeBytes(0, st.vm.sched.Keccak256Byte, len(in), "keccak256"); err != nil {
			st.fail(err)
		}
		k := sha3.NewLegacyKeccak256()
		k.Write(in)
		st.write(mod, u32(s[2]), k.Sum(nil), "keccak256 output")
	}},
	"ed25519_verify": {[]api.ValueType{i32, i32, i32, i32}, []api.ValueType{i32}, func(st *call, mod api.Module, s []uint64) {
		if err := st.ctx.Env.Gas.Consume(st.vm.sched.Ed25519Verify, "ed25519_verify"); err != nil {
			st.fail(err)
		}
		pub := st.read(mod, u32(s[0]), tx.PubKeyLen, "public key")
		msg := st.read(mod, u32(s[1]), u32(s[2]), "message")
		sig := st.read(mod, u32(s[3]), tx.SignatureLen, "signature")
		s[0] = 0
		if tx.VerifyEd25519(pub, msg, sig) {
			s[0] = 1
		}
	}},
	"gas_left": {nil, []api.ValueType{i64}, func(st *call, _ api.Module, s []uint64) {
		s[0] = st.ctx.Env.Gas.Remaining()
	}},
}

// instantiateHost registers module "vsys" in the runtime. Each function
// first moves the gas the instance burnt onto the meter and charges its
// base cost, and hands the meter's balance back to the instance after.
func (v *VM) instantiateHost(ctx context.Context) error {
	b := v.rt.NewHostModuleBuilder("vsys")
	for name, h := range hostFuncs {
		name, h := name, h
		b.NewFunctionBuilder().WithGoModuleFunction(api.GoModuleFunc(func(goCtx context.Context, mod api.Module, stack []uint64) {
			st := goCtx.Value(callKey{}).(*call)
			if err := st.syncGas(); err != nil {
				st.fail(err)
			}
			if err := st.ctx.Env.Gas.Consume(v.sched.HostBase, name); err != nil {
				st.fail(err)
			}
			h.fn(st, mod, stack)
			st.setGas()
		}), h.params, h.results).Export(name)
	}
	if _, err := b.Instantiate(ctx); err != nil {
		return fmt.Errorf("vm host module: %w", err)
	}
	return nil
}

// trapReason keeps the first line of a wazero error ("wasm error: integer
// divide by zero"), dropping the engine's stack trace.
func trapReason(err error) string {
	msg := err.Error()
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	return strings.TrimPrefix(msg, "wasm error: ")
}
