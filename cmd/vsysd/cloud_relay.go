package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/vsys/vsys/cloud/api"
)

// cloudRelayCmd is `vsysd cloud relay`: relayers the control plane runs
// between two of its chains (docs/cloud.md, "Relayers").
func cloudRelayCmd() *cobra.Command {
	c := &cobra.Command{Use: "relay", Short: "Relayers between two of the cloud's chains, run and restarted by the control plane"}
	var req api.CreateRelayerRequest
	create := &cobra.Command{
		Use:   "create NAME",
		Short: "Connect chains --a and --b (a light client of each on the other) and start a relayer between them",
		Args:  cobra.ExactArgs(1),
		RunE: withCloud(func(cmd *cobra.Command, c *api.Client, args []string) error {
			req.Name = args[0]
			if req.A == "" || req.B == "" {
				return fmt.Errorf("--a and --b name the two chains of the cloud to relay between")
			}
			r, err := c.CreateRelayer(cmd.Context(), req)
			if err != nil {
				return err
			}
			return emit(cmd, r, func() { printRelayer(cmd, r) })
		}),
	}
	create.Flags().StringVar(&req.A, "a", "", "chain A (a name in this cloud)")
	create.Flags().StringVar(&req.B, "b", "", "chain B")
	create.Flags().StringVar(&req.TrustingPeriod, "trusting-period", "", "the new clients' trusting period (default 336h)")
	list := &cobra.Command{
		Use:   "list",
		Short: "List the relayers",
		Args:  cobra.NoArgs,
		RunE: withCloud(func(cmd *cobra.Command, c *api.Client, _ []string) error {
			l, err := c.ListRelayers(cmd.Context())
			if err != nil {
				return err
			}
			return emit(cmd, l, func() {
				w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
				fmt.Fprintln(w, "NAME\tA\tA-CLIENT\tB\tB-CLIENT\tRUNNING\tPID\tRESTARTS\tMETRICS")
				for _, r := range l {
					running := fmt.Sprint(r.Running)
					if r.Halted {
						running = "halted"
					}
					fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t%s\n", r.Name, r.A, r.AClient, r.B, r.BClient, running, r.PID, r.Restarts, r.MetricsAddr)
				}
				_ = w.Flush()
			})
		}),
	}
	del := &cobra.Command{
		Use:   "delete NAME",
		Short: "Stop a relayer and remove it (its clients stay on the chains)",
		Args:  cobra.ExactArgs(1),
		RunE: withCloud(func(cmd *cobra.Command, c *api.Client, args []string) error {
			if err := c.DeleteRelayer(cmd.Context(), args[0]); err != nil {
				return err
			}
			return emit(cmd, map[string]string{"deleted": args[0]}, func() { printf(cmd, "deleted relayer %s\n", args[0]) })
		}),
	}
	c.AddCommand(create, list, del)
	return c
}

func printRelayer(cmd *cobra.Command, r api.Relayer) {
	printf(cmd, "relayer     %s\nA           %s (chain id %s), client %s\nB           %s (chain id %s), client %s\n",
		r.Name, r.A, r.AChainID, r.AClient, r.B, r.BChainID, r.BClient)
	printf(cmd, "running     %v", r.Running)
	if r.Halted {
		printf(cmd, " (halted: a client needs recover-client, see the last exit)")
	}
	if r.PID != 0 {
		printf(cmd, ", pid %d", r.PID)
	}
	printf(cmd, "\nrestarts    %d", r.Restarts)
	if r.LastExit != "" {
		printf(cmd, " (last: %s)", r.LastExit)
	}
	printf(cmd, "\nkey         %s\nmetrics     http://%s/metrics\nlog         %s\n", r.Address, r.MetricsAddr, r.Log)
}
