package genesis

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/gas"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/modules/billing"
	"github.com/vsys/vsys/modules/staking"
	"github.com/vsys/vsys/vm/wasm"
)

// ErrInvalid is wrapped by every validation error.
var ErrInvalid = errors.New("invalid genesis")

// Params are the chain parameters: part of state, hence of the app hash,
// and the same on every node. Node-local settings live in app.toml.
type Params struct {
	Costs         gas.Costs      `json:"costs"`
	MinGasPrice   codec.U128     `json:"min_gas_price"`   // in the native coin's smallest unit
	MaxTxBytes    uint32         `json:"max_tx_bytes"`    // encoded tx
	MaxGasPerTx   uint64         `json:"max_gas_per_tx"`  // gas_limit ceiling
	MaxBlockBytes uint64         `json:"max_block_bytes"` // a block's txs, as CometBFT sizes them (docs/transactions.md)
	MaxBlockGas   uint64         `json:"max_block_gas"`   // sum of a block's tx gas limits
	MaxCallDepth  uint32         `json:"max_call_depth"`  // nested contract calls
	MaxEventBytes uint32         `json:"max_event_bytes"` // data of one event
	WASM          wasm.Schedule  `json:"wasm"`            // WASM gas costs and limits
	Billing       billing.Params `json:"billing"`         // storage deposits, fee distribution, quotas
	Staking       staking.Params `json:"staking"`         // consensus: poa or spos
	// MaxCallMemoryPages bounds the wasm memory (64 KiB pages) that all
	// the instances on the call stack of one tx or query hold at once.
	MaxCallMemoryPages uint32 `json:"max_call_memory_pages"`
}

// DefaultParams are safe defaults for a new chain.
func DefaultParams() Params {
	return Params{
		Costs:         gas.DefaultCosts(),
		WASM:          wasm.DefaultSchedule(),
		Billing:       billing.DefaultParams(),
		Staking:       staking.DefaultParams(),
		MinGasPrice:   codec.NewU128(1),
		MaxTxBytes:    1 << 20,
		MaxGasPerTx:   100_000_000,
		MaxBlockBytes: 21 << 20,         // CometBFT's default block size, which the app now enforces
		MaxBlockGas:   20 * 100_000_000, // twenty txs at the per-tx ceiling
		MaxCallDepth:  100,
		MaxEventBytes: 64 << 10,

		MaxCallMemoryPages: router.DefaultMaxCallMemoryPages, // 64 MiB
	}
}

// MaxTxOverhead is what a block's encoding adds to one tx (a protobuf tag
// and a length of at most five bytes).
const MaxTxOverhead = 6

// MaxBlockBytesCeiling bounds max_block_bytes well under CometBFT's hard
// block cap (100 MB, of which the header, commit and evidence take some).
const MaxBlockBytesCeiling = 64 << 20

// NativeToken describes the chain's coin.
type NativeToken struct {
	Symbol   string `json:"symbol"`
	Name     string `json:"name"`
	Decimals uint8  `json:"decimals"`
}

// Account is an initial balance of the native coin.
type Account struct {
	Address address.Address `json:"address"`
	Balance codec.U128      `json:"balance"`
}

// State is the app_state of genesis.json.
type State struct {
	NativeToken NativeToken `json:"native_token"`
	Accounts    []Account   `json:"accounts"`
	Params      Params      `json:"params"`
	// Modules are the native modules the chain runs, by router name
	// (core/moduleid); empty: all of them (modules.go).
	Modules []string `json:"modules,omitempty"`
}

// Default returns a genesis state with the default coin and params and
// no accounts.
func Default() State {
	return State{
		NativeToken: NativeToken{Symbol: "VSYS", Name: "V Systems", Decimals: 8},
		Accounts:    []Account{},
		Params:      DefaultParams(),
	}
}

// Parse decodes and validates app_state JSON, rejecting unknown fields so
// that a typo in a parameter name is an error rather than a default.
func Parse(b []byte) (State, error) {
	var s State
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return s, fmt.Errorf("%w: app_state: %v", ErrInvalid, err)
	}
	return s, s.Validate()
}

// Validate checks the state is usable.
func (s State) Validate() error {
	seen := map[address.Address]bool{}
	var total codec.U128
	for i, a := range s.Accounts {
		if seen[a.Address] {
			return fmt.Errorf("%w: account %d (%s) listed twice", ErrInvalid, i, a.Address)
		}
		seen[a.Address] = true
		var err error
		if total, err = total.Add(a.Balance); err != nil {
			return fmt.Errorf("%w: balances up to account %d exceed the u128 supply: %v", ErrInvalid, i, err)
		}
	}
	if err := s.validateModules(); err != nil {
		return err
	}
	p := s.Params
	switch {
	case s.NativeToken.Symbol == "":
		return fmt.Errorf("%w: native_token.symbol is empty", ErrInvalid)
	case p.MaxTxBytes == 0 || p.MaxGasPerTx == 0 || p.MaxCallDepth == 0 || p.MaxEventBytes == 0 || p.MaxCallMemoryPages == 0:
		return fmt.Errorf("%w: params: limits must be positive", ErrInvalid)
	case p.MaxBlockBytes < uint64(p.MaxTxBytes)+MaxTxOverhead || p.MaxBlockBytes > MaxBlockBytesCeiling:
		// A tx at the size limit must fit an empty block, or it would wait
		// in the mempool for ever; CometBFT refuses blocks past its own cap.
		return fmt.Errorf("%w: params: max_block_bytes %d must be at least max_tx_bytes + %d and at most %d",
			ErrInvalid, p.MaxBlockBytes, MaxTxOverhead, MaxBlockBytesCeiling)
	case p.MaxBlockGas < p.MaxGasPerTx:
		return fmt.Errorf("%w: params: max_block_gas %d is below max_gas_per_tx %d", ErrInvalid, p.MaxBlockGas, p.MaxGasPerTx)
	case p.Costs.Version == 0:
		return fmt.Errorf("%w: params.costs.version must be set", ErrInvalid)
	}
	if err := p.Staking.Validate(); err != nil {
		return fmt.Errorf("%w: params.staking: %v", ErrInvalid, err)
	}
	if err := p.Billing.Validate(); err != nil {
		return fmt.Errorf("%w: params.billing: %v", ErrInvalid, err)
	}
	if err := p.WASM.Validate(); err != nil {
		return fmt.Errorf("%w: params.wasm: %v", ErrInvalid, err)
	}
	return nil
}
