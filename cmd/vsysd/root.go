package main

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vsys/vsys/cloud/state"
	"github.com/vsys/vsys/node/config"
	"github.com/vsys/vsys/rpc/client"
)

func defaultHome() string {
	if h := os.Getenv("VSYS_HOME"); h != "" {
		return h
	}
	if h, err := os.UserHomeDir(); err == nil {
		return filepath.Join(h, ".vsys")
	}
	return ".vsys"
}

func rootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:           "vsysd",
		Short:         "vsys: a blockchain database cloud — node and client",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().String("home", defaultHome(), "node home directory (env VSYS_HOME)")
	root.PersistentFlags().StringP("output", "o", "text", "output format: text or json")
	root.PersistentFlags().String("node", "", "JSON-RPC address of the node (default: the home's app.toml, else 127.0.0.1:8645)")
	root.PersistentFlags().String("chain", "", "a chain of a vsys cloud, reached through its gateway (--gateway) at /NAME/; overrides --node")
	root.PersistentFlags().String("gateway", "", "a vsys cloud's gateway address, for --chain (default: $VSYS_GATEWAY, else 127.0.0.1:26610)")
	root.AddCommand(initCmd(), startCmd(), statusCmd(), keysCmd(), txCmd(), queryCmd(), benchCmd(), testnetCmd(), chainCmd(), cloudCmd(), relayCmd())
	strictGroups(root)
	return root
}

// strictGroups makes every command that only groups subcommands ("tx",
// "tx wasm", ...) refuse an unknown subcommand with "did you mean"
// suggestions and a non-zero exit. Cobra does that for the root only: a
// mistyped `vsysd tx wasm exeucte` printed the group's help and exited 0,
// so scripts went on as if it had run. A group given no argument still
// prints its help.
func strictGroups(c *cobra.Command) {
	c.SuggestionsMinimumDistance = 2
	if c.HasSubCommands() && c.Run == nil && c.RunE == nil {
		c.Args = cobra.ArbitraryArgs
		c.RunE = func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return cmd.Help()
			}
			msg := fmt.Sprintf("unknown command %q for %q", args[0], cmd.CommandPath())
			if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
				msg += "\n\nDid you mean this?\n\t" + strings.Join(s, "\n\t")
			}
			return fmt.Errorf("%s\n\nRun '%s --help' for its commands", msg, cmd.CommandPath())
		}
	}
	for _, sub := range c.Commands() {
		strictGroups(sub)
	}
}

// rpcClient returns a client for --node, or the address in the home's
// app.toml, or the default.
func rpcClient(cmd *cobra.Command) *client.Client {
	if chain, _ := cmd.Flags().GetString("chain"); chain != "" {
		gw, _ := cmd.Flags().GetString("gateway")
		if gw == "" {
			gw = os.Getenv("VSYS_GATEWAY")
		}
		if gw == "" {
			gw = state.DefaultConfig().Gateway.Address
		}
		// The gateway refuses a name that is not a chain name, so a
		// hostile --chain cannot make it a path elsewhere.
		return client.New(strings.TrimSuffix(gw, "/") + "/" + url.PathEscape(chain) + "/")
	}
	addr, _ := cmd.Flags().GetString("node")
	if addr == "" {
		home, _ := cmd.Flags().GetString("home")
		if c, err := config.Load(home); err == nil {
			addr = c.RPC.Address
		} else {
			addr = config.Default().RPC.Address
		}
	}
	return client.New(addr)
}

func jsonOutput(cmd *cobra.Command) bool {
	o, _ := cmd.Flags().GetString("output")
	return o == "json"
}

// emit prints v as indented JSON with --output json, else calls text.
func emit(cmd *cobra.Command, v any, text func()) error {
	if jsonOutput(cmd) {
		enc := json.NewEncoder(cmd.OutOrStdout())
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}
	text()
	return nil
}

func printf(cmd *cobra.Command, format string, args ...any) {
	fmt.Fprintf(cmd.OutOrStdout(), format, args...)
}
