package vm

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sync"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"

	"github.com/vsys/vsys/core/abi"
	"github.com/vsys/vsys/core/gas"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/vm/wasm"
)

// Errors a call can end with; each is wrapped with detail.
var (
	ErrStackDepth = errors.New("wasm stack depth exceeded")
	ErrAborted    = errors.New("contract aborted")
	ErrTrap       = errors.New("wasm trap")
	ErrBadResult  = errors.New("result does not match the ABI")
	ErrBadABI     = errors.New("invalid contract ABI")
	ErrHost       = errors.New("bad host call")
)

// Config configures a VM. Nothing in it may change results: the schedule
// comes from chain params, the rest is node-local.
type Config struct {
	Schedule  wasm.Schedule
	CacheDir  string // wazero's on-disk compilation cache; empty: memory only
	CacheSize int    // compiled modules kept in memory (default 256)
}

// VM compiles and runs contracts. It is safe for concurrent use: queries
// run beside block execution.
type VM struct {
	rt        wazero.Runtime
	sched     wasm.Schedule
	schedHash [32]byte
	cache     *lru.Cache[cacheKey, *Code]
	mu        sync.Mutex // serialises compiles of the same code
	unmetered bool       // benchmarks only: run code as uploaded, no gas
}

// cacheKey names compiled code: the code and the schedule it was
// instrumented with, so new prices can never run with old metering.
type cacheKey struct{ code, sched [32]byte }

// Code is a compiled, instrumented contract ready to instantiate.
type Code struct {
	Hash     [32]byte
	ABI      *abi.ABI
	Size     int
	compiled wazero.CompiledModule
	exports  map[string]bool
	pages    uint32 // initial memory pages, charged at every instantiation
}

// HasEntry reports whether the code exports the entry point (init, migrate).
func (c *Code) HasEntry(name string) bool { return c.exports[name] }

// New starts a VM on wazero's compiler engine, the only engine vsys uses
// for consensus.
func New(ctx context.Context, cfg Config) (*VM, error) {
	if err := cfg.Schedule.Validate(); err != nil {
		return nil, fmt.Errorf("vm schedule: %w", err)
	}
	rc := wazero.NewRuntimeConfigCompiler().
		WithMemoryLimitPages(cfg.Schedule.MaxMemoryPages).
		WithCloseOnContextDone(true).
		WithCustomSections(true).
		WithCoreFeatures(api.CoreFeaturesV2)
	if cfg.CacheDir != "" {
		if err := os.MkdirAll(cfg.CacheDir, 0o755); err != nil {
			return nil, fmt.Errorf("vm cache dir: %w", err)
		}
		cc, err := wazero.NewCompilationCacheWithDir(cfg.CacheDir)
		if err != nil {
			return nil, fmt.Errorf("vm cache: %w", err)
		}
		rc = rc.WithCompilationCache(cc)
	}
	if cfg.CacheSize <= 0 {
		cfg.CacheSize = 256
	}
	v := &VM{rt: wazero.NewRuntimeWithConfig(ctx, rc), sched: cfg.Schedule, schedHash: cfg.Schedule.Hash()}
	var err error
	v.cache, err = lru.NewWithEvict(cfg.CacheSize, func(_ cacheKey, c *Code) { _ = c.compiled.Close(context.Background()) })
	if err != nil {
		return nil, err
	}
	if err := v.instantiateHost(ctx); err != nil {
		return nil, err
	}
	return v, nil
}

// Close releases the runtime and every compiled module.
func (v *VM) Close(ctx context.Context) error { return v.rt.Close(ctx) }

// Schedule returns the cost and limits table the VM meters with.
func (v *VM) Schedule() *wasm.Schedule { return &v.sched }

// Check validates and compiles code as an upload does, and caches the
// result: the code's first call will not compile it again.
func (v *VM) Check(ctx context.Context, code []byte) (*Code, error) {
	return v.Load(ctx, sha256.Sum256(code), func() ([]byte, error) { return code, nil })
}

// CompileGas validates and instruments code as an upload does, without
// compiling it, and returns what compiling it costs (Schedule.CompileGas):
// an upload pays this before Check compiles.
func (v *VM) CompileGas(code []byte) (uint64, error) {
	inst, mod, err := wasm.Instrument(code, &v.sched)
	if err != nil {
		return 0, err
	}
	if err := v.checkCompileWeight(inst, mod); err != nil {
		return 0, err
	}
	return v.sched.CompileGas(inst, mod), nil
}

// checkCompileWeight bounds what metering may grow code to: a module made
// of little else than branches could grow many times over and make
// compiling it the attack.
func (v *VM) checkCompileWeight(inst []byte, mod *wasm.Module) error {
	if w := wasm.CompileWeight(inst, mod); w > uint64(v.sched.MaxCompileBytes) {
		return fmt.Errorf("%w: compile weight %d bytes (instrumented code %d bytes, %d br_table targets at %d), more than max_compile_bytes %d",
			wasm.ErrInvalid, w, len(inst), mod.BrTableTargets, wasm.BrTargetWeight, v.sched.MaxCompileBytes)
	}
	return nil
}

// Load returns the compiled code for hash, compiling original on a miss.
// original is read lazily: it is only called when the code is not cached.
func (v *VM) Load(ctx context.Context, hash [32]byte, original func() ([]byte, error)) (*Code, error) {
	key := cacheKey{hash, v.schedHash}
	if c, ok := v.cache.Get(key); ok {
		return c, nil
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if c, ok := v.cache.Get(key); ok {
		return c, nil
	}
	b, err := original()
	if err != nil {
		return nil, fmt.Errorf("load code %x: %w", hash[:8], err)
	}
	c, err := v.compile(ctx, hash, b)
	if err != nil {
		return nil, err
	}
	v.cache.Add(key, c)
	return c, nil
}

func (v *VM) compile(ctx context.Context, hash [32]byte, code []byte) (*Code, error) {
	inst, mod, err := wasm.Instrument(code, &v.sched)
	if err != nil {
		return nil, err
	}
	if err := v.checkCompileWeight(inst, mod); err != nil {
		return nil, err
	}
	if v.unmetered {
		inst = code
	}
	var a abi.ABI
	if err := json.Unmarshal(mod.ABI, &a); err != nil {
		return nil, fmt.Errorf("%w: vsys_abi section: %v", ErrBadABI, err)
	}
	if err := a.Validate(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadABI, err)
	}
	exports := map[string]bool{}
	for _, e := range mod.Exports {
		exports[e] = true
	}
	for _, m := range a.Methods {
		if !exports[m.Name] {
			return nil, fmt.Errorf("%w: method %q has no exported function", ErrBadABI, m.Name)
		}
		if m.Name == "init" || m.Name == "migrate" {
			return nil, fmt.Errorf("%w: %q is an entry point, not a method", ErrBadABI, m.Name)
		}
	}
	compiled, err := v.rt.CompileModule(ctx, inst)
	if err != nil {
		return nil, fmt.Errorf("%w: compile: %v", wasm.ErrInvalid, err)
	}
	var pages uint32
	if m, ok := compiled.ExportedMemories()["memory"]; ok {
		pages = m.Min()
	}
	return &Code{Hash: hash, ABI: &a, Size: len(code), compiled: compiled, exports: exports, pages: pages}, nil
}

// Run calls export entry of code with input as the contract of call (the
// router's context of this call: caller, self, funds, store, gas), and
// returns its output. Gas comes from and goes back to call.Env.Gas; a trap
// charges what was used (all of it when gas ran out). When ctx ends the
// instance stops (wazero's WithCloseOnContextDone, set in New) and Run
// returns ctx's error: queries pass their caller's context, blocks one
// that never ends.
func (v *VM) Run(ctx context.Context, call *router.Context, code *Code, entry string, input []byte) ([]byte, error) {
	if !code.exports[entry] {
		return nil, fmt.Errorf("%w: no entry point %q", router.ErrUnknownMethod, entry)
	}
	if len(input) > int(v.sched.MaxIOBytes) {
		return nil, fmt.Errorf("%w: input of %d bytes, limit %d", ErrHost, len(input), v.sched.MaxIOBytes)
	}
	st := &instance{vm: v, call: call, code: code, input: input}
	// The initial memory is paid for and taken from the call stack's
	// budget before wazero allocates it (memory.go); all of this
	// instance's pages go back when it is closed.
	if err := call.Env.Gas.ConsumeBytes(0, v.sched.Page, int(code.pages), "wasm memory pages"); err != nil {
		return nil, err
	}
	if err := call.AllocMemory(code.pages); err != nil {
		return nil, err
	}
	st.pages = code.pages
	defer func() { call.FreeMemory(st.pages) }()
	ctx = experimental.WithMemoryAllocator(context.WithValue(ctx, instanceKey{}, st), st)
	mod, err := v.rt.InstantiateModule(ctx, code.compiled, moduleConfig)
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, ctxErr // a stopped query (a block's context never ends)
		}
		return nil, fmt.Errorf("%w: instantiate: %v", ErrTrap, err)
	}
	defer mod.Close(ctx)
	if !v.unmetered {
		st.gas = mod.ExportedGlobal(wasm.ExportGas).(api.MutableGlobal)
		st.trap = mod.ExportedGlobal(wasm.ExportTrap)
	}
	st.setGas()

	_, callErr := mod.ExportedFunction(entry).Call(ctx)
	st.closeIters()
	if err := st.syncGas(); err != nil {
		return nil, err
	}
	if callErr != nil {
		return nil, st.classify(callErr)
	}
	return st.output, nil
}

// classify turns whatever stopped an instance into one of the VM's errors.
// wazero's message (with its stack trace) never reaches a tx result: it is
// not part of the contract's behaviour on every node.
func (st *instance) classify(err error) error {
	var trap uint64
	if st.trap != nil {
		trap = st.trap.Get()
	}
	switch trap {
	case wasm.TrapOutOfGas:
		g := st.call.Env.Gas
		_ = g.Consume(g.Remaining()+1, "wasm execution") // the whole limit is paid
		return fmt.Errorf("%w: the contract used all %d gas of the tx", gas.ErrOutOfGas, g.Limit())
	case wasm.TrapStackDepth:
		return fmt.Errorf("%w: more than %d nested wasm calls", ErrStackDepth, st.vm.sched.MaxStackDepth)
	}
	if st.hostErr != nil {
		return st.hostErr
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return err // a node fault (deadline), never a contract's result
	}
	return fmt.Errorf("%w: %s", ErrTrap, trapReason(err))
}

// moduleConfig is every instance's configuration: anonymous (many
// instances of one code coexist), no start function, and a constant
// random source: contracts have no access to randomness, and wazero would
// otherwise seed a math/rand source per instance (a fifth of a transfer).
var moduleConfig = wazero.NewModuleConfig().WithName("").WithStartFunctions().WithRandSource(zeroReader{})

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
