package node

import (
	"encoding/json"
	"fmt"
	"net"
	"path/filepath"
	"strings"
	"time"

	cmtcfg "github.com/cometbft/cometbft/config"
	"github.com/cometbft/cometbft/p2p"
	"github.com/cometbft/cometbft/types"

	"github.com/vsys/vsys/app/genesis"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/node/config"
)

// TestnetOptions configure InitTestnet.
type TestnetOptions struct {
	ChainID       string
	Validators    int
	BasePort      int    // node i uses BasePort+10*i .. +4 (p2p, CometBFT RPC, JSON-RPC, metrics, pprof)
	BlockInterval string // e.g. "1s"
	DevBalance    codec.U128
	Accounts      []genesis.Account // more funded accounts (load tests)
	Genesis       *genesis.State    // nil: genesis.Default(); its accounts must be empty (use Accounts)
	// App is every node's app.toml before its addresses and BlockInterval
	// are set; the zero value: config.Default().
	App config.App
	// Addrs, when set (one per validator; with Validators 0, their
	// number), are the nodes' addresses instead of BasePort's scheme; a
	// node without Metrics serves none. A set with External places the
	// node on a host others dial there (node/multihost).
	Addrs []NodeAddrs
	// Progress, when set, is called after each home is written, with
	// the number written so far and the total (a CLI's progress bar).
	Progress func(done, total int)
}

// NodeAddrs are one node's listen addresses, host:port, and where peers
// dial it.
type NodeAddrs struct {
	RPC      string `json:"rpc" toml:"rpc"`             // JSON-RPC
	P2P      string `json:"p2p" toml:"p2p"`             // CometBFT peers
	CometRPC string `json:"comet_rpc" toml:"comet_rpc"` // CometBFT's RPC (light clients, /health)
	Metrics  string `json:"metrics,omitempty" toml:"metrics"`
	// External is where peers dial the node (p2p.external_address, and
	// the others' persistent_peers); empty: P2P, not advertised.
	External string `json:"external,omitempty" toml:"external"`
}

// loopbackAddrs is InitTestnet's default layout: node i on
// 127.0.0.1:base+10i and the next three ports.
func loopbackAddrs(base, i int) NodeAddrs {
	port := base + 10*i
	at := func(p int) string { return fmt.Sprintf("127.0.0.1:%d", p) }
	return NodeAddrs{P2P: at(port), CometRPC: at(port + 1), RPC: at(port + 2), Metrics: at(port + 3)}
}

// TestnetNode is one home InitTestnet wrote.
type TestnetNode struct {
	Home      string
	Moniker   string
	RPCAddr   string // JSON-RPC
	P2PAddr   string // where P2P listens
	External  string // where peers dial it
	CometRPC  string
	Metrics   string
	NodeID    string
	Validator string // consensus address (hex)
}

// InitTestnet writes a network of n validators under dir, one home per
// validator (dir/node0, dir/node1, ...), with one shared genesis (every
// validator at power 10, every node's dev account funded), distinct
// loopback ports (or o.Addrs), and each node listing every other as a
// persistent peer.
func InitTestnet(dir string, o TestnetOptions) ([]TestnetNode, error) {
	if o.Addrs != nil && o.Validators == 0 {
		o.Validators = len(o.Addrs)
	}
	if o.Validators < 1 {
		return nil, fmt.Errorf("testnet: want at least 1 validator, got %d", o.Validators)
	}
	if o.BasePort == 0 {
		o.BasePort = 27000
	}
	if o.BlockInterval == "" {
		o.BlockInterval = "1s"
	}
	if o.Addrs != nil && len(o.Addrs) != o.Validators {
		return nil, fmt.Errorf("testnet: %d address sets for %d validators", len(o.Addrs), o.Validators)
	}
	if o.App == (config.App{}) {
		o.App = config.Default()
	}
	if o.Genesis != nil && len(o.Genesis.Accounts) > 0 {
		// Every home's genesis would carry them and the merge list them twice.
		return nil, fmt.Errorf("testnet: genesis accounts go in TestnetOptions.Accounts")
	}
	nodes := make([]TestnetNode, o.Validators)
	var docs []*types.GenesisDoc
	for i := range nodes {
		a := loopbackAddrs(o.BasePort, i)
		if o.Addrs != nil {
			a = o.Addrs[i]
		}
		if a.External == "" {
			a.External = a.P2P
		}
		n := TestnetNode{
			Home: filepath.Join(dir, fmt.Sprintf("node%d", i)), Moniker: fmt.Sprintf("node%d", i),
			P2PAddr: a.P2P, External: a.External, CometRPC: a.CometRPC, RPCAddr: a.RPC, Metrics: a.Metrics,
		}
		ac := o.App
		ac.RPC.Address = n.RPCAddr
		ac.Metrics.Address = n.Metrics
		ac.Metrics.Enabled = ac.Metrics.Enabled && n.Metrics != ""
		ac.Consensus.BlockInterval = o.BlockInterval
		res, err := Init(n.Home, InitOptions{ChainID: o.ChainID, Moniker: n.Moniker, DevBalance: o.DevBalance, App: ac,
			Genesis: o.Genesis, CometRPCAddr: "tcp://" + n.CometRPC, P2PAddr: "tcp://" + n.P2PAddr})
		if err != nil {
			return nil, fmt.Errorf("testnet node %d: %w", i, err)
		}
		n.Validator = res.Validator
		key, err := p2p.LoadNodeKey(filepath.Join(n.Home, "config", "node_key.json"))
		if err != nil {
			return nil, err
		}
		n.NodeID = string(key.ID())
		doc, err := types.GenesisDocFromFile(filepath.Join(n.Home, "config", "genesis.json"))
		if err != nil {
			return nil, err
		}
		docs = append(docs, doc)
		nodes[i] = n
		if o.Progress != nil {
			o.Progress(i+1, len(nodes))
		}
	}

	// One genesis: node0's, with every validator and every dev account.
	shared := *docs[0]
	var gs genesis.State
	if err := json.Unmarshal(shared.AppState, &gs); err != nil {
		return nil, err
	}
	shared.Validators = nil
	for i, d := range docs {
		shared.Validators = append(shared.Validators, d.Validators...)
		if i == 0 {
			continue
		}
		var other genesis.State
		if err := json.Unmarshal(d.AppState, &other); err != nil {
			return nil, err
		}
		gs.Accounts = append(gs.Accounts, other.Accounts...)
	}
	gs.Accounts = append(gs.Accounts, o.Accounts...)
	if err := gs.Validate(); err != nil {
		return nil, err
	}
	var err error
	if shared.AppState, err = json.MarshalIndent(gs, "", "  "); err != nil {
		return nil, err
	}
	if err := shared.ValidateAndComplete(); err != nil {
		return nil, err
	}
	sharedIP := sharesHost(nodes)
	for i, n := range nodes {
		if err := shared.SaveAs(filepath.Join(n.Home, "config", "genesis.json")); err != nil {
			return nil, err
		}
		cfg, err := LoadCometConfig(n.Home)
		if err != nil {
			return nil, err
		}
		var peers []string
		for j, p := range nodes {
			if j != i {
				peers = append(peers, p.NodeID+"@"+p.External)
			}
		}
		cfg.P2P.PersistentPeers = strings.Join(peers, ",")
		if o.Addrs != nil && o.Addrs[i].External != "" { // placed on a host: advertise where peers dial
			cfg.P2P.ExternalAddress = "tcp://" + n.External
		}
		// CometBFT refuses a second peer from one IP unless allowed: a
		// loopback testnet needs it, validators on distinct hosts do not.
		cfg.P2P.AllowDuplicateIP = sharedIP
		cfg.P2P.AddrBookStrict = false
		cfg.P2P.PexReactor = false
		// A dead proposer costs a round: keep it short on a local network.
		cfg.Consensus.TimeoutPropose = time.Second
		cfg.Consensus.TimeoutPrevote = 500 * time.Millisecond
		cfg.Consensus.TimeoutPrecommit = 500 * time.Millisecond
		cmtcfg.WriteConfigFile(filepath.Join(n.Home, "config", "config.toml"), cfg)
	}
	return nodes, nil
}

// sharesHost reports whether two nodes are dialled at the same host.
func sharesHost(nodes []TestnetNode) bool {
	seen := map[string]bool{}
	for _, n := range nodes {
		host, _, err := net.SplitHostPort(n.External)
		if err != nil {
			host = n.External
		}
		if seen[host] {
			return true
		}
		seen[host] = true
	}
	return false
}

// FreeBasePort finds a base port with 10·n free loopback ports above it,
// for a testnet of n nodes (tests and the load generator).
func FreeBasePort(n int) (int, error) {
	for attempt := 0; attempt < 50; attempt++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return 0, err
		}
		base := l.Addr().(*net.TCPAddr).Port
		l.Close()
		if base+10*n > 65000 {
			continue
		}
		ok := true
		for p := base; p < base+10*n && ok; p++ {
			l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p))
			if err != nil {
				ok = false
				break
			}
			l.Close()
		}
		if ok {
			return base, nil
		}
	}
	return 0, fmt.Errorf("no free port range for %d nodes", n)
}
