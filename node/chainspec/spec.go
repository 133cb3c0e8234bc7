package chainspec

import (
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/modules/staking"
	"github.com/vsys/vsys/node"
)

// Sentinels of Create's errors.
var (
	ErrName   = errors.New("invalid chain name")
	ErrExists = errors.New("chain directory exists")
	ErrSpec   = errors.New("invalid chain spec")
)

// Defaults of a Spec's empty fields.
const (
	DefaultValidators    = 1
	DefaultBlockInterval = "1s"
	// DefaultHeartbeat is the longest an idle chain goes without a block:
	// it makes blocks for txs only, so a hundred idle chains cost a
	// hundred heartbeats, not a hundred blocks a second.
	DefaultHeartbeat = "30s"
	// DefaultDevBalance is what each validator home's dev key gets.
	DefaultDevBalance = "1000000000000000000"
	// MaxNameLen is a DNS label's length: the name becomes host names,
	// paths and Kubernetes object names.
	MaxNameLen = 63
)

// Spec says what chain to create. Its zero fields take the defaults above;
// tags name the fields of a template file (TOML or JSON).
type Spec struct {
	Name    string `json:"name" toml:"name"`
	ChainID string `json:"chain_id,omitempty" toml:"chain_id"` // empty: Name
	// Modules are the native modules the chain runs (token, wasm, db,
	// billing, staking, interchain); empty: all. token is required.
	Modules       []string `json:"modules,omitempty" toml:"modules"`
	Consensus     string   `json:"consensus,omitempty" toml:"consensus"` // poa (default) or spos
	Validators    int      `json:"validators,omitempty" toml:"validators"`
	BlockInterval string   `json:"block_interval,omitempty" toml:"block_interval"`
	// EmptyBlocks makes a block every BlockInterval even when idle (what
	// `vsysd init` does); false makes blocks for txs only, plus an empty
	// one after Heartbeat without any ("0s": never).
	EmptyBlocks bool   `json:"empty_blocks,omitempty" toml:"empty_blocks"`
	Heartbeat   string `json:"heartbeat,omitempty" toml:"heartbeat"`
	// Accounts are genesis balances of the native coin, in its smallest
	// unit.
	Accounts []Account `json:"accounts,omitempty" toml:"accounts"`
	// DevBalance funds each validator home's "dev" key (smallest unit;
	// empty: DefaultDevBalance; "0": no funds).
	DevBalance string `json:"dev_balance,omitempty" toml:"dev_balance"`
	// Params set genesis parameters by their path in the params JSON
	// ("billing.storage_price_per_byte": "2"); params.go checks each
	// against the parameter's type.
	Params map[string]string `json:"params,omitempty" toml:"params"`
	// Nodes, when set, are each validator's listen addresses (one per
	// validator), so a caller hosting many chains assigns the ports;
	// empty: free loopback ports.
	Nodes []node.NodeAddrs `json:"nodes,omitempty" toml:"nodes"`
}

// Account is a genesis balance.
type Account struct {
	Address string `json:"address" toml:"address"` // vsys1…
	Amount  string `json:"amount" toml:"amount"`   // smallest unit, decimal
}

// nameRE: lower-case letters, digits and hyphens, starting and ending with
// a letter or digit (a DNS label), so a name is never a path.
var nameRE = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?$`)

// ValidateName checks name can name a chain.
func ValidateName(name string) error {
	switch {
	case name == "":
		return fmt.Errorf("%w: the name is empty", ErrName)
	case len(name) > MaxNameLen:
		return fmt.Errorf("%w: %d characters, at most %d", ErrName, len(name), MaxNameLen)
	case !nameRE.MatchString(name):
		return fmt.Errorf("%w %q: use lower-case letters, digits and '-' (not first or last); no dots or slashes", ErrName, name)
	}
	return nil
}

// withDefaults checks s and fills its empty fields.
func (s Spec) withDefaults() (Spec, error) {
	if err := ValidateName(s.Name); err != nil {
		return s, err
	}
	if s.ChainID == "" {
		s.ChainID = s.Name
	}
	if s.Consensus == "" {
		s.Consensus = staking.ModePoA
	}
	if s.Consensus != staking.ModePoA && s.Consensus != staking.ModeSPoS {
		return s, fmt.Errorf("%w: consensus %q, want %q or %q", ErrSpec, s.Consensus, staking.ModePoA, staking.ModeSPoS)
	}
	if s.Validators == 0 {
		s.Validators = DefaultValidators
	}
	if s.Validators < 1 {
		return s, fmt.Errorf("%w: %d validators, want at least 1", ErrSpec, s.Validators)
	}
	if s.Nodes != nil && len(s.Nodes) != s.Validators {
		return s, fmt.Errorf("%w: %d node address sets for %d validators", ErrSpec, len(s.Nodes), s.Validators)
	}
	if s.BlockInterval == "" {
		s.BlockInterval = DefaultBlockInterval
	}
	if s.Heartbeat == "" {
		s.Heartbeat = DefaultHeartbeat
	}
	for _, f := range []struct{ name, v string }{{"block interval", s.BlockInterval}, {"heartbeat", s.Heartbeat}} {
		if d, err := time.ParseDuration(f.v); err != nil || d < 0 {
			return s, fmt.Errorf("%w: %s %q: want a duration such as \"1s\"", ErrSpec, f.name, f.v)
		}
	}
	if s.DevBalance == "" {
		s.DevBalance = DefaultDevBalance
	}
	return s, nil
}

// parseAccount reads one genesis balance.
func parseAccount(a Account) (address.Address, codec.U128, error) {
	addr, err := address.Parse(a.Address)
	if err != nil {
		return addr, codec.U128{}, fmt.Errorf("%w: account %q: %v", ErrSpec, a.Address, err)
	}
	amt, err := codec.ParseU128(a.Amount)
	if err != nil {
		return addr, amt, fmt.Errorf("%w: account %s amount %q: want an integer in the smallest unit: %v", ErrSpec, a.Address, a.Amount, err)
	}
	return addr, amt, nil
}
