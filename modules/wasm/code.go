package wasm

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/vsys/vsys/core/abi"
	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/moduleid"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/core/state"
	"github.com/vsys/vsys/modules/native"
	"github.com/vsys/vsys/vm"
)

// Address is the wasm module's address; its store holds code and
// contract records.
var Address = address.Module(moduleid.Wasm)

// Name is the module's router name ("vsysd tx wasm ...").
const Name = moduleid.NameWasm

// Sentinel errors callers test for.
var (
	// ErrUnauthorized: migrate or update_admin by anyone but the
	// contract's admin (or of a contract without one).
	ErrUnauthorized = errors.New("unauthorized")
	// ErrCodeNotFound: no uploaded code has that hash.
	ErrCodeNotFound = errors.New("code not found")
	// ErrContractExists: instantiate with a creator, code and label used
	// before (they derive the address).
	ErrContractExists = errors.New("contract exists")
	// ErrNotContract: no contract lives at that address.
	ErrNotContract = errors.New("not a contract")
)

// Store keys, under the module's prefix.
var (
	prefixCode     = []byte("c/")
	prefixCodeInfo = []byte("i/")
	prefixContract = []byte("k/")
)

// CodeInfo is what the chain records of uploaded code.
type CodeInfo struct {
	Hash    []byte
	Creator address.Address
	Size    uint32
	Height  uint64
}

// ContractInfo is what the chain records of an instantiated contract.
type ContractInfo struct {
	Address  address.Address
	CodeHash []byte
	Admin    *address.Address
	Label    string
	Creator  address.Address
	Created  uint64
}

// Module is the wasm module: the contract lifecycle as native methods, and
// the router's resolver for contract addresses.
type Module struct {
	*native.Module // the lifecycle methods: the router.Contract side
	vm             *vm.VM
}

// New builds the module over v.
func New(v *vm.VM) *Module {
	m := &Module{vm: v}
	m.Module = m.build()
	return m
}

func key(prefix, id []byte) []byte { return append(append([]byte{}, prefix...), id...) }

// Resolve implements router.Resolver: a contract's record, its code
// compiled (from the cache, or from state on a miss). root is the
// unmetered root of the call, of which it reads only the module's own
// store; the router charges CallBase for the lookup.
func (m *Module) Resolve(root state.KV, addr address.Address) (router.Contract, bool, error) {
	kv := router.StoreOf(root, Address)
	var info ContractInfo
	if ok, err := native.GetRecord(kv, key(prefixContract, addr[:]), &info); err != nil || !ok {
		return nil, false, err
	}
	c, err := m.load(kv, info.CodeHash)
	if err != nil {
		return nil, false, err
	}
	return &contract{vm: m.vm, code: c}, true, nil
}

// load compiles code from the cache, or on a miss from kv, the module's
// store, read unmetered: whether state is read at all depends on this
// node's cache, so gas must not.
func (m *Module) load(kv state.KV, hash []byte) (*vm.Code, error) {
	var h [32]byte
	if len(hash) != len(h) {
		return nil, fmt.Errorf("%w: hash of %d bytes", ErrCodeNotFound, len(hash))
	}
	copy(h[:], hash)
	return m.vm.Load(context.Background(), h, func() ([]byte, error) {
		b, err := kv.Get(key(prefixCode, hash))
		if err == nil && b == nil {
			err = fmt.Errorf("%w: %x", ErrCodeNotFound, hash)
		}
		return b, err
	})
}

// contract is a WASM contract behind the router's Contract interface:
// its callers cannot tell it from a native module.
type contract struct {
	vm   *vm.VM
	code *vm.Code
}

func (c *contract) ABI() *abi.ABI { return c.code.ABI }

func (c *contract) Call(ctx *router.Context, method string, args []byte) ([]byte, error) {
	out, err := c.vm.Run(ctx.Env.Context(), ctx, c.code, method, args)
	if err != nil {
		return nil, err
	}
	m, _ := c.code.ABI.Method(method)
	if err := m.Result.Validate(out); err != nil {
		return nil, fmt.Errorf("%w: %s returned %d bytes that are not %s: %v", vm.ErrBadResult, method, len(out), m.Result, err)
	}
	return out, nil
}

// Argument and result types of the module's methods.
type (
	// UploadArgs carries a module's bytes.
	UploadArgs struct{ Code []byte }
	// InstantiateArgs creates a contract from uploaded code.
	InstantiateArgs struct {
		CodeHash []byte
		Label    string
		Admin    *address.Address
		Args     []byte // canonical init args, if the code has init
	}
	// MigrateArgs moves a contract to other code.
	MigrateArgs struct {
		Contract address.Address
		CodeHash []byte
		Args     []byte
	}
	// UpdateAdminArgs changes (or with nil, drops) a contract's admin.
	UpdateAdminArgs struct {
		Contract address.Address
		Admin    *address.Address
	}
	// CodeArgs names code by hash.
	CodeArgs struct{ CodeHash []byte }
	// ContractArgs names a contract.
	ContractArgs struct{ Contract address.Address }
	// CodeView is code_info's result.
	CodeView struct {
		Info CodeInfo
		ABI  string // the vsys_abi section's JSON
	}
	// UploadedEvent is emitted by upload.
	UploadedEvent struct {
		CodeHash []byte
		Creator  address.Address
		Size     uint32
	}
	// InstantiatedEvent is emitted by instantiate.
	InstantiatedEvent struct {
		Contract address.Address
		CodeHash []byte
		Label    string
	}
	// MigratedEvent is emitted by migrate.
	MigratedEvent struct {
		Contract address.Address
		From     []byte
		To       []byte
	}
)

func (m *Module) build() *native.Module {
	c := native.New(Name)
	native.EventType[UploadedEvent](c, "uploaded")
	native.EventType[InstantiatedEvent](c, "instantiated")
	native.EventType[MigratedEvent](c, "migrated")

	native.Method(c, "upload", "Store WASM code (validated and instrumented); returns its sha256.", false,
		func(ctx *router.Context, a UploadArgs) ([]byte, error) {
			hash := sha256.Sum256(a.Code)
			kv := ctx.BilledStore(ctx.Caller, "code") // the uploader pays for the bytes
			if old, err := kv.Get(key(prefixCodeInfo, hash[:])); err != nil || old != nil {
				return hash[:], err // identical code is stored once
			}
			// Compiling is paid before it runs, from the module's structure
			// (docs/vm.md): a simulation of the upload pays the same.
			cost, err := m.vm.CompileGas(a.Code)
			if err != nil {
				return nil, fmt.Errorf("upload: %w", err)
			}
			if err := ctx.Env.Gas.Consume(cost, "wasm compile"); err != nil {
				return nil, fmt.Errorf("upload: %w", err)
			}
			if _, err := m.vm.Check(context.Background(), a.Code); err != nil {
				return nil, fmt.Errorf("upload: %w", err)
			}
			info := CodeInfo{Hash: hash[:], Creator: ctx.Caller, Size: uint32(len(a.Code)), Height: uint64(ctx.Env.Block.Height)}
			if err := native.PutRecord(kv, key(prefixCodeInfo, hash[:]), info); err != nil {
				return nil, err
			}
			if err := kv.Set(key(prefixCode, hash[:]), a.Code); err != nil {
				return nil, err
			}
			return hash[:], native.Emit(ctx, "uploaded", UploadedEvent{CodeHash: hash[:], Creator: ctx.Caller, Size: info.Size})
		})

	native.Method(c, "instantiate", "Create a contract from uploaded code; runs its init entry point with args. Returns the address.", false,
		func(ctx *router.Context, a InstantiateArgs) (address.Address, error) {
			if _, err := m.codeInfo(ctx.Store(), a.CodeHash); err != nil {
				return address.Address{}, err
			}
			addr := address.Derive("wasm/contract", ctx.Caller[:], a.CodeHash, []byte(a.Label))
			kv := ctx.BilledStore(ctx.Caller, "contracts") // the creator pays for the record
			if b, err := kv.Get(key(prefixContract, addr[:])); err != nil || b != nil {
				if err == nil {
					err = fmt.Errorf("%w: %s (creator, code and label %q already used)", ErrContractExists, addr, a.Label)
				}
				return address.Address{}, err
			}
			info := ContractInfo{Address: addr, CodeHash: a.CodeHash, Admin: a.Admin, Label: a.Label, Creator: ctx.Caller, Created: uint64(ctx.Env.Block.Height)}
			if err := native.PutRecord(kv, key(prefixContract, addr[:]), info); err != nil {
				return address.Address{}, err
			}
			// Coins attached to instantiate (moved to this module by the
			// router) go on to the new contract: it pays its own storage.
			for _, c := range ctx.Funds {
				if err := ctx.Ledger().Transfer(Address, addr, c.Token, c.Amount); err != nil {
					return address.Address{}, fmt.Errorf("fund the contract: %w", err)
				}
			}
			if err := m.runEntry(ctx, addr, a.CodeHash, "init", a.Args); err != nil {
				return address.Address{}, err
			}
			return addr, native.Emit(ctx, "instantiated", InstantiatedEvent{Contract: addr, CodeHash: a.CodeHash, Label: a.Label})
		})

	native.Method(c, "migrate", "Move a contract to new code (admin only); runs the new code's migrate entry point with args.", false,
		func(ctx *router.Context, a MigrateArgs) (native.Empty, error) {
			info, err := m.adminOnly(ctx, a.Contract)
			if err != nil {
				return native.Empty{}, err
			}
			if _, err := m.codeInfo(ctx.Store(), a.CodeHash); err != nil {
				return native.Empty{}, err
			}
			from := info.CodeHash
			info.CodeHash = a.CodeHash
			if err := native.PutRecord(ctx.Store(), key(prefixContract, a.Contract[:]), info); err != nil {
				return native.Empty{}, err
			}
			if err := m.runEntry(ctx, a.Contract, a.CodeHash, "migrate", a.Args); err != nil {
				return native.Empty{}, err
			}
			return native.Empty{}, native.Emit(ctx, "migrated", MigratedEvent{Contract: a.Contract, From: from, To: a.CodeHash})
		})

	native.Method(c, "update_admin", "Change a contract's admin (admin only); none makes it immutable.", false,
		func(ctx *router.Context, a UpdateAdminArgs) (native.Empty, error) {
			info, err := m.adminOnly(ctx, a.Contract)
			if err != nil {
				return native.Empty{}, err
			}
			info.Admin = a.Admin
			return native.Empty{}, native.PutRecord(ctx.Store(), key(prefixContract, a.Contract[:]), info)
		})

	native.Method(c, "code_info", "Uploaded code's record and ABI.", true,
		func(ctx *router.Context, a CodeArgs) (CodeView, error) {
			info, err := m.codeInfo(ctx.Store(), a.CodeHash)
			if err != nil {
				return CodeView{}, err
			}
			code, err := m.load(ctx.UnmeteredStore(), a.CodeHash)
			if err != nil {
				return CodeView{}, err
			}
			js, err := jsonABI(code.ABI)
			return CodeView{Info: info, ABI: js}, err
		})

	native.Method(c, "contract_info", "A contract's record: code, admin, label, creator.", true,
		func(ctx *router.Context, a ContractArgs) (ContractInfo, error) {
			return m.contractInfo(ctx.Store(), a.Contract)
		})
	return c
}

// runEntry runs an optional entry point (init, migrate) of code as the
// contract at addr, called by whoever called the module.
func (m *Module) runEntry(ctx *router.Context, addr address.Address, hash []byte, entry string, args []byte) error {
	code, err := m.load(ctx.UnmeteredStore(), hash)
	if err != nil {
		return err
	}
	if !code.HasEntry(entry) {
		if len(args) > 0 {
			return fmt.Errorf("%w: code has no %s entry point but args were given", router.ErrBadArgs, entry)
		}
		return nil
	}
	_, err = ctx.Enter(addr, func(c *router.Context) ([]byte, error) {
		return m.vm.Run(c.Env.Context(), c, code, entry, args)
	})
	if err != nil {
		return fmt.Errorf("%s: %w", entry, err)
	}
	return nil
}

func (m *Module) adminOnly(ctx *router.Context, addr address.Address) (ContractInfo, error) {
	info, err := m.contractInfo(ctx.Store(), addr)
	if err != nil {
		return info, err
	}
	if info.Admin == nil || *info.Admin != ctx.Caller {
		return info, fmt.Errorf("%w: only the admin of %s may do this", ErrUnauthorized, addr)
	}
	return info, nil
}

func (m *Module) codeInfo(kv state.KV, hash []byte) (CodeInfo, error) {
	var info CodeInfo
	ok, err := native.GetRecord(kv, key(prefixCodeInfo, hash), &info)
	if err == nil && !ok {
		err = fmt.Errorf("%w: %x", ErrCodeNotFound, hash)
	}
	return info, err
}

func (m *Module) contractInfo(kv state.KV, addr address.Address) (ContractInfo, error) {
	var info ContractInfo
	ok, err := native.GetRecord(kv, key(prefixContract, addr[:]), &info)
	if err == nil && !ok {
		err = fmt.Errorf("%w: %s", ErrNotContract, addr)
	}
	return info, err
}

func jsonABI(a *abi.ABI) (string, error) {
	b, err := json.Marshal(a)
	return string(b), err
}
