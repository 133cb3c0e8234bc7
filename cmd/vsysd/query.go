package main

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vsys/vsys/core/abi"
	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/modules/token"
)

func queryCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "query", Aliases: []string{"q"}, Short: "Read state, txs and blocks"}
	var height int64
	tok := &cobra.Command{Use: "token", Short: "Token balances and records"}
	balance := &cobra.Command{
		Use:   "balance ADDRESS [TOKEN]",
		Short: "Balances of an address or key name (one token, or all)",
		Args:  cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			addr, err := resolveAddress(cmd, args[0])
			if err != nil {
				return err
			}
			c := rpcClient(cmd)
			if len(args) == 2 {
				res, err := c.Call(cmd.Context(), "token", "balance", map[string]any{"address": addr, "token": args[1]}, height)
				if err != nil {
					return err
				}
				var amt codec.U128
				if err := json.Unmarshal(res.Result, &amt); err != nil {
					return fmt.Errorf("balance: %w", err)
				}
				return emit(cmd, map[string]any{"address": addr, "token": args[1], "amount": res.Result, "height": res.Height}, func() {
					printf(cmd, "%s\n", showAmount(cmd, c, amt, args[1]))
				})
			}
			acc, err := c.GetAccount(cmd.Context(), addr, height)
			if err != nil {
				return err
			}
			return emit(cmd, acc, func() {
				if len(acc.Balances) == 0 {
					printf(cmd, "no balances (height %d)\n", acc.Height)
				}
				for _, b := range acc.Balances {
					printf(cmd, "%s\n", showAmount(cmd, c, b.Amount, b.Token))
				}
			})
		},
	}
	addKeyringFlag(balance)
	addBaseUnitsFlag(balance, "print")
	tok.AddCommand(balance, tokenRecordCmd("info", &height), tokenRecordCmd("supply", &height))

	account := &cobra.Command{
		Use:   "account ADDRESS",
		Short: "Nonce and balances of an address or key name",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			addr, err := resolveAddress(cmd, args[0])
			if err != nil {
				return err
			}
			c := rpcClient(cmd)
			acc, err := c.GetAccount(cmd.Context(), addr, height)
			if err != nil {
				return err
			}
			return emit(cmd, acc, func() {
				printf(cmd, "address %s\nnonce   %d\nheight  %d\n", acc.Address, acc.Nonce, acc.Height)
				for _, b := range acc.Balances {
					printf(cmd, "balance %s\n", showAmount(cmd, c, b.Amount, b.Token))
				}
			})
		},
	}
	addKeyringFlag(account)
	addBaseUnitsFlag(account, "print")

	txq := &cobra.Command{
		Use:   "tx HASH",
		Short: "A committed transaction: status, gas, results, events",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			h, err := hex.DecodeString(strings.TrimPrefix(strings.ToLower(args[0]), "0x"))
			if err != nil || len(h) != 32 {
				return fmt.Errorf("HASH %q: want 32 bytes of hex", args[0])
			}
			t, err := rpcClient(cmd).GetTransaction(cmd.Context(), h)
			if err != nil {
				return err
			}
			if t == nil {
				return fmt.Errorf("tx %s: %w (not committed, or unknown to this node)", args[0], errNotFound)
			}
			return emit(cmd, t, func() { printTx(cmd, rpcClient(cmd), t) })
		},
	}

	call := readCallCmd("Run a read-only method (JSON args encoded by the contract's ABI)", &height)

	block := &cobra.Command{
		Use:   "block [HEIGHT]",
		Short: "A block's header and tx hashes (default: latest)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var h int64
			if len(args) == 1 {
				if _, err := fmt.Sscanf(args[0], "%d", &h); err != nil {
					return fmt.Errorf("HEIGHT %q: %w", args[0], err)
				}
			}
			b, err := rpcClient(cmd).GetBlock(cmd.Context(), h)
			if err != nil {
				return err
			}
			if b == nil {
				return fmt.Errorf("block %d: %w", h, errNotFound)
			}
			return emit(cmd, b, func() {
				printf(cmd, "height   %d\nhash     0x%x\ntime     %s\napp hash 0x%x\ntxs      %d\n", b.Height, []byte(b.Hash), b.Time, []byte(b.AppHash), b.NumTxs)
				for _, t := range b.Txs {
					printf(cmd, "  0x%x\n", []byte(t))
				}
			})
		},
	}

	abiq := &cobra.Command{
		Use:   "abi CONTRACT",
		Short: "A contract's methods and events",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			a, err := rpcClient(cmd).GetABI(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			return emit(cmd, a, func() { printABI(cmd, a) })
		},
	}

	wasmq, dbq, billq := wasmQueryCmd(&height), dbQueryCmd(&height), billingQueryCmd(&height)
	for _, c := range append(append(append([]*cobra.Command{balance, account, call}, wasmq.Commands()...), dbq.Commands()...), billq.Commands()[0]) {
		c.Flags().Int64Var(&height, "height", 0, "read state at this height (0: latest)")
	}
	cmd.AddCommand(tok, account, txq, call, block, abiq, wasmq, dbq, billq, interchainQueryCmd(&height))
	return cmd
}

func tokenRecordCmd(method string, height *int64) *cobra.Command {
	cmd := &cobra.Command{
		Use:   method + " TOKEN",
		Short: "A token's " + map[string]string{"info": "record", "supply": "current supply"}[method],
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c := rpcClient(cmd)
			res, err := c.Call(cmd.Context(), "token", method, map[string]string{"token": args[0]}, *height)
			if err != nil {
				return err
			}
			return emit(cmd, res.Result, func() {
				if method == "supply" {
					var supply codec.U128
					if json.Unmarshal(res.Result, &supply) == nil {
						printf(cmd, "%s\n", showAmount(cmd, c, supply, args[0]))
						return
					}
				}
				var info token.Info
				if method != "info" || json.Unmarshal(res.Result, &info) != nil {
					printf(cmd, "%s\n", compact(res.Result))
					return
				}
				issuer := info.Issuer.String()
				if info.Issuer == (address.Address{}) {
					issuer = "none (the native coin)"
				}
				printf(cmd, "symbol     %s\nname       %s\ndecimals   %d\nsupply     %s\nmax supply %s\nissuer     %s\n",
					info.Symbol, info.Name, info.Decimals, showAmount(cmd, c, info.Supply, info.Symbol),
					showAmount(cmd, c, info.MaxSupply, info.Symbol), issuer)
			})
		},
	}
	cmd.Flags().Int64Var(height, "height", 0, "read state at this height (0: latest)")
	addBaseUnitsFlag(cmd, "print")
	return cmd
}

// readCallCmd is `query call` and `query wasm call`: a read-only method
// at the latest (or --height) state, JSON args encoded by the node by the
// contract's ABI. The caller adds the --height flag.
func readCallCmd(short string, height *int64) *cobra.Command {
	return &cobra.Command{
		Use:   "call CONTRACT METHOD [JSON_ARGS]",
		Short: short,
		Args:  cobra.RangeArgs(2, 3),
		RunE: func(cmd *cobra.Command, args []string) error {
			js := "{}"
			if len(args) == 3 {
				js = args[2]
			}
			res, err := rpcClient(cmd).Call(cmd.Context(), args[0], args[1], rawJSON(js), *height)
			if err != nil {
				return err
			}
			return emit(cmd, res, func() { printf(cmd, "%s\n", compact(res.Result)) })
		},
	}
}

type rawJSON string

// MarshalJSON passes the user's JSON through unchanged (the node reports
// any error in it against the method's ABI).
func (r rawJSON) MarshalJSON() ([]byte, error) { return []byte(r), nil }

func printABI(cmd *cobra.Command, a *abi.ABI) {
	if a == nil {
		return
	}
	printf(cmd, "contract %s\n", a.Name)
	if a.Init != nil {
		printf(cmd, "  init args    %s\n", a.Init)
	}
	if a.Migrate != nil {
		printf(cmd, "  migrate args %s\n", a.Migrate)
	}
	for _, m := range a.Methods {
		ro := ""
		if m.ReadOnly {
			ro = " (read-only)"
		}
		printf(cmd, "  %s%s\n      args   %s\n      result %s\n", m.Name, ro, m.Args, m.Result)
	}
	for _, e := range a.Events {
		printf(cmd, "  event %s %s\n", e.Name, e.Type)
	}
}
