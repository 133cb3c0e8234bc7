package router

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/vsys/vsys/core/abi"
	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/gas"
	"github.com/vsys/vsys/core/state"
)

// Sentinel errors callers test for.
var (
	ErrUnknownContract = errors.New("unknown contract")
	ErrUnknownMethod   = errors.New("unknown method")
	ErrBadArgs         = errors.New("bad arguments")
	ErrReadOnlyCall    = errors.New("state-changing method in a read-only call")
	ErrCallDepth       = errors.New("call depth exceeded")
	ErrEventTooLarge   = errors.New("event too large")
	ErrReentrancy      = errors.New("reentrant call")
	// ErrMemoryBudget: the instances on one call stack would hold more
	// wasm memory than Limits.MaxCallMemoryPages. Like running out of
	// gas it ends the whole tx or query, whoever asked for the page.
	ErrMemoryBudget = errors.New("memory budget exceeded")
)

// Contract is anything reachable by address: a native module or a WASM
// contract. Call runs method with canonical args and returns the canonical
// result; an error reverts everything the call wrote.
type Contract interface {
	ABI() *abi.ABI
	Call(ctx *Context, method string, args []byte) ([]byte, error)
}

// Resolver finds contracts that are not registered natively (WASM
// contracts, looked up in state).
type Resolver func(kv state.KV, addr address.Address) (Contract, bool, error)

// Coin is an amount of a token.
type Coin struct {
	Token  string     `json:"token"`
	Amount codec.U128 `json:"amount"`
}

// Block is what a call may know of the block it runs in. Time comes from
// the header, never the wall clock.
type Block struct {
	Height  int64
	Time    time.Time
	ChainID string
}

// Event is what a contract emitted: a name from its ABI and the canonical
// encoding of the event's struct.
type Event struct {
	Contract address.Address
	Name     string
	Data     []byte
}

// Limits bound every call; they are chain parameters.
type Limits struct {
	MaxCallDepth  int // nested calls, the tx's own call is depth 1
	MaxEventBytes int // encoded data of one event
	// MaxCallMemoryPages bounds the wasm memory (64 KiB pages, initial and
	// grown) of all the instances on the call stack of one tx or query at
	// once; 0 means DefaultMaxCallMemoryPages.
	MaxCallMemoryPages uint32
}

// DefaultMaxCallMemoryPages is the default memory budget of a call stack:
// 1,024 pages, 64 MiB, two instances at the largest memory one may have.
const DefaultMaxCallMemoryPages = 1024

// Router holds the native contracts and resolves the rest.
type Router struct {
	native   map[address.Address]Contract
	names    map[string]address.Address
	resolver Resolver
	bank     Bank
	costs    gas.Costs
	limits   Limits
	biller   Biller
	vouchers voucherGrant // SetVouchers
}

// New returns a router charging costs and enforcing limits.
func New(costs gas.Costs, limits Limits) *Router {
	if limits.MaxCallMemoryPages == 0 {
		limits.MaxCallMemoryPages = DefaultMaxCallMemoryPages
	}
	return &Router{
		native: map[address.Address]Contract{},
		names:  map[string]address.Address{},
		costs:  costs,
		limits: limits,
	}
}

// Register installs a native contract at a reserved address under a name
// ("token") that the CLI and JSON-RPC accept in place of the address.
func (r *Router) Register(name string, addr address.Address, c Contract) {
	r.native[addr] = c
	r.names[name] = addr
}

// SetResolver installs the lookup for non-native contracts.
func (r *Router) SetResolver(res Resolver) { r.resolver = res }

// Costs returns the gas schedule the router charges.
func (r *Router) Costs() *gas.Costs { return &r.costs }

// Lookup resolves a module name or a bech32 address.
func (r *Router) Lookup(nameOrAddr string) (address.Address, error) {
	if a, ok := r.names[nameOrAddr]; ok {
		return a, nil
	}
	return address.Parse(nameOrAddr)
}

// Names returns the native modules by name.
func (r *Router) Names() map[string]address.Address { return r.names }

// Resolve finds the contract at addr.
func (r *Router) Resolve(kv state.KV, addr address.Address) (Contract, error) {
	if c, ok := r.native[addr]; ok {
		return c, nil
	}
	if r.resolver != nil {
		c, ok, err := r.resolver(kv, addr)
		if err != nil {
			return nil, fmt.Errorf("resolve %s: %w", addr, err)
		}
		if ok {
			return c, nil
		}
	}
	return nil, fmt.Errorf("%w %s", ErrUnknownContract, addr)
}

// Method finds the contract at addr and its method name: an address that
// holds no contract is ErrUnknownContract, a contract without the method
// ErrUnknownMethod. Callers that look a method up before calling it (the
// JSON-RPC server, to encode args by the ABI) use it so that they report
// the same error a call would.
func (r *Router) Method(kv state.KV, addr address.Address, name string) (Contract, *abi.Method, error) {
	c, err := r.Resolve(kv, addr)
	if err != nil {
		return nil, nil, err
	}
	m, ok := c.ABI().Method(name)
	if !ok {
		return nil, nil, fmt.Errorf("%w %q on %s (%s)", ErrUnknownMethod, name, c.ABI().Name, addr)
	}
	return c, m, nil
}

// StorePrefix is the key prefix of a contract's own storage in the tree.
func StorePrefix(addr address.Address) []byte {
	p := make([]byte, 0, 1+address.Len)
	return append(append(p, 'c'), addr[:]...)
}

// StoreOf is the store of the contract or module at addr within root:
// root under StorePrefix(addr). A module reads its own state from a root
// it is given (a committed view, the state at the end of a block) with it.
func StoreOf(root state.KV, addr address.Address) state.KV {
	return state.NewPrefix(root, StorePrefix(addr))
}

// Env is what one tx (or one read-only query) gives every call in it.
type Env struct {
	Block    Block
	Origin   address.Address // the tx signer
	Gas      *gas.Meter
	ReadOnly bool
	Events   []Event // events of calls that succeeded, in order
	// Ctx stops a query's WASM when its caller goes away or its deadline
	// passes. Only queries set it: block execution leaves it nil, so
	// nothing node-local can cut a tx short and change the app hash.
	Ctx context.Context

	running  []address.Address // contracts on the call stack, outermost first
	memPages uint64            // wasm memory pages the instances on the stack hold
}

// MemoryPages returns the wasm memory pages the instances on the call
// stack hold now.
func (e *Env) MemoryPages() uint64 { return e.memPages }

// Context is the context the VM runs the env's WASM under: Ctx, or
// context.Background() (which never ends) when Ctx is nil.
func (e *Env) Context() context.Context {
	if e.Ctx == nil {
		return context.Background()
	}
	return e.Ctx
}

// Call runs one top-level call of a tx on kv (normally the tx's cache).
// Writes reach kv only if the call succeeds.
func (r *Router) Call(env *Env, kv state.KV, caller, contract address.Address, method string, args []byte, funds []Coin) ([]byte, error) {
	return r.call(env, kv, caller, contract, method, args, funds, 1, env.ReadOnly)
}

// call runs one call. readOnly holds for the whole query (env.ReadOnly) and
// for everything a read-only method runs, nested calls included: a method
// declared read-only can never change state, whoever calls it.
func (r *Router) call(env *Env, kv state.KV, caller, contract address.Address, method string, args []byte, funds []Coin, depth int, readOnly bool) ([]byte, error) {
	if depth > r.limits.MaxCallDepth {
		return nil, fmt.Errorf("%w: depth %d, limit %d", ErrCallDepth, depth, r.limits.MaxCallDepth)
	}
	if err := env.Gas.Consume(r.costs.CallBase, "call"); err != nil {
		return nil, err
	}
	c, m, err := r.Method(kv, contract, method)
	if err != nil {
		return nil, err
	}
	if readOnly && !m.ReadOnly {
		return nil, fmt.Errorf("%w: %s.%s", ErrReadOnlyCall, c.ABI().Name, method)
	}
	if err := m.Args.Validate(args); err != nil {
		return nil, fmt.Errorf("%w for %s.%s (want %s): %v", ErrBadArgs, c.ABI().Name, method, m.Args, err)
	}
	f := &Context{Caller: caller, Self: contract, Funds: funds, Env: env, depth: depth, readOnly: readOnly || m.ReadOnly}
	return r.enter(kv, f, func(ctx *Context) ([]byte, error) {
		out, err := c.Call(ctx, method, args)
		if err != nil {
			return nil, fmt.Errorf("%s.%s: %w", c.ABI().Name, method, err)
		}
		return out, nil
	})
}

// enter runs fn as f.Self on a cache of kv, f's parent state: attached
// funds move first, the contract sees its own prefixed, gas-metered store,
// and fn's writes and events are kept only if it succeeds. A contract
// already on the call stack cannot be entered again: it would see its
// state change under it. f arrives with who runs, for whom, at what depth
// and whether read-only; enter gives it its state.
func (r *Router) enter(kv state.KV, f *Context, fn func(*Context) ([]byte, error)) ([]byte, error) {
	env := f.Env
	for _, a := range env.running {
		if a == f.Self {
			return nil, fmt.Errorf("%w: %s is already running", ErrReentrancy, f.Self)
		}
	}
	env.running = append(env.running, f.Self)
	defer func() { env.running = env.running[:len(env.running)-1] }()

	cache := state.NewCache(kv)
	if len(f.Funds) > 0 {
		if f.readOnly {
			return nil, fmt.Errorf("%w: funds attached", ErrReadOnlyCall)
		}
		if r.bank == nil {
			return nil, fmt.Errorf("%w: funds attached", ErrNoLedger)
		}
		// Metered, unlike Context.Ledger: the caller pays for moving
		// what it attached.
		l := r.bank.Ledger(state.NewGasKV(cache, env.Gas, &r.costs))
		for _, c := range f.Funds {
			if err := l.Transfer(f.Caller, f.Self, c.Token, c.Amount); err != nil {
				return nil, fmt.Errorf("attach funds: %w", err)
			}
		}
	}
	return r.run(cache, f, fn)
}

// run binds f to cache (its store and root) and runs fn, keeping fn's
// writes (into cache's parent) and events only if it succeeds.
func (r *Router) run(cache *state.Cache, f *Context, fn func(*Context) ([]byte, error)) ([]byte, error) {
	env := f.Env
	var root state.KV = cache
	if f.readOnly {
		root = state.NewReadOnly(cache)
	}
	// A contract's own storage is held by the contract and paid for by
	// the tx's signer, key by key; native modules bill whoever they keep
	// state for (BilledStore).
	own := StoreOf(root, f.Self)
	if !f.Self.IsModule() {
		own = r.billedToSigner(own, root, f.Self, CategoryStorage, f.Self, env.Origin)
	}
	f.store = state.NewGasKV(own, env.Gas, &r.costs)
	f.root, f.router = root, r
	nEvents := len(env.Events)
	out, err := fn(f)
	if err == nil {
		if err = cache.Write(); err != nil {
			err = fmt.Errorf("%s: write state: %w", f.Self, err)
		}
	}
	if err != nil {
		env.Events = env.Events[:nEvents]
		return nil, err
	}
	return out, nil
}

// Context is what a contract sees during one call: one contract's turn on
// the call stack.
type Context struct {
	Caller address.Address // who called: the signer or a contract
	Self   address.Address // the contract being run
	Funds  []Coin          // already moved from Caller to Self
	Env    *Env

	store    state.KV // Self's store: prefixed, metered, billed
	root     state.KV // the whole state of this call (its cache); never handed out
	router   *Router
	depth    int
	readOnly bool
}

// Store is the contract's own storage: prefixed, gas-metered, reverted if
// the call fails.
func (c *Context) Store() state.KV { return c.store }

// UnmeteredStore is the contract's own storage like Store, but read-only
// and neither metered nor billed: for reads whose cost is paid another way
// or must not depend on the node (the wasm module loads code that the VM
// may already have cached, so metering the read would make gas differ
// between nodes).
func (c *Context) UnmeteredStore() state.KV { return state.NewReadOnly(StoreOf(c.root, c.Self)) }

// Ledger is the token ledger on this call's state, reverted with the
// call, and unmetered: a native module's transfers are bookkeeping the
// method's price covers, as they always were. In a
// read-only call it cannot move coins. It is the only way a module other
// than token reaches a balance.
func (c *Context) Ledger() Ledger {
	if c.router.bank == nil {
		return noLedger{}
	}
	return c.router.bank.Ledger(c.root)
}

// Depth is the nesting depth of this call (1 for a tx's own call).
func (c *Context) Depth() int { return c.depth }

// Emit records an event. Events are kept only if the whole tx succeeds.
func (c *Context) Emit(name string, data []byte) error {
	if c.readOnly {
		return nil
	}
	if len(data) > c.router.limits.MaxEventBytes {
		return fmt.Errorf("%w: %d bytes, limit %d", ErrEventTooLarge, len(data), c.router.limits.MaxEventBytes)
	}
	if err := c.Env.Gas.ConsumeBytes(c.router.costs.EventFlat, c.router.costs.EventByte, len(data)+len(name), "event"); err != nil {
		return err
	}
	c.Env.Events = append(c.Env.Events, Event{Contract: c.Self, Name: name, Data: data})
	return nil
}

// Enter runs fn as contract with the same guarantees as a call (own
// store, revert on error, depth and reentrancy rules) but without an ABI
// method, and with this call's caller as fn's caller: the WASM module uses
// it to run a contract's init and migrate entry points for whoever
// instantiates or migrates it. Native modules only; contracts never get it.
func (c *Context) Enter(contract address.Address, fn func(*Context) ([]byte, error)) ([]byte, error) {
	if c.depth+1 > c.router.limits.MaxCallDepth {
		return nil, fmt.Errorf("%w: depth %d, limit %d", ErrCallDepth, c.depth+1, c.router.limits.MaxCallDepth)
	}
	return c.router.enter(c.root, &Context{Caller: c.Caller, Self: contract, Env: c.Env, depth: c.depth + 1, readOnly: c.readOnly}, fn)
}

// AllocMemory takes pages of wasm memory for an instance this call runs
// from the budget that every instance on the call stack shares
// (Limits.MaxCallMemoryPages); the VM calls it before an instance gets
// its initial memory and at every memory.grow, and gives the pages back
// with FreeMemory when the instance is done. Past the budget nothing is
// taken and the error wraps ErrMemoryBudget. The budget counts pages,
// nothing node-local, so every node fails the same call.
func (c *Context) AllocMemory(pages uint32) error {
	env, limit := c.Env, uint64(c.router.limits.MaxCallMemoryPages)
	if env.memPages+uint64(pages) > limit {
		return fmt.Errorf("%w: %d more wasm pages with %d held on the call stack, limit %d (%d MiB)",
			ErrMemoryBudget, pages, env.memPages, limit, limit>>4)
	}
	env.memPages += uint64(pages)
	return nil
}

// FreeMemory returns pages taken by AllocMemory to the budget.
func (c *Context) FreeMemory(pages uint32) {
	c.Env.memPages -= min(uint64(pages), c.Env.memPages)
}

// ReadOnly reports whether this call may not change state.
func (c *Context) ReadOnly() bool { return c.readOnly }

// Call calls another contract on behalf of this one, through the same
// path as a tx's call; its writes and events are kept only if both it and
// this call succeed.
func (c *Context) Call(contract address.Address, method string, args []byte, funds []Coin) ([]byte, error) {
	return c.router.call(c.Env, c.root, c.Self, contract, method, args, funds, c.depth+1, c.readOnly)
}
