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
	"github.com/vsys/vsys/core/tx"
)

// The implementations of docs/vm.md's host API, one method per function of
// wasm.HostAPI, bound by vm/host_gen.go. Each runs after the registration
// (instantiateHost) charged HostBase and the function's flat price; the
// copies in and out charge HostByte a byte (read, write).

// absent is what storage_get and storage_next return for "none".
const absent = -1

func (st *instance) hostInputLen() int32 { return int32(len(st.input)) }

func (st *instance) hostInputRead(mod api.Module, a inputReadArgs) {
	st.write(mod, a.ptr, st.input, "input")
}

func (st *instance) hostOutput(mod api.Module, a outputArgs) {
	st.output = st.read(mod, a.ptr, a.len, "output")
}

func (st *instance) hostAbort(mod api.Module, a abortArgs) {
	n := min(a.len, 1024)
	msg := strings.ToValidUTF8(string(st.read(mod, a.ptr, n, "abort message")), "?")
	st.fail(fmt.Errorf("%w: %s", ErrAborted, msg))
}

func (st *instance) hostResultLen() int32 { return int32(len(st.result)) }

func (st *instance) hostResultRead(mod api.Module, a resultReadArgs) {
	st.write(mod, a.ptr, st.result, "result")
}

func (st *instance) hostCaller(mod api.Module, a callerArgs) {
	st.write(mod, a.ptr, st.call.Caller[:], "caller")
}

func (st *instance) hostSelfAddress(mod api.Module, a selfAddressArgs) {
	st.write(mod, a.ptr, st.call.Self[:], "self address")
}

func (st *instance) hostFunds() int32 {
	coins := st.call.Funds
	if coins == nil {
		coins = []router.Coin{}
	}
	b, err := codec.Marshal(coins)
	if err != nil {
		st.fail(err)
	}
	return st.setResult(b)
}

func (st *instance) hostBlockHeight() int64 { return st.call.Env.Block.Height }

func (st *instance) hostBlockTime() int64 { return st.call.Env.Block.Time.UnixNano() }

func (st *instance) hostChainID() int32 { return st.setResult([]byte(st.call.Env.Block.ChainID)) }

func (st *instance) hostStorageGet(mod api.Module, a storageGetArgs) int32 {
	v, err := st.call.Store().Get(st.read(mod, a.keyPtr, a.keyLen, "storage key"))
	if err != nil {
		st.fail(err)
	}
	if v == nil {
		return absent
	}
	return st.setResult(v)
}

func (st *instance) hostStorageSet(mod api.Module, a storageSetArgs) {
	k := st.read(mod, a.keyPtr, a.keyLen, "storage key")
	v := st.read(mod, a.valPtr, a.valLen, "storage value")
	if err := st.call.Store().Set(k, v); err != nil {
		st.fail(err)
	}
}

func (st *instance) hostStorageRemove(mod api.Module, a storageRemoveArgs) {
	if err := st.call.Store().Delete(st.read(mod, a.keyPtr, a.keyLen, "storage key")); err != nil {
		st.fail(err)
	}
}

func (st *instance) hostStorageIter(mod api.Module, a storageIterArgs) int32 {
	if len(st.iters) >= maxIters {
		st.fail(fmt.Errorf("%w: more than %d open iterators", ErrHost, maxIters))
	}
	start := st.read(mod, a.startPtr, a.startLen, "iterator start")
	end := st.read(mod, a.endPtr, a.endLen, "iterator end")
	if len(start) == 0 {
		start = nil
	}
	if len(end) == 0 {
		end = nil
	}
	it, err := st.call.Store().Iterator(start, end, a.reverse == 0)
	if err != nil {
		st.fail(err)
	}
	st.iters = append(st.iters, it)
	return int32(len(st.iters) - 1)
}

func (st *instance) hostStorageNext(a storageNextArgs) int32 {
	id := int(a.iter)
	if id >= len(st.iters) || st.iters[id] == nil {
		st.fail(fmt.Errorf("%w: no iterator %d", ErrHost, id))
	}
	it := st.iters[id]
	if !it.Valid() {
		if err := it.Error(); err != nil {
			st.fail(err)
		}
		return absent
	}
	k, v := it.Key(), it.Value()
	b := make([]byte, 4, 4+len(k)+len(v))
	binary.LittleEndian.PutUint32(b, uint32(len(k)))
	b = append(append(b, k...), v...)
	it.Next()
	return st.setResult(b)
}

func (st *instance) hostEmit(mod api.Module, a emitArgs) {
	name := string(st.read(mod, a.namePtr, a.nameLen, "event name"))
	data := st.read(mod, a.dataPtr, a.dataLen, "event data")
	ev, ok := st.code.ABI.Event(name)
	if !ok || !utf8.ValidString(name) {
		st.fail(fmt.Errorf("%w: event %q is not in the ABI", ErrHost, name))
	}
	if err := ev.Type.Validate(data); err != nil {
		st.fail(fmt.Errorf("%w: event %s data is not %s: %v", ErrHost, name, ev.Type, err))
	}
	if err := st.call.Emit(name, data); err != nil {
		st.fail(err)
	}
}

// hostCall returns 0 with the callee's result in the result buffer, or 1
// with its error's message: a failed call is a value the caller decides
// on, except what must end the whole tx or query.
func (st *instance) hostCall(mod api.Module, a callArgs) int32 {
	addr, _ := address.FromBytes(st.read(mod, a.addrPtr, address.Len, "call address"))
	method := string(st.read(mod, a.methodPtr, a.methodLen, "call method"))
	args := st.read(mod, a.argsPtr, a.argsLen, "call args")
	var funds []router.Coin
	if a.fundsLen > 0 {
		if err := codec.Unmarshal(st.read(mod, a.fundsPtr, a.fundsLen, "call funds"), &funds); err != nil {
			st.fail(fmt.Errorf("%w: call funds: %v", ErrHost, err))
		}
	}
	out, err := st.call.Call(addr, method, args, funds)
	switch {
	case errors.Is(err, gas.ErrOutOfGas), errors.Is(err, router.ErrMemoryBudget):
		st.fail(err) // out of gas or memory ends the whole tx, whoever ran out
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		st.fail(err) // a stopped query ends whole, not as a value the caller sees (blocks never stop)
	case err != nil:
		st.setResult([]byte(err.Error()))
		return 1
	}
	st.setResult(out)
	return 0
}

func (st *instance) hostSha256(mod api.Module, a sha256Args) {
	h := sha256.Sum256(st.read(mod, a.ptr, a.len, "sha256 input"))
	st.write(mod, a.outPtr, h[:], "sha256 output")
}

func (st *instance) hostKeccak256(mod api.Module, a keccak256Args) {
	in := st.read(mod, a.ptr, a.len, "keccak256 input")
	if err := st.call.Env.Gas.ConsumeBytes(0, st.vm.sched.Keccak256Byte, len(in), "keccak256"); err != nil {
		st.fail(err)
	}
	k := sha3.NewLegacyKeccak256()
	k.Write(in)
	st.write(mod, a.outPtr, k.Sum(nil), "keccak256 output")
}

func (st *instance) hostEd25519Verify(mod api.Module, a ed25519VerifyArgs) int32 {
	pub := st.read(mod, a.pubPtr, tx.PubKeyLen, "public key")
	msg := st.read(mod, a.msgPtr, a.msgLen, "message")
	sig := st.read(mod, a.sigPtr, tx.SignatureLen, "signature")
	if tx.VerifyEd25519(pub, msg, sig) {
		return 1
	}
	return 0
}

func (st *instance) hostGasLeft() int64 { return int64(st.call.Env.Gas.Remaining()) }
