package multihost

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	cmtcfg "github.com/cometbft/cometbft/config"
	"github.com/cometbft/cometbft/p2p"

	"github.com/vsys/vsys/node"
	"github.com/vsys/vsys/node/config"
)

// Sentinel errors of Load.
var (
	// ErrNoChain is a directory without a node0 home.
	ErrNoChain = errors.New("no chain homes (node0, node1, ...)")
	// ErrGenesisMismatch is two homes of one chain with different genesis files.
	ErrGenesisMismatch = errors.New("homes disagree on genesis")
)

// Home is one validator's home of a chain directory, as Load read it.
type Home struct {
	Dir     string
	Moniker string
	NodeID  string
	Comet   *cmtcfg.Config // config/config.toml over CometBFT's defaults
	App     config.App     // config/app.toml
	Genesis []byte         // config/genesis.json, the same in every home
	// NodeKey and ValidatorKey are the home's secrets: config/node_key.json
	// (its P2P identity) and config/priv_validator_key.json (its
	// consensus key).
	NodeKey      []byte
	ValidatorKey []byte
}

// Load reads the homes dir/node0, dir/node1, ... that Write or `vsysd
// testnet` made, in order, and checks that they share one genesis.
func Load(dir string) ([]Home, error) {
	var homes []Home
	for i := 0; ; i++ {
		d := filepath.Join(dir, fmt.Sprintf("node%d", i))
		if _, err := os.Stat(filepath.Join(d, "config", "genesis.json")); errors.Is(err, os.ErrNotExist) {
			break
		}
		h, err := loadHome(d)
		if err != nil {
			return nil, fmt.Errorf("load %s: %w", d, err)
		}
		if len(homes) > 0 && !bytes.Equal(h.Genesis, homes[0].Genesis) {
			return nil, fmt.Errorf("%w: %s and %s", ErrGenesisMismatch, homes[0].Dir, d)
		}
		homes = append(homes, h)
	}
	if len(homes) == 0 {
		return nil, fmt.Errorf("%w in %s", ErrNoChain, dir)
	}
	return homes, nil
}

func loadHome(dir string) (Home, error) {
	h := Home{Dir: dir}
	var err error
	if h.Comet, err = node.LoadCometConfig(dir); err != nil {
		return h, err
	}
	if h.App, err = config.Load(dir); err != nil {
		return h, err
	}
	h.Moniker = h.Comet.Moniker
	key, err := p2p.LoadNodeKey(h.Comet.NodeKeyFile())
	if err != nil {
		return h, fmt.Errorf("node key: %w", err)
	}
	h.NodeID = string(key.ID())
	for _, f := range []struct {
		path string
		dst  *[]byte
	}{
		{h.Comet.GenesisFile(), &h.Genesis},
		{h.Comet.NodeKeyFile(), &h.NodeKey},
		{h.Comet.PrivValidatorKeyFile(), &h.ValidatorKey},
	} {
		if *f.dst, err = os.ReadFile(f.path); err != nil {
			return h, fmt.Errorf("read: %w", err)
		}
	}
	return h, nil
}
