package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vsys/vsys/node"
	"github.com/vsys/vsys/node/chainspec"
	"github.com/vsys/vsys/node/multihost"
)

// chainCmd is `vsysd chain`: chains as a whole (node/chainspec does the
// work; docs/chains.md).
func chainCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "chain", Short: "Create chains of your own: modules, consensus, validators, parameters"}
	cmd.AddCommand(chainCreateCmd(), chainHostsCmd(), chainManifestsCmd())
	return cmd
}

func chainCreateCmd() *cobra.Command {
	var (
		s                  chainspec.Spec
		template, dir      string
		accounts, params   []string
		modules            []string
		flagDev, flagChain string
		basePort           int
		hosts              []string
		bindHost           bool
	)
	cmd := &cobra.Command{
		Use:   "create NAME",
		Short: "Write a new chain's validator homes (one genesis, peers wired) into --dir",
		Long: `Write a new chain: one home per validator under --dir (default ./NAME), one
genesis naming the enabled modules, parameters and accounts, the validators
peered, and blocks made only for txs (plus a --heartbeat while idle).
A --template file (TOML, or JSON by its .json name) holds the same fields;
flags override it. Start each validator with: vsysd start --home DIR/nodeI`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			spec := chainspec.Spec{}
			if template != "" {
				var err error
				if spec, err = chainspec.LoadTemplate(template); err != nil {
					return err
				}
			}
			if len(args) == 1 {
				spec.Name = args[0]
			}
			f := cmd.Flags()
			overrides := map[string]func(){
				"modules": func() { spec.Modules = modules }, "consensus": func() { spec.Consensus = s.Consensus },
				"validators": func() { spec.Validators = s.Validators }, "block-interval": func() { spec.BlockInterval = s.BlockInterval },
				"heartbeat": func() { spec.Heartbeat = s.Heartbeat }, "empty-blocks": func() { spec.EmptyBlocks = s.EmptyBlocks },
				"chain-id": func() { spec.ChainID = flagChain }, "dev-balance": func() { spec.DevBalance = flagDev },
			}
			for name, set := range overrides {
				if f.Changed(name) {
					set()
				}
			}
			if err := overrideParams(&spec, params); err != nil {
				return err
			}
			if err := overrideAccounts(&spec, accounts); err != nil {
				return err
			}
			if basePort > 0 {
				spec.Nodes = portScheme(basePort, spec.Validators)
			}
			if len(hosts) > 0 { // validators on other hosts (docs/kubernetes.md)
				hs, err := multihost.ParseHosts(hosts, multihost.DefaultPorts)
				if err != nil {
					return fmt.Errorf("--hosts: %w", err)
				}
				spec.Nodes, spec.Validators = multihost.Addrs(hs, bindHost), len(hs)
			}
			// Validate the name before it becomes a path.
			if err := chainspec.ValidateName(spec.Name); err != nil {
				return err
			}
			if dir == "" {
				dir = spec.Name
			}
			res, err := chainspec.Create(dir, spec)
			if err != nil {
				return err
			}
			return emit(cmd, res, func() {
				printf(cmd, "Created chain %q (%s consensus; modules %s) in %s\n", res.ChainID, res.Consensus, strings.Join(res.Modules, ", "), res.Dir)
				for _, n := range res.Nodes {
					printf(cmd, "  %-6s json-rpc %s  p2p %s  home %s\n", n.Moniker, n.RPCAddr, n.P2PAddr, n.Home)
				}
				printf(cmd, "Start it with: vsysd start --home %s", res.Nodes[0].Home)
				if len(res.Nodes) > 1 {
					printf(cmd, "  (and each other home)")
				}
				printf(cmd, "\n")
			})
		},
	}
	fl := cmd.Flags()
	fl.StringSliceVar(&modules, "modules", nil, "native modules to enable, of token,wasm,db,billing,staking (default all; token is required)")
	fl.StringVar(&s.Consensus, "consensus", "poa", "poa or spos")
	fl.IntVar(&s.Validators, "validators", chainspec.DefaultValidators, "number of validators (one home each)")
	fl.StringVar(&s.BlockInterval, "block-interval", chainspec.DefaultBlockInterval, "pause after each block")
	fl.StringVar(&s.Heartbeat, "heartbeat", chainspec.DefaultHeartbeat, "longest an idle chain goes without a block (0s: never)")
	fl.BoolVar(&s.EmptyBlocks, "empty-blocks", false, "make a block every --block-interval even when idle")
	fl.StringArrayVar(&accounts, "account", nil, "genesis balance ADDR=AMOUNT in the smallest unit (repeatable)")
	fl.StringArrayVar(&params, "param", nil, "genesis parameter path=value, e.g. billing.storage_price_per_byte=2 (repeatable)")
	fl.StringVar(&template, "template", "", "TOML or JSON file with the same fields; flags override it")
	fl.StringVar(&dir, "dir", "", "directory to create for the chain (default ./NAME)")
	fl.IntVar(&basePort, "base-port", 0, "validator i listens on base+10i (p2p), +1 (CometBFT RPC), +2 (JSON-RPC), +3 (metrics); default: free ports")
	fl.StringSliceVar(&hosts, "hosts", nil, "validator hosts HOST:P2P[/COMET_RPC/JSON_RPC/METRICS], one validator each (as `vsysd chain hosts`)")
	fl.BoolVar(&bindHost, "bind-host", false, "with --hosts: listen on each host's address instead of 0.0.0.0")
	fl.StringVar(&flagChain, "chain-id", "", "chain id (default NAME)")
	fl.StringVar(&flagDev, "dev-balance", chainspec.DefaultDevBalance, "native coin for each validator home's dev key, smallest unit")
	return cmd
}

// portScheme is `vsysd testnet`'s layout of n validators' ports from base.
func portScheme(base, n int) []node.NodeAddrs {
	if n < 1 {
		n = chainspec.DefaultValidators
	}
	addrs := make([]node.NodeAddrs, n)
	for i := range addrs {
		p := base + 10*i
		at := func(off int) string { return fmt.Sprintf("127.0.0.1:%d", p+off) }
		addrs[i] = node.NodeAddrs{P2P: at(0), CometRPC: at(1), RPC: at(2), Metrics: at(3)}
	}
	return addrs
}

// overrideParams sets each path=value over the template's params.
func overrideParams(s *chainspec.Spec, kvs []string) error {
	for _, kv := range kvs {
		path, value, ok := strings.Cut(kv, "=")
		if !ok || path == "" {
			return fmt.Errorf("--param %q: want path=value, e.g. billing.storage_price_per_byte=2", kv)
		}
		if s.Params == nil {
			s.Params = map[string]string{}
		}
		s.Params[path] = value
	}
	return nil
}

// overrideAccounts sets each ADDR=AMOUNT over the template's accounts.
func overrideAccounts(s *chainspec.Spec, kvs []string) error {
	for _, kv := range kvs {
		addr, amount, ok := strings.Cut(kv, "=")
		if !ok || addr == "" || amount == "" {
			return fmt.Errorf("--account %q: want ADDRESS=AMOUNT (smallest unit)", kv)
		}
		replaced := false
		for i := range s.Accounts {
			if s.Accounts[i].Address == addr {
				s.Accounts[i].Amount, replaced = amount, true
			}
		}
		if !replaced {
			s.Accounts = append(s.Accounts, chainspec.Account{Address: addr, Amount: amount})
		}
	}
	return nil
}
