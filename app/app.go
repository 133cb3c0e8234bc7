package app

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cometbft/cometbft/libs/log"

	"github.com/vsys/vsys/app/genesis"
	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/moduleid"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/core/state"
	"github.com/vsys/vsys/modules/billing"
	"github.com/vsys/vsys/modules/database"
	"github.com/vsys/vsys/modules/interchain"
	"github.com/vsys/vsys/modules/staking"
	"github.com/vsys/vsys/modules/token"
	"github.com/vsys/vsys/modules/wasm"
	"github.com/vsys/vsys/vm"
)

// Options are node-local settings. They never change what the state
// machine computes (IAVL #598 is the cautionary tale), only how fast.
type Options struct {
	Logger       log.Logger
	Metrics      *Metrics // nil: no metrics
	TxCacheBytes int64    // decoded, signature-checked txs kept between CheckTx and FinalizeBlock; 0: DefaultTxCacheBytes
	KeepVersions int64    // 0 keeps every version; N keeps the last N
	VMCacheDir   string   // wazero's on-disk compilation cache; empty: memory only
	VMCacheSize  int      // compiled contracts kept in memory

	// What one sender may park in the mempool ahead of its next nonce
	// (mempool.go); 0: DefaultMaxParkedTxs, DefaultMaxParkedBytes.
	MaxParkedTxs   int
	MaxParkedBytes int64

	// DiskQuotaBytes is the node's disk quota: while the usage reported
	// by SetDiskUsage is over it, no new tx is admitted (mempool.go);
	// 0: no quota.
	DiskQuotaBytes int64
}

// App is the ABCI application (its methods are in abci.go; doc.go maps the
// files by job).
type App struct {
	abci.BaseApplication

	store   *state.Store
	router  *router.Router
	billing *billing.Module
	staking *staking.Module
	vm      *vm.VM
	opts    Options
	log     log.Logger

	mu    sync.RWMutex
	chain chainInfo

	// Only the ABCI goroutine touches these (the local client serialises
	// ABCI calls).
	check   *state.Cache // CheckTx's view: last commit plus accepted mempool txs
	txCache *txCache
	parked  map[address.Address]parked // CheckTx's count of what each sender has waiting
	block   router.Block
	// What the last FinalizeBlock did, for Commit's log line.
	blockTxs int
	blockGas uint64

	queries queryStats // vsys_call and vsys_estimateGas, from RPC goroutines
	// diskUsed is the data directory's bytes as the node last measured
	// them (SetDiskUsage), read by every admission check.
	diskUsed atomic.Int64
	// lastTime is the header time of the last committed block (Unix ns;
	// 0 until this process commits one), the time Simulate runs at.
	lastTime atomic.Int64
}

// New returns an app over store. The router is built from the chain's
// params, loaded from the store when it has state, else at InitChain.
func New(store *state.Store, opts Options) (*App, error) {
	if opts.Logger == nil {
		opts.Logger = log.NewNopLogger()
	}
	if opts.TxCacheBytes <= 0 {
		opts.TxCacheBytes = DefaultTxCacheBytes
	}
	if opts.MaxParkedTxs <= 0 {
		opts.MaxParkedTxs = DefaultMaxParkedTxs
	}
	if opts.MaxParkedBytes <= 0 {
		opts.MaxParkedBytes = DefaultMaxParkedBytes
	}
	a := &App{store: store, opts: opts, log: opts.Logger, txCache: newTxCache(opts.TxCacheBytes), parked: map[address.Address]parked{}}
	if store.Version() > 0 {
		view, err := store.At(store.Version())
		if err != nil {
			return nil, err
		}
		ci, err := loadChainInfo(view)
		if err != nil {
			return nil, fmt.Errorf("load chain info at height %d: %w", store.Version(), err)
		}
		if err := a.setChain(ci); err != nil {
			return nil, err
		}
		if err := a.resetCheck(); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// newRouter builds the router of a chain running modules (genesis's
// enabled list): only those are registered, so a call to a module left out
// is router.ErrUnknownContract. The billing and staking modules are built
// whatever the list: the end of every block pays fees out by billing's rule
// and keeps the validator set through staking's records; left out, neither
// is callable, billing charges no storage deposits and staking's set stays
// the genesis one (docs/chains.md).
func newRouter(p genesis.Params, native string, modules []string, v *vm.VM) (*router.Router, *billing.Module, *staking.Module) {
	on := map[string]bool{}
	for _, m := range modules {
		on[m] = true
	}
	r := router.New(p.Costs, router.Limits{MaxCallDepth: int(p.MaxCallDepth), MaxEventBytes: int(p.MaxEventBytes),
		MaxCallMemoryPages: p.MaxCallMemoryPages})
	tok := token.New() // required (genesis.RequiredModule)
	r.Register(moduleid.NameToken, token.Address, tok)
	r.SetBank(tok)
	if on[database.Name] {
		r.Register(database.Name, database.Address, database.New())
	}
	bill := billing.New(p.Billing, native, tok)
	if on[billing.Name] {
		r.Register(billing.Name, billing.Address, bill)
		r.SetBiller(bill)
	}
	if on[wasm.Name] {
		wasmModule := wasm.New(v)
		r.Register(wasm.Name, wasm.Address, wasmModule)
		r.SetResolver(wasmModule.Resolve)
	}
	sp := p.Staking
	sp.Denom = native
	st := staking.New(sp, tok)
	if on[staking.Name] {
		r.Register(staking.Name, staking.Address, st)
	}
	if on[interchain.Name] {
		r.Register(interchain.Name, interchain.Address, interchain.New())
		r.SetVouchers(interchain.Address, tok) // the transfer app's vouchers
	}
	return r, bill, st
}

// setChain installs the chain's params: the router, and a VM metering
// with the params' schedule.
func (a *App) setChain(ci chainInfo) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.vm == nil {
		v, err := vm.New(context.Background(), vm.Config{Schedule: ci.params.WASM, CacheDir: a.opts.VMCacheDir, CacheSize: a.opts.VMCacheSize})
		if err != nil {
			return err
		}
		a.vm = v
	}
	a.router, a.billing, a.staking = newRouter(ci.params, ci.native, ci.modules, a.vm)
	ci.bank = a.router.Bank()
	if slices.Contains(ci.modules, billing.Name) {
		ci.bill = a.billing // bills are recorded only where the module runs
	}
	a.chain = ci
	return nil
}

// Close releases the VM. The store is the caller's to close.
func (a *App) Close() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.vm == nil {
		return nil
	}
	err := a.vm.Close(context.Background())
	a.vm = nil
	return err
}

func (a *App) chainInfo() (chainInfo, *router.Router) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.chain, a.router
}

// Store exposes the state store (for RPC proofs and tests).
func (a *App) Store() *state.Store { return a.store }

// Router returns the router (nil before InitChain on a fresh store).
func (a *App) Router() *router.Router { _, r := a.chainInfo(); return r }

// ChainID returns the chain id (empty before InitChain).
func (a *App) ChainID() string { ci, _ := a.chainInfo(); return ci.chainID }

// NativeToken returns the native coin's symbol.
func (a *App) NativeToken() string { ci, _ := a.chainInfo(); return ci.native }

// Modules returns the names of the modules the chain runs, in id order.
func (a *App) Modules() []string { ci, _ := a.chainInfo(); return slices.Clone(ci.modules) }

// Params returns the chain parameters.
func (a *App) Params() genesis.Params { ci, _ := a.chainInfo(); return ci.params }

// Version is the software version reported in ABCI Info.
const Version = "0.1.0"

// AppVersion is the state machine's protocol version.
const AppVersion = 1
