package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/keys"
	"github.com/vsys/vsys/node"
	"github.com/vsys/vsys/node/config"
)

func initCmd() *cobra.Command {
	var chainID, moniker, devBalance, interval, rpcAddr, cometRPC, p2pAddr, metricsAddr string
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Create a new single-validator chain in --home, with a funded dev key",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			home, _ := cmd.Flags().GetString("home")
			bal, err := codec.ParseU128(devBalance)
			if err != nil {
				return fmt.Errorf("--dev-balance: %w", err)
			}
			ac := config.Default()
			ac.Consensus.BlockInterval = interval
			if rpcAddr != "" {
				ac.RPC.Address = rpcAddr
			}
			if metricsAddr != "" {
				ac.Metrics.Address = metricsAddr
			}
			res, err := node.Init(home, node.InitOptions{ChainID: chainID, Moniker: moniker, DevBalance: bal, App: ac,
				CometRPCAddr: cometRPC, P2PAddr: p2pAddr})
			if err != nil {
				return err
			}
			// The dev key is in the test keyring: make that the home's
			// default, so that `--from dev` works without
			// --keyring-backend (a flag or $VSYS_KEYRING_BACKEND still
			// picks the passphrase-protected file keyring).
			if err := config.SaveClient(res.Home, config.Client{KeyringBackend: string(keys.BackendTest)}); err != nil {
				return fmt.Errorf("write client config: %w", err)
			}
			return emit(cmd, res, func() {
				printf(cmd, "Initialised chain %q in %s\n", res.ChainID, res.Home)
				printf(cmd, "  dev account  %s  (key %q, test keyring, %s)\n", res.DevAddress, node.DevKeyName, devBalance)
				printf(cmd, "  keyring      test (unencrypted), the default of this home's CLI: %s\n", config.ClientPath(res.Home))
				printf(cmd, "  validator    %s\n", res.Validator)
				printf(cmd, "Start it with: vsysd start --home %s\n", res.Home)
			})
		},
	}
	cmd.Flags().StringVar(&chainID, "chain-id", "", "chain id (required)")
	cmd.Flags().StringVar(&moniker, "moniker", "vsys-node", "node name")
	cmd.Flags().StringVar(&devBalance, "dev-balance", "1000000000000000000", "native coin given to the dev account, smallest unit")
	cmd.Flags().StringVar(&interval, "block-interval", "1s", "pause between blocks")
	cmd.Flags().StringVar(&rpcAddr, "rpc-addr", "", "JSON-RPC listen address (default 127.0.0.1:8645)")
	cmd.Flags().StringVar(&cometRPC, "comet-rpc-laddr", "", "CometBFT RPC listen address (default tcp://127.0.0.1:26657)")
	cmd.Flags().StringVar(&p2pAddr, "p2p-laddr", "", "P2P listen address (default tcp://127.0.0.1:26656)")
	cmd.Flags().StringVar(&metricsAddr, "metrics-addr", "", "Prometheus listen address (default 127.0.0.1:26660)")
	_ = cmd.MarkFlagRequired("chain-id")
	return cmd
}

func startCmd() *cobra.Command {
	var appKind string
	cmd := &cobra.Command{
		Use:   "start",
		Short: "Run the node in --home until SIGINT or SIGTERM",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			home, _ := cmd.Flags().GetString("home")
			n, err := node.Start(home, node.Options{App: node.AppKind(appKind), LogOutput: cmd.ErrOrStderr(), ExitOnPanic: true})
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "vsys node running: JSON-RPC http://%s  (Ctrl-C stops it)\n", n.RPCAddr)
			fmt.Fprintf(cmd.OutOrStdout(), "try: curl -s -X POST -H 'content-type: application/json' -d '{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"vsys_status\"}' http://%s\n", n.RPCAddr)
			sig := make(chan os.Signal, 1)
			signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
			s := <-sig
			n.Logger.With("module", "vsys").Info("stopping", "signal", s.String())
			if err := n.Stop(); err != nil {
				return fmt.Errorf("stop: %w", err)
			}
			n.Logger.With("module", "vsys").Info("stopped")
			return nil
		},
	}
	cmd.Flags().StringVar(&appKind, "app", "vsys", "ABCI application: vsys, or kvstore (CometBFT's example, the benchmark baseline)")
	_ = cmd.Flags().MarkHidden("app")
	return cmd
}

func statusCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "status",
		Short: "Show the node's chain, height and parameters",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := rpcClient(cmd).Status(cmd.Context())
			if err != nil {
				return err
			}
			return emit(cmd, st, func() {
				printf(cmd, "chain       %s\nnode        %s (%s)\nheight      %d at %s\napp hash    %x\ncatching up %v\nnative coin %s (min gas price %s, max gas per tx %d)\n",
					st.ChainID, st.Moniker, st.NodeID, st.LatestHeight, st.LatestBlockTime.Format("2006-01-02T15:04:05Z07:00"),
					[]byte(st.LatestAppHash), st.CatchingUp, st.NativeToken, st.MinGasPrice, st.MaxGasPerTx)
			})
		},
	}
}
