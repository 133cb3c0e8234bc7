package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/vsys/vsys/app/config"
	"github.com/vsys/vsys/app/rpc/client"
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
	root.AddCommand(initCmd(), startCmd(), statusCmd(), keysCmd(), txCmd(), queryCmd(), benchCmd(), testnetCmd())
	return root
}

// rpcClient returns a client for --node, or the address in the home's
// app.toml, or the default.
func rpcClient(cmd *cobra.Command) *client.Client {
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
