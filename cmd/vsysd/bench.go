package main

import (
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/vsys/vsys/node"
	"github.com/vsys/vsys/node/bench"
)

func benchCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "bench", Short: "Load-test a fresh node"}
	var o bench.Options
	var apps, wasmToken string
	transfers := &cobra.Command{
		Use:   "transfers",
		Short: "Committed token transfers/s, commit latency and peak memory, vs CometBFT's kvstore",
		Long: "Starts a fresh node (vsysd start, a child process), submits --txs signed transfers from\n" +
			"--accounts funded accounts over JSON-RPC, and waits until every one is committed. With\n" +
			"--app both (the default) it repeats the same load pattern on CometBFT's kvstore example\n" +
			"in the same node wiring and prints vsys's rate as a ratio of that baseline.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			bin, err := os.Executable()
			if err != nil {
				return err
			}
			o.Binary, o.Log = bin, cmd.ErrOrStderr()
			if f, ok := o.Log.(*os.File); ok {
				o.Live = term.IsTerminal(int(f.Fd()))
			}
			kinds := map[string][]string{"both": {"vsys", "kvstore"}, "all": {"vsys", "wasm", "kvstore"},
				"vsys": {"vsys"}, "wasm": {"wasm"}, "kvstore": {"kvstore"}, "rows": {"rows"}}[apps]
			if kinds == nil {
				return fmt.Errorf("--app %q: want vsys, wasm, kvstore, both (vsys and kvstore) or all", apps)
			}
			var results []*bench.Result
			for _, k := range kinds {
				run := o
				run.App, run.Rows = node.AppKind(k), 0
				switch k {
				case "wasm":
					run.App, run.WasmToken = node.AppVsys, wasmToken
				case "rows":
					run.App, run.Rows = node.AppVsys, o.Rows
				}
				r, err := bench.Run(cmd.Context(), run)
				if err != nil {
					return fmt.Errorf("bench %s: %w", k, err)
				}
				results = append(results, r)
			}
			return emit(cmd, results, func() {
				printf(cmd, "%-8s %8s %9s %8s %10s %9s %9s %7s %9s %10s\n", "app", "txs", "committed", "failed", "tx/s", "p50", "p99", "blocks", "max/blk", "peak RSS")
				for _, r := range results {
					printf(cmd, "%-8s %8d %9d %8d %10.0f %9s %9s %7d %9d %7d MiB\n", r.App, r.Submitted+r.Rejected, r.Committed, r.Failed,
						r.TPS, r.P50.Round(time.Millisecond), r.P99.Round(time.Millisecond), r.Blocks, r.MaxBlock, r.PeakRSSKiB/1024)
				}
				for _, r := range results {
					if r.RowsPerSec > 0 {
						printf(cmd, "rows: %.0f committed rows/s; vsys_queryTable (100 rows by index) while writing: %d queries, p50 %s, p99 %s\n",
							r.RowsPerSec, r.Queries, r.QueryP50.Round(10*time.Microsecond), r.QueryP99.Round(10*time.Microsecond))
					}
				}
				base := results[len(results)-1]
				if base.App == node.AppKVStore && base.TPS > 0 {
					for _, r := range results[:len(results)-1] {
						printf(cmd, "%s / kvstore committed tx/s: %.2f\n", r.App, r.TPS/base.TPS)
					}
				}
			})
		},
	}
	f := transfers.Flags()
	f.IntVar(&o.Accounts, "accounts", 100, "funded sender accounts")
	f.IntVar(&o.Txs, "txs", 20_000, "transfers to submit")
	f.IntVar(&o.Workers, "workers", 4, "concurrent submitters")
	f.IntVar(&o.Batch, "batch", 200, "txs per JSON-RPC batch")
	f.DurationVar(&o.BlockInterval, "block-interval", time.Second, "node's pause between blocks")
	f.DurationVar(&o.Timeout, "timeout", 5*time.Minute, "give up waiting for commits after this")
	f.BoolVar(&o.KeepHome, "keep-home", false, "keep the node's temporary home (its node.log too)")
	f.StringVar(&o.CPUProfile, "cpuprofile", "", "write a 5 s CPU profile of the node under load to this file (go tool pprof)")
	f.StringVar(&apps, "app", "both", "vsys (native token), wasm (token contract), kvstore, both (vsys and kvstore), all, or rows (database inserts)")
	f.IntVar(&o.Rows, "rows", 50, "with --app rows: rows each tx inserts")
	f.IntVar(&o.Validators, "validators", 1, "run a network of this many validators (vsysd testnet) and load the first")
	f.StringVar(&wasmToken, "wasm-token", "contracts/artifacts/token.wasm", "token contract for --app wasm (make contracts builds it)")
	cmd.AddCommand(transfers, benchCloudCmd(), benchIsolationCmd(), benchRelayCmd())
	return cmd
}
