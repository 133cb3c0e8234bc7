package app

import (
	"context"
	"encoding/binary"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cometbft/cometbft/libs/log"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"

	"github.com/vsys/vsys/app/genesis"
	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/gas"
	"github.com/vsys/vsys/core/moduleid"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/core/state"
	"github.com/vsys/vsys/core/tx"
	"github.com/vsys/vsys/modules/billing"
	"github.com/vsys/vsys/modules/database"
	"github.com/vsys/vsys/modules/staking"
	"github.com/vsys/vsys/modules/token"
	"github.com/vsys/vsys/modules/wasm"
	"github.com/vsys/vsys/vm"
)

// FeeCollector is the account that receives fees until the billing module
// distributes them (address.Module(0xF0), reserved for the chain itself).
var FeeCollector = address.Module(moduleid.FeeCollector)

// Keys of the app's own records in the tree. Contracts live under 'c'.
var (
	keyParams  = []byte("pparams")
	keyChainID = []byte("pchain_id")
	keyNative  = []byte("pnative")
)

func accountKey(a address.Address) []byte {
	return append([]byte{'a'}, a[:]...)
}

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
}

// chainInfo is what genesis fixes. It is written once, at InitChain or at
// load, and read by RPC goroutines, hence the lock.
type chainInfo struct {
	chainID string
	native  string
	params  genesis.Params
	// bank and bill, wired once by newRouter, are the app's only way to
	// balances (fees, queries) and to bills (each tx's fee).
	bank router.Bank
	bill *billing.Module
}

// App is the ABCI application.
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

func newRouter(p genesis.Params, native string, v *vm.VM) (*router.Router, *billing.Module, *staking.Module) {
	r := router.New(p.Costs, router.Limits{MaxCallDepth: int(p.MaxCallDepth), MaxEventBytes: int(p.MaxEventBytes),
		MaxCallMemoryPages: p.MaxCallMemoryPages})
	tok := token.New()
	r.Register(moduleid.NameToken, token.Address, tok)
	r.SetBank(tok)
	r.Register(database.Name, database.Address, database.New())
	bill := billing.New(p.Billing, native, tok)
	r.Register(billing.Name, billing.Address, bill)
	r.SetBiller(bill)
	wasmModule := wasm.New(v)
	r.Register(wasm.Name, wasm.Address, wasmModule)
	r.SetResolver(wasmModule.Resolve)
	sp := p.Staking
	sp.Denom = native
	st := staking.New(sp, tok)
	r.Register(staking.Name, staking.Address, st)
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
	a.router, a.billing, a.staking = newRouter(ci.params, ci.native, a.vm)
	ci.bank, ci.bill = a.router.Bank(), a.billing
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

func loadChainInfo(kv state.KV) (chainInfo, error) {
	var ci chainInfo
	for _, f := range []struct {
		key []byte
		dst any
	}{{keyParams, &ci.params}, {keyChainID, &ci.chainID}, {keyNative, &ci.native}} {
		b, err := kv.Get(f.key)
		if err != nil {
			return ci, err
		}
		if b == nil {
			return ci, fmt.Errorf("missing %q", f.key)
		}
		if err := codec.Unmarshal(b, f.dst); err != nil {
			return ci, fmt.Errorf("decode %q: %w", f.key, err)
		}
	}
	return ci, nil
}

// Store exposes the state store (for RPC proofs and tests).
func (a *App) Store() *state.Store { return a.store }

// Router returns the router (nil before InitChain on a fresh store).
func (a *App) Router() *router.Router { _, r := a.chainInfo(); return r }

// ChainID returns the chain id (empty before InitChain).
func (a *App) ChainID() string { ci, _ := a.chainInfo(); return ci.chainID }

// NativeToken returns the native coin's symbol.
func (a *App) NativeToken() string { ci, _ := a.chainInfo(); return ci.native }

// Params returns the chain parameters.
func (a *App) Params() genesis.Params { ci, _ := a.chainInfo(); return ci.params }

// Info implements abci.Application: CometBFT's handshake replays blocks
// above the height reported here.
func (a *App) Info(context.Context, *abci.RequestInfo) (*abci.ResponseInfo, error) {
	res := &abci.ResponseInfo{Data: "vsys", Version: Version, AppVersion: AppVersion, LastBlockHeight: a.store.Version()}
	if res.LastBlockHeight > 0 {
		res.LastBlockAppHash = a.store.Hash()
	}
	return res, nil
}

// Version is the software version reported in ABCI Info.
const Version = "0.1.0"

// AppVersion is the state machine's protocol version.
const AppVersion = 1

// InitChain writes the genesis state into the working tree; block 1 commits it.
func (a *App) InitChain(_ context.Context, req *abci.RequestInitChain) (*abci.ResponseInitChain, error) {
	gs, err := genesis.Parse(req.AppStateBytes)
	if err != nil {
		return nil, err
	}
	ci := chainInfo{chainID: req.ChainId, native: gs.NativeToken.Symbol, params: gs.Params}
	kv := a.store.Working()
	for _, f := range []struct {
		key []byte
		v   any
	}{{keyParams, gs.Params}, {keyChainID, req.ChainId}, {keyNative, gs.NativeToken.Symbol}} {
		b, err := codec.Marshal(f.v)
		if err != nil {
			return nil, err
		}
		if err := kv.Set(f.key, b); err != nil {
			return nil, err
		}
	}
	allocs := make([]token.Allocation, len(gs.Accounts))
	for i, acc := range gs.Accounts {
		allocs[i] = token.Allocation{Address: acc.Address, Amount: acc.Balance}
	}
	if err := token.Genesis(kv, token.Info{Symbol: gs.NativeToken.Symbol, Name: gs.NativeToken.Name,
		Decimals: gs.NativeToken.Decimals, MaxSupply: codec.MaxU128}, allocs); err != nil {
		return nil, fmt.Errorf("genesis: %w", err)
	}
	if err := a.setChain(ci); err != nil {
		return nil, err
	}
	a.log.Info("genesis loaded", "chain_id", req.ChainId, "accounts", len(gs.Accounts))
	var vals []staking.GenesisValidator
	for _, v := range req.Validators {
		vals = append(vals, staking.GenesisValidator{PubKey: v.PubKey.GetEd25519(), Power: v.Power})
	}
	if err := a.staking.InitGenesis(kv, vals, req.InitialHeight); err != nil {
		return nil, fmt.Errorf("genesis validators: %w", err)
	}
	return &abci.ResponseInitChain{AppHash: a.store.WorkingHash()}, nil
}

// distributeFees pays the block's fees out of the fee collector to its
// proposer and the validators that signed the previous block (billing's
// rule). A block without a proposer (tests driving the app directly)
// leaves them where they are.
func (a *App) distributeFees(kv state.KV, req *abci.RequestFinalizeBlock) error {
	if len(req.ProposerAddress) != address.Len {
		return nil
	}
	proposer, _ := address.FromBytes(req.ProposerAddress)
	var vals []billing.Validator
	for _, v := range req.DecidedLastCommit.Votes {
		if v.BlockIdFlag != cmtproto.BlockIDFlagCommit || len(v.Validator.Address) != address.Len {
			continue
		}
		va, _ := address.FromBytes(v.Validator.Address)
		vals = append(vals, billing.Validator{Address: va, Power: v.Validator.Power})
	}
	_, err := a.billing.Distribute(kv, FeeCollector, proposer, vals)
	return err
}

// ante is the mempool's admission check (CheckTx): admit with the tx's
// own gas limit, then it holds the maximum fee (gas_limit × gas_price) on
// the check state, so that the sender's next tx is checked against what
// is left. Delivery never moves the maximum fee: see execute.
func ante(kv state.KV, ci *chainInfo, t *tx.Tx) error {
	maxFee, err := admit(kv, ci, t, t.Body.GasLimit, t.Body.GasLimit)
	if err != nil {
		return err
	}
	if err := ci.bank.Ledger(kv).Transfer(t.Sender(), FeeCollector, ci.native, maxFee); err != nil {
		return fmt.Errorf("%w: fee up to %s %s: %v", ErrInsufficientFee, maxFee, ci.native, err)
	}
	return nil
}

// admit checks what can be checked without running calls, for a tx run
// with gasLimit: chain id, gas price, intrinsic ≤ gasLimit ≤ max_gas_per_tx,
// the nonce, and that the sender's native balance covers payFor ×
// gas_price (payFor is gasLimit, except in the first pass of Simulate).
// On success it bumps the nonce and returns gasLimit × gas_price. It moves
// no coin: the fee is taken after the calls (execute), so what the calls
// see, and therefore the gas they use, cannot depend on the gas limit.
func admit(kv state.KV, ci *chainInfo, t *tx.Tx, gasLimit, payFor uint64) (codec.U128, error) {
	b := &t.Body
	p := &ci.params
	if b.ChainID != ci.chainID {
		return codec.U128{}, fmt.Errorf("%w: tx is for %q, this chain is %q", ErrWrongChain, b.ChainID, ci.chainID)
	}
	if b.GasPrice.Cmp(p.MinGasPrice) < 0 {
		return codec.U128{}, fmt.Errorf("%w: %s < %s", ErrGasPriceTooLow, b.GasPrice, p.MinGasPrice)
	}
	intrinsic := IntrinsicGas(&p.Costs, len(t.Bytes()))
	if gasLimit < intrinsic || gasLimit > p.MaxGasPerTx {
		return codec.U128{}, fmt.Errorf("%w: gas limit %d, need at least %d (intrinsic) and at most %d", ErrGasLimit, gasLimit, intrinsic, p.MaxGasPerTx)
	}
	sender := t.Sender()
	nonce, err := Nonce(kv, sender)
	if err != nil {
		return codec.U128{}, err
	}
	if b.Nonce != nonce {
		return codec.U128{}, fmt.Errorf("%w: account %s expects nonce %d, tx has %d", ErrBadNonce, sender, nonce, b.Nonce)
	}
	maxFee, err := b.GasPrice.Mul64(gasLimit)
	if err != nil {
		return codec.U128{}, fmt.Errorf("%w: gas_limit × gas_price: %v", ErrInsufficientFee, err)
	}
	need, _ := b.GasPrice.Mul64(payFor) // payFor ≤ gasLimit
	bal, err := ci.bank.Ledger(kv).Balance(sender, ci.native)
	if err != nil {
		return codec.U128{}, err
	}
	if bal.Cmp(need) < 0 {
		return codec.U128{}, fmt.Errorf("%w: fee up to %s %s: %s has %s", ErrInsufficientFee, need, ci.native, sender, bal)
	}
	return maxFee, setNonce(kv, sender, nonce+1)
}

// IntrinsicGas is what every tx pays before its first call: a base, its
// bytes and one signature check. It depends only on the tx's length, so an
// estimate made with a placeholder signature is exact.
func IntrinsicGas(c *gas.Costs, txLen int) uint64 {
	return c.TxBase + c.TxByte*uint64(txLen) + c.SigVerify
}

// Nonce returns the next nonce an account must use.
func Nonce(kv state.KV, a address.Address) (uint64, error) {
	b, err := kv.Get(accountKey(a))
	if err != nil || b == nil {
		return 0, err
	}
	if len(b) != 8 {
		return 0, fmt.Errorf("account %s: corrupt nonce record", a)
	}
	return binary.LittleEndian.Uint64(b), nil
}

func setNonce(kv state.KV, a address.Address, n uint64) error {
	return kv.Set(accountKey(a), binary.LittleEndian.AppendUint64(nil, n))
}

// Outcome is what executing one tx produced.
type Outcome struct {
	GasUsed uint64
	Results [][]byte // one per call, when all succeeded
	Events  []router.Event
	Err     error
	// Net storage deposit the tx locks, or returns (Simulate only).
	DepositLocked, DepositReturned codec.U128
}

// execute runs an admitted tx on kv with gasLimit: its calls on a cache,
// then the fee, gas_used × gas_price, from the sender. The fee comes from
// what the calls left; if they left too little, their writes are
// discarded and the fee comes from the state before them, which admit
// checked covers gasLimit × gas_price. Nothing the calls see depends on
// gasLimit (no fee is held while they run), so a tx run with any limit
// at or above the gas it uses uses the same gas: the estimate is exact.
// The fee stays with the fee collector whatever the calls did. ctx stops
// the WASM of a simulation; blocks pass context.Background().
func execute(ctx context.Context, r *router.Router, ci *chainInfo, kv state.KV, t *tx.Tx, gasLimit uint64, block router.Block) Outcome {
	b := &t.Body
	meter := gas.NewMeter(gasLimit)
	_ = meter.Consume(IntrinsicGas(r.Costs(), len(t.Bytes())), "intrinsic") // admit checked it fits
	env := &router.Env{Block: block, Origin: t.Sender(), Gas: meter, Ctx: ctx}
	calls := state.NewCache(kv)
	var out Outcome
	for i, c := range b.Calls {
		funds := make([]router.Coin, len(c.Funds))
		for j, f := range c.Funds {
			funds[j] = router.Coin{Token: f.Token, Amount: f.Amount}
		}
		res, err := r.Call(env, calls, t.Sender(), c.Contract, c.Method, c.Args, funds)
		if err != nil {
			out.Err = fmt.Errorf("call %d: %w", i, err)
			break
		}
		out.Results = append(out.Results, res)
	}
	out.GasUsed = meter.Used()
	fee, _ := b.GasPrice.Mul64(out.GasUsed) // ≤ gasLimit × gas_price, which admit computed
	payFee := func(kv state.KV) error {
		if fee.IsZero() {
			return nil
		}
		if err := ci.bank.Ledger(kv).Transfer(t.Sender(), FeeCollector, ci.native, fee); err != nil {
			return fmt.Errorf("%w: fee %s %s: %v", ErrInsufficientFee, fee, ci.native, err)
		}
		return nil
	}
	if out.Err == nil {
		if err := payFee(calls); err != nil {
			out.Err = fmt.Errorf("after the calls: %w", err)
		}
	}
	if out.Err == nil {
		if err := calls.Write(); err != nil {
			out.Err = fmt.Errorf("write state: %w", err)
		}
	}
	if out.Err != nil {
		calls.Discard()
		out.Results = nil
		if err := payFee(kv); err != nil {
			out.Err = fmt.Errorf("%v; %w", out.Err, err)
		}
	} else {
		out.Events = env.Events
	}
	if err := ci.bill.RecordFee(kv, t.Sender(), fee, out.GasUsed); err != nil && out.Err == nil {
		out.Err = fmt.Errorf("bill: %w", err)
	}
	return out
}

// FinalizeBlock executes a decided block on the working tree.
func (a *App) FinalizeBlock(_ context.Context, req *abci.RequestFinalizeBlock) (*abci.ResponseFinalizeBlock, error) {
	start := time.Now()
	ci, r := a.chainInfo()
	a.block = router.Block{Height: req.Height, Time: req.Time, ChainID: ci.chainID}
	decoded, errs := a.decodeBlock(req.Txs, ci.params.MaxTxBytes)
	kv := a.store.Working()
	results := make([]*abci.ExecTxResult, len(req.Txs))
	var gasUsed uint64
	for i := range req.Txs {
		res, err := a.deliver(r, &ci, kv, decoded[i], errs[i])
		if err != nil { // a broken store: halting beats diverging
			return nil, fmt.Errorf("height %d tx %d: %w", req.Height, i, err)
		}
		gasUsed += uint64(res.GasUsed)
		results[i] = res
	}
	if err := a.distributeFees(kv, req); err != nil {
		return nil, fmt.Errorf("height %d: distribute fees: %w", req.Height, err)
	}
	var proposer address.Address
	if len(req.ProposerAddress) == address.Len {
		proposer, _ = address.FromBytes(req.ProposerAddress)
	}
	updates, err := a.staking.EndBlock(kv, req.Height, proposer)
	if err != nil {
		return nil, fmt.Errorf("height %d: staking: %w", req.Height, err)
	}
	var valUpdates []abci.ValidatorUpdate
	for _, u := range updates {
		valUpdates = append(valUpdates, abci.Ed25519ValidatorUpdate(u.PubKey, u.Power))
	}
	hash := a.store.WorkingHash()
	a.blockTxs, a.blockGas = len(req.Txs), gasUsed
	a.opts.Metrics.blockDone(time.Since(start), len(req.Txs), gasUsed)
	return &abci.ResponseFinalizeBlock{TxResults: results, AppHash: hash, ValidatorUpdates: valUpdates}, nil
}

// deliver executes one tx of a block. A tx that fails is a result, not an
// error; the error return is for a store that cannot be written.
func (a *App) deliver(r *router.Router, ci *chainInfo, kv state.KV, t *tx.Tx, decodeErr error) (*abci.ExecTxResult, error) {
	if decodeErr != nil {
		a.opts.Metrics.txDone(false)
		return &abci.ExecTxResult{Code: CodeOf(decodeErr), Codespace: Codespace, Log: decodeErr.Error()}, nil
	}
	txc := state.NewCache(kv)
	if _, err := admit(txc, ci, t, t.Body.GasLimit, t.Body.GasLimit); err != nil {
		a.opts.Metrics.txDone(false)
		return &abci.ExecTxResult{Code: CodeOf(err), Codespace: Codespace, Log: err.Error()}, nil
	}
	// Background never ends: nothing node-local may cut a block's tx short.
	out := execute(context.Background(), r, ci, txc, t, t.Body.GasLimit, a.block)
	if err := txc.Write(); err != nil {
		return nil, fmt.Errorf("write tx %x: %w", t.Hash(), err)
	}
	res := &abci.ExecTxResult{
		GasWanted: int64(t.Body.GasLimit),
		GasUsed:   int64(out.GasUsed),
		Events:    abciEvents(r, kv, t, out.Events),
	}
	if out.Err != nil {
		res.Code, res.Codespace, res.Log = CodeOf(out.Err), Codespace, out.Err.Error()
	} else {
		res.Data = EncodeResults(out.Results)
	}
	a.opts.Metrics.txDone(out.Err == nil)
	return res, nil
}

// EncodeResults encodes call results as list<bytes>, the Data of a tx result.
func EncodeResults(results [][]byte) []byte {
	w := codec.NewWriter(0)
	w.Len(len(results))
	for _, r := range results {
		w.Blob(r)
	}
	return w.Bytes()
}

// DecodeResults is the inverse of EncodeResults.
func DecodeResults(b []byte) ([][]byte, error) {
	if len(b) == 0 {
		return nil, nil
	}
	r := codec.NewReader(b)
	n := r.Len(4)
	out := make([][]byte, 0, n)
	for i := 0; i < n && r.Err() == nil; i++ {
		out = append(out, r.Blob())
	}
	return out, r.Finish()
}

// Commit saves the working tree as the next version and resets the
// CheckTx view onto it.
func (a *App) Commit(context.Context, *abci.RequestCommit) (*abci.ResponseCommit, error) {
	hash, version, err := a.store.Commit()
	if err != nil {
		return nil, fmt.Errorf("commit height %d: %w", a.block.Height, err)
	}
	a.lastTime.Store(a.block.Time.UnixNano())
	a.log.Info("committed block", "height", version, "txs", a.blockTxs, "gas", a.blockGas, "app_hash", fmt.Sprintf("%X", hash))
	if err := a.resetCheck(); err != nil {
		return nil, err
	}
	if keep := a.opts.KeepVersions; keep > 0 && version > keep {
		if err := a.store.Prune(keep); err != nil {
			a.log.Error("prune", "err", err)
		}
	}
	return &abci.ResponseCommit{}, nil
}
