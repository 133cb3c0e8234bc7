package chainspec

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/vsys/vsys/app/genesis"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/keys"
	"github.com/vsys/vsys/node"
	"github.com/vsys/vsys/node/config"
)

// FileName is the record Create writes in the chain's directory.
const FileName = "chain.json"

// Result says what Create made.
type Result struct {
	Name      string             `json:"name"`
	ChainID   string             `json:"chain_id"`
	Dir       string             `json:"dir"`
	Modules   []string           `json:"modules"`
	Consensus string             `json:"consensus"`
	Nodes     []node.TestnetNode `json:"nodes"` // Home is under Dir
}

// Record is chain.json: the spec with its defaults filled, and the result.
type Record struct {
	Spec   Spec   `json:"spec"`
	Result Result `json:"result"`
}

// Create writes the chain spec describes into dir, which must not exist
// (its parent is created). Nothing is left behind when it fails.
func Create(dir string, spec Spec) (Result, error) {
	s, err := spec.withDefaults()
	if err != nil {
		return Result{}, err
	}
	gs, accounts, err := s.genesis()
	if err != nil {
		return Result{}, err
	}
	dev, err := codec.ParseU128(s.DevBalance)
	if err != nil {
		return Result{}, fmt.Errorf("%w: dev balance %q: %v", ErrSpec, s.DevBalance, err)
	}
	if dir, err = filepath.Abs(dir); err != nil {
		return Result{}, err
	}
	if _, err := os.Lstat(dir); err == nil {
		return Result{}, fmt.Errorf("%w: %s", ErrExists, dir)
	} else if !errors.Is(err, os.ErrNotExist) {
		return Result{}, fmt.Errorf("create chain %s: %w", s.Name, err)
	}
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return Result{}, fmt.Errorf("create chain %s: %w", s.Name, err)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".creating-")
	if err != nil {
		return Result{}, fmt.Errorf("create chain %s: %w", s.Name, err)
	}
	done := false
	defer func() {
		if !done {
			_ = os.RemoveAll(tmp)
		}
	}()

	o := node.TestnetOptions{
		ChainID: s.ChainID, Validators: s.Validators, BlockInterval: s.BlockInterval,
		DevBalance: dev, Accounts: accounts, Genesis: &gs, Addrs: s.Nodes, App: s.appConfig(),
	}
	if o.Addrs == nil {
		if o.BasePort, err = node.FreeBasePort(s.Validators); err != nil {
			return Result{}, fmt.Errorf("create chain %s: %w", s.Name, err)
		}
	}
	nodes, err := node.InitTestnet(tmp, o)
	if err != nil {
		if errors.Is(err, genesis.ErrInvalid) {
			err = fmt.Errorf("%w: %w", ErrSpec, err)
		}
		return Result{}, fmt.Errorf("create chain %s: %w", s.Name, err)
	}
	for i := range nodes {
		// The dev key is in the test keyring: make it the CLI's default
		// there, as `vsysd init` does, so `--from dev` works as it is.
		if err := config.SaveClient(nodes[i].Home, config.Client{KeyringBackend: string(keys.BackendTest)}); err != nil {
			return Result{}, fmt.Errorf("create chain %s: %w", s.Name, err)
		}
		nodes[i].Home = filepath.Join(dir, strings.TrimPrefix(nodes[i].Home, tmp+string(filepath.Separator)))
	}
	res := Result{Name: s.Name, ChainID: s.ChainID, Dir: dir, Modules: gs.EnabledModules(), Consensus: s.Consensus, Nodes: nodes}
	b, err := json.MarshalIndent(Record{Spec: s, Result: res}, "", "  ")
	if err != nil {
		return Result{}, err
	}
	if err := os.WriteFile(filepath.Join(tmp, FileName), append(b, '\n'), 0o644); err != nil {
		return Result{}, fmt.Errorf("create chain %s: %w", s.Name, err)
	}
	// The rename is the commit: before it there is no dir, after it a whole
	// chain. (A directory made at dir meanwhile makes it fail, not merge.)
	if err := os.Rename(tmp, dir); err != nil {
		return Result{}, fmt.Errorf("create chain %s: %w", s.Name, err)
	}
	done = true
	return res, nil
}

// genesis is the chain's genesis state (no accounts) and its accounts.
func (s Spec) genesis() (genesis.State, []genesis.Account, error) {
	gs := genesis.Default()
	gs.Modules = s.Modules
	gs.Params.Staking.Mode = s.Consensus
	if err := SetParams(&gs.Params, s.Params); err != nil {
		return gs, nil, err
	}
	if err := gs.Validate(); err != nil {
		return gs, nil, fmt.Errorf("%w: %w", ErrSpec, err)
	}
	var accounts []genesis.Account
	for _, a := range s.Accounts {
		addr, amt, err := parseAccount(a)
		if err != nil {
			return gs, nil, err
		}
		accounts = append(accounts, genesis.Account{Address: addr, Balance: amt})
	}
	return gs, accounts, nil
}

// appConfig is every node's app.toml before its addresses.
func (s Spec) appConfig() config.App {
	c := config.Default()
	c.Consensus.CreateEmptyBlocks = s.EmptyBlocks
	c.Consensus.CreateEmptyBlocksInterval = s.Heartbeat
	if s.EmptyBlocks {
		// CometBFT waits for a tx up to create_empty_blocks_interval
		// whenever it is set, empty blocks on or not: a heartbeat would
		// turn "a block every interval" into one every heartbeat.
		c.Consensus.CreateEmptyBlocksInterval = "0s"
	}
	return c
}
