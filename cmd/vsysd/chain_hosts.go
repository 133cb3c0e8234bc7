package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/node"
	"github.com/vsys/vsys/node/multihost"
)

// hostsResult is what `chain hosts` reports (--output json).
type hostsResult struct {
	Chain      string             `json:"chain"`
	Dir        string             `json:"dir"`
	Validators []node.TestnetNode `json:"validators"`
}

// chainHostsCmd is `vsysd chain hosts NAME --hosts ...`: the homes of a
// chain whose validators run on different hosts.
func chainHostsCmd() *cobra.Command {
	var hosts []string
	var dir, interval, devBalance string
	var bindHost bool
	def := multihost.DefaultPorts
	cmd := &cobra.Command{
		Use:   "hosts NAME --hosts HOST:P2P,... --dir OUT",
		Short: "Write one home per validator host (OUT/node0, ...): one genesis, peers by node id and host address",
		Long: `Write the homes of chain NAME whose validators run on the given hosts, one
home per host in --dir (node0 for the first host, ...). Each validator's
p2p.external_address is its HOST:P2P and every other validator is a
persistent peer. Copy OUT/nodeI to host I and run vsysd start --home there.

A host entry is HOST:P2P, taking the RPC and metrics ports from the flags,
or HOST:P2P/COMET_RPC/JSON_RPC/METRICS for validators that share a host.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			bal, err := codec.ParseU128(devBalance)
			if err != nil {
				return fmt.Errorf("--dev-balance: %w", err)
			}
			hs, err := multihost.ParseHosts(hosts, def)
			if err != nil {
				return fmt.Errorf("--hosts: %w", err)
			}
			bar := newProgress(cmd, len(hs), "writing homes")
			nodes, err := multihost.Write(dir, multihost.Options{ChainID: args[0], Hosts: hs, BlockInterval: interval,
				DevBalance: bal, BindHost: bindHost, Progress: bar.Func()})
			bar.Done()
			if err != nil {
				return err
			}
			return emit(cmd, hostsResult{Chain: args[0], Dir: dir, Validators: nodes}, func() {
				printf(cmd, "chain %q: %d validator homes in %s\n", args[0], len(nodes), dir)
				for i, n := range nodes {
					printf(cmd, "  %-6s host %s  p2p %s  json-rpc %s  id %s\n", n.Moniker, hs[i].Addr, n.External, n.RPCAddr, n.NodeID)
				}
				printf(cmd, "copy %s/nodeI to host I and run: vsysd start --home <that dir>\n", dir)
			})
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&hosts, "hosts", nil, "validator hosts, HOST:P2P or HOST:P2P/COMET_RPC/JSON_RPC/METRICS, comma-separated (required)")
	f.StringVar(&dir, "dir", "", "directory for the homes (required)")
	f.IntVar(&def.CometRPC, "comet-rpc-port", def.CometRPC, "CometBFT RPC port on every host (where /health is served)")
	f.IntVar(&def.RPC, "rpc-port", def.RPC, "vsys JSON-RPC port on every host")
	f.IntVar(&def.Metrics, "metrics-port", def.Metrics, "Prometheus port on every host")
	f.BoolVar(&bindHost, "bind-host", false, "listen on each host's address itself instead of 0.0.0.0")
	f.StringVar(&interval, "block-interval", "1s", "pause between blocks")
	f.StringVar(&devBalance, "dev-balance", "1000000000000000000", "native coin for each home's dev account, smallest unit")
	_ = cmd.MarkFlagRequired("hosts")
	_ = cmd.MarkFlagRequired("dir")
	return cmd
}
