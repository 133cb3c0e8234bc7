package main

import (
	"github.com/spf13/cobra"

	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/node"
)

// testnetCmd is `vsysd testnet`: a local multi-validator network.
func testnetCmd() *cobra.Command {
	var o node.TestnetOptions
	var out string
	cmd := &cobra.Command{
		Use:   "testnet",
		Short: "Write N validator homes with one genesis and each other as peers (start each with vsysd start --home DIR/nodeI)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.DevBalance = codec.NewU128(1_000_000_000_000_000_000)
			nodes, err := node.InitTestnet(out, o)
			if err != nil {
				return err
			}
			return emit(cmd, nodes, func() {
				printf(cmd, "testnet %q: %d validators in %s\n", o.ChainID, len(nodes), out)
				for _, n := range nodes {
					printf(cmd, "  %-6s home %s  json-rpc %s  p2p %s  id %s\n", n.Moniker, n.Home, n.RPCAddr, n.P2PAddr, n.NodeID)
				}
				printf(cmd, "start them all: scripts/localnet start %s\n", out)
			})
		},
	}
	f := cmd.Flags()
	f.IntVar(&o.Validators, "validators", 4, "number of validators")
	f.StringVar(&out, "dir", "./testnet", "directory for the node homes (--output is the output format, as everywhere)")
	f.StringVar(&o.ChainID, "chain-id", "vsys-testnet", "chain id")
	f.IntVar(&o.BasePort, "base-port", 27000, "node i listens on base+10i (p2p), +1 (CometBFT RPC), +2 (JSON-RPC), +3 (metrics)")
	f.StringVar(&o.BlockInterval, "block-interval", "1s", "pause between blocks")
	return cmd
}
