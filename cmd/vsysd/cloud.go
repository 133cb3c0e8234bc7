package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/pelletier/go-toml/v2"
	"github.com/spf13/cobra"

	"github.com/vsys/vsys/cloud"
	"github.com/vsys/vsys/cloud/api"
	"github.com/vsys/vsys/cloud/state"
	"github.com/vsys/vsys/node/chainspec"
)

// cloudCmd is `vsysd cloud`: the control plane (start) and its clients,
// which talk to the control API. --home is the cloud home here (default
// $VSYS_CLOUD_HOME, else ~/.vsys-cloud).
func cloudCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "cloud",
		Short: "Host many chains on this machine: the control plane and its API",
	}
	c.PersistentFlags().String("api", "", "control API address (default: the cloud home's cloud.toml, else 127.0.0.1:26600)")
	c.PersistentFlags().String("token", "", "operator token (default: $VSYS_CLOUD_TOKEN, else the cloud home's operator.token)")
	c.AddCommand(cloudStartCmd(), cloudCreateCmd(), cloudListCmd(),
		cloudNameCmd("status", "Show a chain: process, ports, restarts, height", (*api.Client).ChainStatus),
		cloudNameCmd("stop", "Stop a chain's node (it stays stopped until start)", (*api.Client).StopChain),
		cloudDeleteCmd(), cloudLogsCmd(), cloudRelayCmd())
	return c
}

// cloudStartCmd is both `cloud start` (the control plane) and `cloud start
// NAME` (start a stopped chain's node through the control API): one
// verb, told apart by the argument.
func cloudStartCmd() *cobra.Command {
	var stopChains bool
	cmd := &cobra.Command{
		Use:   "start [NAME]",
		Short: "Run the control plane of the cloud home until SIGINT or SIGTERM; with NAME, start that stopped chain",
		Long: "Without NAME: run the control plane: adopt or start every chain of the cloud home, serve the control API, " +
			"restart crashed nodes. On SIGINT or SIGTERM it exits and leaves the chains serving (the next start adopts them), " +
			"unless --stop-chains.\n\nWith NAME: start that chain's node (after cloud stop NAME) through the control API.",
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				return withCloud(func(cmd *cobra.Command, c *api.Client, args []string) error {
					ch, err := c.StartChain(cmd.Context(), args[0])
					if err != nil {
						return err
					}
					return emit(cmd, ch, func() { printChain(cmd, ch) })
				})(cmd, args)
			}
			return runControlPlane(cmd, stopChains)
		},
	}
	cmd.Flags().BoolVar(&stopChains, "stop-chains", false, "control plane: stop every chain node on exit (default: leave them serving)")
	cmd.Flags().String("gateway", "", "control plane: the gateway's address, /<chain>/ for every chain (default: cloud.toml's gateway.address)")
	cmd.Flags().String("metrics", "", "control plane: serve Prometheus /metrics here (default: cloud.toml's metrics.address; empty: off)")
	return cmd
}

// runControlPlane runs the control plane in the foreground until SIGINT
// or SIGTERM.
func runControlPlane(cmd *cobra.Command, stopChains bool) error {
	addr, _ := cmd.Flags().GetString("api")
	gw, _ := cmd.Flags().GetString("gateway")
	metrics, _ := cmd.Flags().GetString("metrics")
	p, err := cloud.Open(cloudHome(cmd), cloud.Options{APIAddr: addr, GatewayAddr: gw, MetricsAddr: metrics, Log: cmd.ErrOrStderr()})
	if err != nil {
		return err
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	if err := p.Start(); err != nil {
		_ = p.Close(false)
		return err
	}
	info := map[string]string{"api": "http://" + p.APIAddr(), "home": p.Home(), "token_file": filepath.Join(p.Home(), state.TokenFile)}
	if g := p.GatewayAddr(); g != "" {
		info["gateway"] = "http://" + g + "/<chain>/"
	}
	if m := p.MetricsAddr(); m != "" {
		info["metrics"] = "http://" + m + "/metrics"
	}
	if err := emit(cmd, info, func() {
		printf(cmd, "vsys cloud running: control API %s (token in %s)  (Ctrl-C stops it)\n", info["api"], info["token_file"])
		if g, ok := info["gateway"]; ok {
			printf(cmd, "chains' JSON-RPC at %s\n", g)
		}
	}); err != nil {
		return err
	}
	<-sig
	return p.Close(stopChains)
}

// cloudHome is --home when given, else $VSYS_CLOUD_HOME, else ~/.vsys-cloud:
// a cloud home is not a node home, so it does not default to one.
func cloudHome(cmd *cobra.Command) string {
	if cmd.Flags().Changed("home") {
		home, _ := cmd.Flags().GetString("home")
		return home
	}
	if h := os.Getenv("VSYS_CLOUD_HOME"); h != "" {
		return h
	}
	if h, err := os.UserHomeDir(); err == nil {
		return filepath.Join(h, ".vsys-cloud")
	}
	return ".vsys-cloud"
}

// withCloud is a RunE with the control API client made first.
func withCloud(run func(cmd *cobra.Command, c *api.Client, args []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		c, err := cloudClient(cmd)
		if err != nil {
			return err
		}
		return run(cmd, c, args)
	}
}

// cloudClient is a control API client from --api/--token or the cloud
// home's cloud.toml and operator.token.
func cloudClient(cmd *cobra.Command) (*api.Client, error) {
	home := cloudHome(cmd)
	addr, _ := cmd.Flags().GetString("api")
	if addr == "" {
		addr = state.DefaultConfig().API.Address
		b, err := os.ReadFile(filepath.Join(home, state.ConfigFile))
		switch {
		case err == nil:
			var c state.Config
			if err := toml.NewDecoder(bytes.NewReader(b)).Decode(&c); err != nil {
				return nil, fmt.Errorf("cloud config: %w", err)
			}
			if c.API.Address != "" {
				addr = c.API.Address
			}
		case !errors.Is(err, fs.ErrNotExist):
			return nil, fmt.Errorf("cloud config: %w", err)
		}
	}
	tok, _ := cmd.Flags().GetString("token")
	if tok == "" {
		tok = os.Getenv("VSYS_CLOUD_TOKEN")
	}
	if tok == "" {
		var err error
		if tok, err = state.ReadToken(home); err != nil {
			return nil, fmt.Errorf("%w (pass --token, set VSYS_CLOUD_TOKEN or --home of the cloud)", err)
		}
	}
	return api.NewClient(addr, tok), nil
}

func cloudCreateCmd() *cobra.Command {
	var req api.CreateRequest
	var wait time.Duration
	var params []string
	cmd := &cobra.Command{
		Use:   "create NAME",
		Short: "Create a chain and start its node",
		Args:  cobra.ExactArgs(1),
		RunE: withCloud(func(cmd *cobra.Command, c *api.Client, args []string) error {
			req.Name = args[0]
			s := chainspec.Spec{}
			if err := overrideParams(&s, params); err != nil {
				return err
			}
			req.Params = s.Params
			ch, err := c.CreateChain(cmd.Context(), req)
			if err != nil {
				return err
			}
			if wait > 0 && ch.Height < 1 {
				if ch, err = api.WaitFirstBlock(cmd.Context(), c, req.Name, wait); err != nil {
					return err
				}
			}
			return emit(cmd, ch, func() { printChain(cmd, ch) })
		}),
	}
	cmd.Flags().StringVar(&req.ChainID, "chain-id", "", "chain id (default: the name)")
	cmd.Flags().StringVar(&req.BlockInterval, "block-interval", "", "pause between blocks (default: cloud.toml's chain.block_interval)")
	cmd.Flags().DurationVar(&wait, "wait", 0, "wait up to this long for the first block (0: return at once)")
	cmd.Flags().StringSliceVar(&req.Modules, "modules", nil, "native modules the chain runs: token,wasm,db,billing,staking (default: all)")
	cmd.Flags().StringVar(&req.Consensus, "consensus", "", "poa (default) or spos")
	cmd.Flags().StringArrayVar(&params, "param", nil, "genesis parameter path=value, e.g. billing.storage_price_per_byte=2 (repeatable)")
	cmd.Flags().BoolVar(&req.EmptyBlocks, "empty-blocks", false, "make a block every interval even when idle (default: blocks for txs, plus a heartbeat)")
	cmd.Flags().StringVar(&req.Heartbeat, "heartbeat", "", "longest an idle chain goes without a block (default: cloud.toml's chain.heartbeat)")
	cmd.Flags().Float64Var(&req.TxsPerSecond, "tx-rate", 0, "txs per second the chain's node admits (default: cloud.toml's limits.txs_per_second; 0 there: no limit)")
	cmd.Flags().IntVar(&req.TxBurst, "tx-burst", 0, "txs admitted at once above --tx-rate (default: one second's worth)")
	cmd.Flags().Int64Var(&req.DiskQuotaBytes, "disk-quota", 0, "bytes the chain's data directory may hold; over it new txs are refused (default: cloud.toml's limits.disk_quota_bytes)")
	return cmd
}

func cloudListCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the cloud's chains",
		Args:  cobra.NoArgs,
		RunE: withCloud(func(cmd *cobra.Command, c *api.Client, _ []string) error {
			l, err := c.ListChains(cmd.Context())
			if err != nil {
				return err
			}
			return emit(cmd, l, func() {
				w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
				fmt.Fprintln(w, "NAME\tSTATUS\tRUNNING\tPID\tRESTARTS\tJSON-RPC")
				for _, ch := range l {
					fmt.Fprintf(w, "%s\t%s\t%v\t%d\t%d\t%s\n", ch.Name, ch.Status, ch.Running, ch.PID, ch.Restarts, ch.RPCAddr)
				}
				_ = w.Flush()
			})
		}),
	}
}

// cloudNameCmd is a command that takes a chain name and prints the chain
// the call returns (status, stop, start).
func cloudNameCmd(use, short string, call func(*api.Client, context.Context, string) (api.Chain, error)) *cobra.Command {
	return &cobra.Command{
		Use:   use + " NAME",
		Short: short,
		Args:  cobra.ExactArgs(1),
		RunE: withCloud(func(cmd *cobra.Command, c *api.Client, args []string) error {
			ch, err := call(c, cmd.Context(), args[0])
			if err != nil {
				return err
			}
			return emit(cmd, ch, func() { printChain(cmd, ch) })
		}),
	}
}

func cloudDeleteCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "delete NAME",
		Short: "Stop a chain and delete it with all its data",
		Args:  cobra.ExactArgs(1),
		RunE: withCloud(func(cmd *cobra.Command, c *api.Client, args []string) error {
			if err := c.DeleteChain(cmd.Context(), args[0]); err != nil {
				return err
			}
			return emit(cmd, map[string]string{"deleted": args[0]}, func() { printf(cmd, "deleted %s\n", args[0]) })
		}),
	}
}

func cloudLogsCmd() *cobra.Command {
	var lines int
	cmd := &cobra.Command{
		Use:   "logs NAME",
		Short: "Print the last lines of a chain node's log",
		Args:  cobra.ExactArgs(1),
		RunE: withCloud(func(cmd *cobra.Command, c *api.Client, args []string) error {
			l, err := c.Logs(cmd.Context(), args[0], lines)
			if err != nil {
				return err
			}
			return emit(cmd, l, func() {
				for _, s := range l.Lines {
					printf(cmd, "%s\n", s)
				}
			})
		}),
	}
	cmd.Flags().IntVarP(&lines, "lines", "n", 100, "how many lines")
	return cmd
}

func printChain(cmd *cobra.Command, ch api.Chain) {
	printf(cmd, "chain       %s (chain id %s)\nstatus      %s, running %v", ch.Name, ch.ChainID, ch.Status, ch.Running)
	if ch.PID != 0 {
		printf(cmd, ", pid %d", ch.PID)
		if ch.Adopted {
			printf(cmd, " (adopted)")
		}
	}
	printf(cmd, "\nheight      %d\nJSON-RPC    http://%s\nports       rpc %d, comet rpc %d, p2p %d\nrestarts    %d",
		ch.Height, ch.RPCAddr, ch.Ports.RPC, ch.Ports.CometRPC, ch.Ports.P2P, ch.Restarts)
	if ch.LastExit != "" {
		printf(cmd, " (last: %s)", ch.LastExit)
	}
	if ch.Limits != "" {
		printf(cmd, "\nlimits      %s", ch.Limits)
	}
	if ch.TxsPerSecond > 0 {
		printf(cmd, "\ntx rate     %g/s (burst %d)", ch.TxsPerSecond, ch.TxBurst)
	}
	if ch.DiskQuotaBytes > 0 {
		printf(cmd, "\ndisk quota  %d bytes", ch.DiskQuotaBytes)
	}
	if u := ch.Usage; u != nil {
		printf(cmd, "\nusage       cpu %.2f s, rss %d MiB (peak %d MiB, pss %d MiB), disk %d MiB, %d txs in %d blocks",
			u.CPUSeconds, u.RSSBytes>>20, u.RSSPeakBytes>>20, u.PSSBytes>>20, u.DiskBytes>>20, u.Txs, u.Blocks)
	}
	printf(cmd, "\nhome        %s\n", ch.Home)
}
