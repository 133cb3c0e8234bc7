package vm

import (
	"context"
	"fmt"
	"strings"

	"github.com/tetratelabs/wazero/api"

	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/core/state"
	"github.com/vsys/vsys/vm/wasm"
)

// maxIters bounds the iterators one call may hold open.
const maxIters = 16

type instanceKey struct{}

// instance is the host side of one running instance: what the contract may
// reach, its result buffer, and the gas bookkeeping between the instance's
// counter (the __vsys_gas global) and the tx's meter.
type instance struct {
	vm     *VM
	call   *router.Context
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
func (st *instance) setGas() {
	st.lastGas = st.call.Env.Gas.Remaining()
	if st.gas != nil {
		st.gas.Set(st.lastGas)
	}
}

// syncGas charges the meter with what the instance burnt since setGas.
func (st *instance) syncGas() error {
	if st.gas == nil { // unmetered (benchmarks)
		return nil
	}
	now := st.gas.Get()
	if now > st.lastGas { // cannot happen: instrumentation only subtracts
		now = st.lastGas
	}
	used := st.lastGas - now
	st.lastGas = now
	return st.call.Env.Gas.Consume(used, "wasm execution")
}

// fail stops the instance: wazero turns the panic into the call's error
// and classify returns err.
func (st *instance) fail(err error) {
	if st.hostErr == nil {
		st.hostErr = err
	}
	panic(err)
}

func (st *instance) charge(n int, what string) {
	s := &st.vm.sched
	if err := st.call.Env.Gas.ConsumeBytes(0, s.HostByte, n, what); err != nil {
		st.fail(err)
	}
}

// read copies len bytes at ptr out of guest memory.
func (st *instance) read(mod api.Module, ptr, n uint32, what string) []byte {
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
func (st *instance) write(mod api.Module, ptr uint32, b []byte, what string) {
	st.charge(len(b), what)
	if !mod.Memory().Write(ptr, b) {
		st.fail(fmt.Errorf("%w: %s at [%d, %d) is outside memory", ErrHost, what, ptr, uint64(ptr)+uint64(len(b))))
	}
}

func (st *instance) setResult(b []byte) int32 {
	if len(b) > int(st.vm.sched.MaxIOBytes) {
		st.fail(fmt.Errorf("%w: result of %d bytes, limit %d", ErrHost, len(b), st.vm.sched.MaxIOBytes))
	}
	st.result = b
	return int32(len(b))
}

func (st *instance) closeIters() {
	for _, it := range st.iters {
		if it != nil {
			_ = it.Close()
		}
	}
	st.iters = nil
}

// hostBinding is one function of the host API bound to its
// implementation (vm/host_gen.go, generated from wasm.HostAPI).
type hostBinding struct {
	name string
	fn   func(st *instance, mod api.Module, stack []uint64)
}

// apiTypes maps the host API's value types (integers only) to wazero's.
func apiTypes(ts []wasm.ValType) []api.ValueType {
	out := make([]api.ValueType, len(ts))
	for i, t := range ts {
		out[i] = api.ValueTypeI32
		if t == wasm.I64 {
			out[i] = api.ValueTypeI64
		}
	}
	return out
}

// instantiateHost registers module "vsys" in the runtime, one function for
// each of wasm.HostAPI. Each first moves the gas the instance burnt onto
// the meter and charges HostBase (and the function's own price, when the
// table names one charged once), and hands the meter's balance back to the
// instance after.
func (v *VM) instantiateHost(ctx context.Context) error {
	funcs := wasm.HostAPI()
	if len(funcs) != len(hostBindings) {
		return fmt.Errorf("vm host module: %d bindings for %d host functions (run go generate ./vm/...)", len(hostBindings), len(funcs))
	}
	b := v.rt.NewHostModuleBuilder(wasm.HostModule)
	for i, h := range funcs {
		bind := hostBindings[i]
		if bind.name != h.Name {
			return fmt.Errorf("vm host module: binding %q for host function %q (run go generate ./vm/...)", bind.name, h.Name)
		}
		var flat uint64
		if h.Gas.Field != "" && !h.Gas.PerInputByte {
			var ok bool
			if flat, ok = v.sched.Cost(h.Gas.Field); !ok {
				return fmt.Errorf("vm host module: %s: no gas field %q in the schedule", h.Name, h.Gas.Field)
			}
		}
		name, fn, hasFlat := h.Name, bind.fn, h.Gas.Field != "" && !h.Gas.PerInputByte
		sig := h.Sig()
		b.NewFunctionBuilder().WithGoModuleFunction(api.GoModuleFunc(func(ctx context.Context, mod api.Module, stack []uint64) {
			st := ctx.Value(instanceKey{}).(*instance)
			if err := st.syncGas(); err != nil {
				st.fail(err)
			}
			if err := st.call.Env.Gas.Consume(v.sched.HostBase, name); err != nil {
				st.fail(err)
			}
			if hasFlat {
				if err := st.call.Env.Gas.Consume(flat, name); err != nil {
					st.fail(err)
				}
			}
			fn(st, mod, stack)
			st.setGas()
		}), apiTypes(sig.Params), apiTypes(sig.Results)).WithParameterNames(h.ParamNames()...).Export(name)
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
