package main

import (
	"time"

	"github.com/spf13/cobra"

	"github.com/vsys/vsys/cloud/bench"
)

// runFaultsBench is `vsysd bench cloud --faults N`: each node fault (kill
// -9, panic, out of memory) injected N times into chain A of a two-chain
// cloud; how long A takes to come back and B's longest block gap.
func runFaultsBench(cmd *cobra.Command, bin string, rounds int, o bench.Options) error {
	r, err := bench.RunFaults(cmd.Context(), bench.FaultOptions{Binary: bin, Rounds: rounds,
		BlockInterval: o.BlockInterval, PortBase: o.PortBase, Log: cmd.ErrOrStderr()})
	if err != nil {
		return err
	}
	return emit(cmd, r, func() {
		ms := func(d time.Duration) time.Duration { return d.Round(time.Millisecond) }
		printf(cmd, "faults of chain A, %d rounds each (restart backoff %v; limits: %s):\n", rounds, r.Backoff, r.LimitsMode)
		printf(cmd, "%-8s  %-12s  %-20s  %-18s  %s\n", "fault", "exit after", "A back after exit", "B's largest gap", "last exit")
		for _, f := range r.Faults {
			moved := ""
			if !f.BAdvancing {
				moved = " (B made no block in an outage)"
			}
			printf(cmd, "%-8s  %-12v  %-20s  %-18s  %s\n", f.Fault, ms(f.ExitP50),
				ms(f.BackP50).String()+" (max "+ms(f.BackMax).String()+")", ms(f.BGapMax).String()+moved, f.LastExit)
		}
		printf(cmd, "B's largest gap with A up, over as long a window: %v\n", ms(r.BaselineGapB))
	})
}
