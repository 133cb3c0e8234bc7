package app

import (
	"fmt"

	"github.com/vsys/vsys/app/genesis"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/core/state"
	"github.com/vsys/vsys/modules/billing"
	"github.com/vsys/vsys/modules/staking"
	"github.com/vsys/vsys/modules/token"
)

// Genesis: what InitChain writes, and what the app reads back of it when
// it starts on a store that has state.

// Keys of the app's own records in the tree. Contracts live under 'c'.
var (
	keyParams  = []byte("pparams")
	keyChainID = []byte("pchain_id")
	keyNative  = []byte("pnative")
	// keyModules holds the enabled modules, only when they are not all of
	// them: a default chain's tree, hence its app hash, is unchanged.
	keyModules = []byte("pmodules")
)

// chainInfo is what genesis fixes. It is written once, at InitChain or at
// load, and read by RPC goroutines, hence the lock.
type chainInfo struct {
	chainID string
	native  string
	params  genesis.Params
	modules []string // enabled, in id order (genesis.State.EnabledModules)
	// bank and bill, wired once by newRouter, are the app's only way to
	// balances (fees, queries) and to bills (each tx's fee).
	bank router.Bank
	bill *billing.Module
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
	b, err := kv.Get(keyModules)
	switch {
	case err != nil:
		return ci, err
	case b == nil:
		ci.modules = genesis.AllModules()
	default:
		if err := codec.Unmarshal(b, &ci.modules); err != nil {
			return ci, fmt.Errorf("decode %q: %w", keyModules, err)
		}
	}
	return ci, nil
}

// initChain writes the genesis state (appState, CometBFT's app_state) and
// the validators into the working tree, installs the chain's params, and
// returns the working hash; block 1 commits it.
func (a *App) initChain(chainID string, appState []byte, vals []staking.GenesisValidator, initialHeight int64) ([]byte, error) {
	gs, err := genesis.Parse(appState)
	if err != nil {
		return nil, err
	}
	ci := chainInfo{chainID: chainID, native: gs.NativeToken.Symbol, params: gs.Params, modules: gs.EnabledModules()}
	kv := a.store.Working()
	records := []struct {
		key []byte
		v   any
	}{{keyParams, gs.Params}, {keyChainID, chainID}, {keyNative, gs.NativeToken.Symbol}}
	if !gs.AllEnabled() {
		records = append(records, struct {
			key []byte
			v   any
		}{keyModules, ci.modules})
	}
	for _, f := range records {
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
	a.log.Info("genesis loaded", "chain_id", chainID, "accounts", len(gs.Accounts), "modules", ci.modules)
	if err := a.staking.InitGenesis(kv, vals, initialHeight); err != nil {
		return nil, fmt.Errorf("genesis validators: %w", err)
	}
	return a.store.WorkingHash(), nil
}
