package main

import (
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/vsys/vsys/cloud/bench"
)

// benchCloudCmd is `vsysd bench cloud`: create → first block for a few
// chains, then what many idle chains cost, on a real cloud of `vsysd
// start` processes in a temporary home.
func benchCloudCmd() *cobra.Command {
	var o bench.Options
	var faults int
	cmd := &cobra.Command{
		Use:   "cloud",
		Short: "Create → first block of --timed chains, then idle RSS and CPU of --chains chains in one cloud",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			bin, err := os.Executable()
			if err != nil {
				return err
			}
			if faults > 0 {
				return runFaultsBench(cmd, bin, faults, o)
			}
			o.Binary, o.Log = bin, cmd.ErrOrStderr()
			r, err := bench.Run(cmd.Context(), o)
			if err != nil {
				return err
			}
			return emit(cmd, r, func() {
				printf(cmd, "create → first committed block (%d chains, one at a time): median %v, max %v\n",
					r.Timed, r.FirstBlockP50.Round(time.Millisecond), r.FirstBlockMax.Round(time.Millisecond))
				printf(cmd, "%d chains in one cloud (created in %v): total RSS %d MiB; per idle chain RSS median %d MiB (max %d), CPU median %.2f%% of a core (max %.2f%%); limits: %s\n",
					r.Chains, r.CreateAll.Round(time.Millisecond), r.TotalRSS>>20, r.IdleRSSP50>>20, r.IdleRSSMax>>20,
					100*r.IdleCPUP50, 100*r.IdleCPUMax, r.LimitsMode)
				printf(cmd, "unshared memory (RSS without the executable's shared pages): total %d MiB, per idle chain median %d MiB (max %d)\n",
					r.TotalPrivate>>20, r.PrivateP50>>20, r.PrivateMax>>20)
				printf(cmd, "proportional set (PSS: shared pages split among the nodes mapping them): total %d MiB, per idle chain median %d MiB (max %d)\n",
					r.TotalPSS>>20, r.PSSP50>>20, r.PSSMax>>20)
			})
		},
	}
	f := cmd.Flags()
	f.IntVar(&o.Timed, "timed", 10, "chains timed from create to first block, one at a time")
	f.IntVar(&o.Chains, "chains", 50, "chains in the cloud for the idle figures")
	f.DurationVar(&o.BlockInterval, "block-interval", time.Second, "the chains' pause after each commit")
	f.DurationVar(&o.Idle, "idle", 10*time.Second, "window the idle CPU is measured over")
	f.IntVar(&o.PortBase, "port-base", 30000, "first port of the cloud (3 + 3 per chain + 50 spare)")
	f.BoolVar(&o.KeepHome, "keep-home", false, "keep the temporary cloud home")
	f.IntVar(&faults, "faults", 0, "instead: inject each node fault (kill -9, panic, oom) this many times into one of two chains; time to back and the other's largest block gap")
	return cmd
}
