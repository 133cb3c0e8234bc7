package main

import (
	"fmt"
	"os"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/vsys/vsys/cloud/bench"
)

// benchIsolationCmd is `vsysd bench isolation`: chain B's block interval
// and query latency with its neighbour A idle and then flooded, in one
// cloud of `vsysd start` processes in a temporary home.
func benchIsolationCmd() *cobra.Command {
	var o bench.IsolationOptions
	cmd := &cobra.Command{
		Use:   "isolation",
		Short: "Chain B's block interval and query p50/p99 with chain A idle, then flooded (unlimited, and with --limited-rate)",
		Args:  cobra.NoArgs,
		RunE: withSelf(func(cmd *cobra.Command, self string) error {
			o.Binary, o.Log = self, cmd.ErrOrStderr()
			r, err := bench.RunIsolation(cmd.Context(), o)
			if err != nil {
				return err
			}
			return emit(cmd, r, func() { printIsolation(cmd, r) })
		}),
	}
	f := cmd.Flags()
	f.DurationVar(&o.BlockInterval, "block-interval", time.Second, "both chains' pause after each commit")
	f.DurationVar(&o.Window, "window", 10*time.Second, "each measurement window (B unloaded, B while A is flooded)")
	f.IntVar(&o.Accounts, "accounts", 256, "A's flood: funded sender accounts")
	f.IntVar(&o.Workers, "workers", 16, "A's flood: concurrent senders")
	f.Float64Var(&o.LimitedRate, "limited-rate", 500, "a second round with A's [admission] txs_per_second set to this; 0: no second round")
	f.Float64Var(&o.CPUs, "cpus", 0, "cloud.toml limits.cpus of both nodes (GOMAXPROCS in the fallback); 0: the default, -1: no limit")
	f.IntVar(&o.ANice, "a-nice", 0, "renice A's node to this after each start (fallback hosts only); 0: the cloud's nice for both")
	f.IntVar(&o.PortBase, "port-base", 30000, "first port of the cloud (3 + 3 per chain + 50 spare)")
	return cmd
}

// printIsolation prints one table: a row per figure, for each round
// B unloaded, B while A is flooded, and their ratio.
func printIsolation(cmd *cobra.Command, r *bench.IsolationResult) {
	w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', tabwriter.AlignRight)
	head, sub := "\t", "\t"
	for _, rd := range r.Rounds {
		head += rd.Label + "\t\t\t"
		sub += "unloaded\tflooded\tratio\t"
	}
	fmt.Fprintln(w, head)
	fmt.Fprintln(w, sub)
	ms := func(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }
	rows := []struct {
		name  string
		cell  func(bench.Figures) string
		ratio func(bench.Round) float64
	}{
		{"B block interval mean", func(f bench.Figures) string { return ms(f.IntervalMean) }, func(rd bench.Round) float64 { return rd.IntervalMean }},
		{"B block interval p99", func(f bench.Figures) string { return ms(f.IntervalP99) }, func(rd bench.Round) float64 { return rd.IntervalP99 }},
		{"B query p50", func(f bench.Figures) string { return ms(f.QueryP50) }, func(rd bench.Round) float64 { return rd.QueryP50 }},
		{"B query p99", func(f bench.Figures) string { return ms(f.QueryP99) }, func(rd bench.Round) float64 { return rd.QueryP99 }},
		{"B blocks / queries", func(f bench.Figures) string { return fmt.Sprintf("%d / %d", f.Blocks, f.Queries) }, nil},
		{"B node CPU (cores)", func(f bench.Figures) string { return fmt.Sprintf("%.2f", f.BCPU) }, nil},
		{"A node CPU (cores)", func(f bench.Figures) string { return fmt.Sprintf("%.2f", f.ACPU) }, nil},
		{"A accepted tx/s", func(f bench.Figures) string { return fmt.Sprintf("%.0f", f.AAccepted) }, nil},
		{"A committed tx/s", func(f bench.Figures) string { return fmt.Sprintf("%.0f", f.ACommitted) }, nil},
		{"A refused sends/s", func(f bench.Figures) string { return fmt.Sprintf("%.0f", f.APushback) }, nil},
		{"host load (1 min)", func(f bench.Figures) string { return fmt.Sprintf("%.1f", f.HostLoad) }, nil},
	}
	for _, row := range rows {
		line := row.name + "\t"
		for _, rd := range r.Rounds {
			ratio := ""
			if row.ratio != nil {
				ratio = fmt.Sprintf("%.2f×", row.ratio(rd))
			}
			line += row.cell(rd.Unloaded) + "\t" + row.cell(rd.Flooded) + "\t" + ratio + "\t"
		}
		fmt.Fprintln(w, line)
	}
	_ = w.Flush()
	printf(cmd, "limits: %s, cpus %g per node (0: none), A's nice %d; A accepted %d txs in all, every one committed\n", r.LimitsMode, r.CPUs, r.ANice, r.ATxs)
	for _, rd := range r.Rounds {
		if rd.APushbackMsg != "" {
			printf(cmd, "%s: A's last refusal: %s\n", rd.Label, rd.APushbackMsg)
		}
	}
}

// withSelf is the RunE of a bench whose nodes run this very binary: run
// gets its path.
func withSelf(run func(cmd *cobra.Command, self string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, _ []string) error {
		self, err := os.Executable()
		if err != nil {
			return fmt.Errorf("bench: the running vsysd: %w", err)
		}
		return run(cmd, self)
	}
}
