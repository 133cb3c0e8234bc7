package node

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	cmtcfg "github.com/cometbft/cometbft/config"
	"github.com/cometbft/cometbft/p2p"
	"github.com/cometbft/cometbft/privval"
	"github.com/cometbft/cometbft/types"
	cmttime "github.com/cometbft/cometbft/types/time"

	"github.com/vsys/vsys/app/genesis"
	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/keys"
	"github.com/vsys/vsys/node/config"
)

// ErrInitialized is returned by Init when the home already has a genesis.
var ErrInitialized = errors.New("home already initialised")

// DevKeyName is the keyring name of the funded development account.
const DevKeyName = "dev"

// InitOptions configure a new chain home.
type InitOptions struct {
	ChainID    string
	Moniker    string
	DevBalance codec.U128        // native coin given to the dev account
	Accounts   []genesis.Account // more funded accounts (load tests)
	Genesis    *genesis.State    // nil: genesis.Default()
	App        config.App        // zero value: config.Default()
	// Addresses; empty keeps CometBFT's defaults (RPC 127.0.0.1:26657,
	// P2P 127.0.0.1:26656).
	CometRPCAddr string
	P2PAddr      string
	PprofAddr    string // Go's /debug/pprof on this address; empty: off
}

// InitResult says what Init made.
type InitResult struct {
	Home       string
	ChainID    string
	DevAddress address.Address
	Validator  string // consensus address (hex)
}

// Init writes a new single-validator chain into home.
func Init(home string, o InitOptions) (InitResult, error) {
	res := InitResult{Home: home, ChainID: o.ChainID}
	if o.ChainID == "" {
		return res, fmt.Errorf("init: chain id is required")
	}
	if o.Moniker == "" {
		o.Moniker = "vsys-node"
	}
	if o.App == (config.App{}) {
		o.App = config.Default()
	}
	cfg := cmtcfg.DefaultConfig().SetRoot(home)
	if _, err := os.Stat(cfg.GenesisFile()); err == nil {
		return res, fmt.Errorf("%w: %s exists", ErrInitialized, cfg.GenesisFile())
	}
	for _, d := range []string{filepath.Join(home, "config"), filepath.Join(home, "data")} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return res, fmt.Errorf("init: %w", err)
		}
	}
	cfg.Moniker = o.Moniker
	if o.CometRPCAddr != "" {
		cfg.RPC.ListenAddress = o.CometRPCAddr
	}
	cfg.P2P.ListenAddress = "tcp://127.0.0.1:26656"
	// vsys networks name their peers (persistent_peers, which testnet,
	// chain create and chain hosts write), so peer exchange is off: a
	// node keeps no address book routine, whose last save CometBFT's Stop
	// does not wait for (it raced the removal of a stopped node's home).
	// pex = true and seeds in config.toml turn discovery on.
	cfg.P2P.PexReactor = false
	cfg.RPC.PprofListenAddress = o.PprofAddr
	if o.P2PAddr != "" {
		cfg.P2P.ListenAddress = o.P2PAddr
	}
	if err := applyAppConfig(cfg, o.App); err != nil {
		return res, err
	}
	cmtcfg.WriteConfigFile(filepath.Join(home, "config", "config.toml"), cfg)
	if err := config.Save(home, o.App); err != nil {
		return res, fmt.Errorf("init: %w", err)
	}

	pv := privval.GenFilePV(cfg.PrivValidatorKeyFile(), cfg.PrivValidatorStateFile())
	pv.Save()
	if _, err := p2p.LoadOrGenNodeKey(cfg.NodeKeyFile()); err != nil {
		return res, fmt.Errorf("init: node key: %w", err)
	}
	res.Validator = pv.GetAddress().String()

	kr, err := keys.Open(home, keys.BackendTest, nil)
	if err != nil {
		return res, fmt.Errorf("init: keyring: %w", err)
	}
	dev, err := kr.Show(DevKeyName)
	if errors.Is(err, keys.ErrNotFound) {
		dev, err = kr.Add(DevKeyName)
	}
	if err != nil {
		return res, fmt.Errorf("init: dev key: %w", err)
	}
	res.DevAddress = dev.Address

	gs := genesis.Default()
	if o.Genesis != nil {
		gs = *o.Genesis
	}
	if !o.DevBalance.IsZero() {
		gs.Accounts = append(gs.Accounts, genesis.Account{Address: dev.Address, Balance: o.DevBalance})
	}
	gs.Accounts = append(gs.Accounts, o.Accounts...)
	if err := gs.Validate(); err != nil {
		return res, err
	}
	appState, err := json.MarshalIndent(gs, "", "  ")
	if err != nil {
		return res, err
	}
	pub, err := pv.GetPubKey()
	if err != nil {
		return res, err
	}
	doc := types.GenesisDoc{
		GenesisTime:     cmttime.Now().Truncate(time.Second),
		ChainID:         o.ChainID,
		InitialHeight:   1,
		ConsensusParams: ConsensusParams(),
		Validators:      []types.GenesisValidator{{Address: pub.Address(), PubKey: pub, Power: 10, Name: o.Moniker}},
		AppState:        appState,
	}
	if err := doc.ValidateAndComplete(); err != nil {
		return res, fmt.Errorf("init: genesis: %w", err)
	}
	if err := doc.SaveAs(cfg.GenesisFile()); err != nil {
		return res, fmt.Errorf("init: %w", err)
	}
	return res, nil
}

// ConsensusParams are CometBFT's consensus params of a new chain: its
// defaults, except block.max_bytes = -1. With a byte limit, CometBFT hands
// PrepareProposal only the first max_bytes of its mempool in arrival order,
// so txs parked ahead of their nonce at the front could fill that window
// and keep every tx behind them out of every block. With -1 it hands over
// the whole mempool and the app fills the block under its own limits
// (params max_block_bytes and max_block_gas, enforced by ProcessProposal).
// block.max_gas stays -1 for the same reason: CometBFT's reap would stop at
// the first tx over it, parked or not.
func ConsensusParams() *types.ConsensusParams {
	p := types.DefaultConsensusParams()
	p.Block.MaxBytes = -1
	p.Block.MaxGas = -1
	return p
}

// applyAppConfig carries app.toml settings that CometBFT implements into
// its config, so that app.toml is the one place an operator sets them.
func applyAppConfig(cfg *cmtcfg.Config, c config.App) error {
	interval, err := c.BlockInterval()
	if err != nil {
		return err
	}
	cfg.Consensus.TimeoutCommit = interval
	heartbeat, err := c.EmptyBlocksInterval()
	if err != nil {
		return err
	}
	cfg.Consensus.CreateEmptyBlocks = c.Consensus.CreateEmptyBlocks
	cfg.Consensus.CreateEmptyBlocksInterval = heartbeat
	cfg.Instrumentation.Prometheus = c.Metrics.Enabled
	cfg.Instrumentation.PrometheusListenAddr = c.Metrics.Address
	cfg.Instrumentation.Namespace = "cometbft"
	// A single node accepts load far beyond CometBFT's defaults (5,000 txs).
	cfg.Mempool.Size = 100_000
	cfg.Mempool.CacheSize = c.Mempool.CacheSize
	cfg.Mempool.MaxTxsBytes = 1 << 30
	// The app's count of each sender's parked txs is rebuilt by recheck
	// after every commit (app/mempool.go).
	cfg.Mempool.Recheck = true
	cfg.LogLevel = c.Log.Level
	cfg.LogFormat = c.Log.Format
	cfg.TxIndex.Indexer = "kv"
	return nil
}
