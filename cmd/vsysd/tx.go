package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/moduleid"
	"github.com/vsys/vsys/core/tx"
	"github.com/vsys/vsys/modules/token"
	"github.com/vsys/vsys/rpc"
	"github.com/vsys/vsys/rpc/client"
)

func txCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "tx", Short: "Sign and send transactions (waits for commit)"}
	tok := &cobra.Command{Use: "token", Short: "Native and issued tokens"}
	tok.AddCommand(
		txSubCmd("send TO AMOUNT", "Send AMOUNT (e.g. 100, 1.5 or 2.25ABC, in the token's display unit) to TO (address or key name)", 2,
			func(cmd *cobra.Command, c *client.Client, args []string) ([]tx.Call, error) {
				to, err := resolveAddress(cmd, args[0])
				if err != nil {
					return nil, err
				}
				amt, sym, err := parseAmount(cmd, c, args[1])
				if err != nil {
					return nil, err
				}
				return tokenCall("send", token.SendArgs{Token: sym, To: to, Amount: amt})
			}),
		txSubCmd("create SYMBOL NAME DECIMALS MAX_SUPPLY", "Create a token; you become its issuer (MAX_SUPPLY in its display unit)", 4,
			func(cmd *cobra.Command, _ *client.Client, args []string) ([]tx.Call, error) {
				var dec uint8
				if _, err := fmt.Sscanf(args[2], "%d", &dec); err != nil {
					return nil, fmt.Errorf("DECIMALS %q: %w", args[2], err)
				}
				var max codec.U128
				var err error
				if baseUnits(cmd) {
					max, err = codec.ParseU128(args[3])
				} else {
					max, err = parseDecimal(args[3], dec)
				}
				if err != nil {
					return nil, fmt.Errorf("MAX_SUPPLY: %w", err)
				}
				return tokenCall("create", token.CreateArgs{Symbol: args[0], Name: args[1], Decimals: dec, MaxSupply: max})
			}),
		tokenAmountCmd("issue", "Issue AMOUNT (e.g. 1000ABC, in the token's display unit) of a token you created, to yourself",
			func(sym string, amt codec.U128) any { return token.IssueArgs{Token: sym, Amount: amt} }),
		tokenAmountCmd("burn", "Destroy AMOUNT (e.g. 10ABC) of tokens you hold",
			func(sym string, amt codec.U128) any { return token.BurnArgs{Token: sym, Amount: amt} }),
	)
	call := txSubCmd("call CONTRACT METHOD [JSON_ARGS]", "Call any contract method; JSON args are encoded by its ABI", 2,
		func(cmd *cobra.Command, c *client.Client, args []string) ([]tx.Call, error) {
			return genericCall(cmd, c, args)
		})
	call.Args = cobra.RangeArgs(2, 3)
	call.Flags().String("funds", "", "coins to attach, e.g. 10VSYS,5ABC")
	for _, c := range append(tok.Commands(), call) {
		addBaseUnitsFlag(c, "AMOUNT, MAX_SUPPLY and --funds are")
	}
	cmd.AddCommand(tok, call, wasmTxCmd(), dbTxCmd(), interchainTxCmd())
	return cmd
}

// tokenAmountCmd is `tx token METHOD AMOUNT`: a token method whose only
// argument is an amount of one token, made into the method's args by args.
func tokenAmountCmd(method, short string, args func(sym string, amt codec.U128) any) *cobra.Command {
	return txSubCmd(method+" AMOUNT", short, 1, func(cmd *cobra.Command, c *client.Client, a []string) ([]tx.Call, error) {
		amt, sym, err := parseAmount(cmd, c, a[0])
		if err != nil {
			return nil, err
		}
		return tokenCall(method, args(sym, amt))
	})
}

type buildFunc func(cmd *cobra.Command, c *client.Client, args []string) ([]tx.Call, error)

// txSubCmd wires the flags every tx command shares around build.
func txSubCmd(use, short string, nargs int, build buildFunc) *cobra.Command {
	return txSubCmdThen(use, short, nargs, build, nil)
}

// txSubCmdThen is txSubCmd with then run on the committed, successful tx
// (to print what it made: a code hash, a contract address).
func txSubCmdThen(use, short string, nargs int, build buildFunc, then func(*cobra.Command, *rpc.Transaction)) *cobra.Command {
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		Args:  cobra.ExactArgs(nargs),
		RunE: func(cmd *cobra.Command, args []string) error {
			c := rpcClient(cmd)
			calls, err := build(cmd, c, args)
			if err != nil {
				return err
			}
			t, err := sendAndReport(cmd, c, calls)
			if err == nil && t != nil && then != nil && !jsonOutput(cmd) {
				then(cmd, t)
			}
			return err
		},
	}
	cmd.Flags().String("from", "", "key name that signs (required)")
	cmd.Flags().Uint64("gas", 0, "gas limit (0: estimate exactly)")
	cmd.Flags().String("gas-price", "", "gas price in the native coin's smallest unit (default: the chain minimum)")
	cmd.Flags().Bool("no-wait", false, "return once the mempool accepts the tx")
	cmd.Flags().Duration("timeout", 30*time.Second, "how long to wait for the commit")
	_ = cmd.MarkFlagRequired("from")
	addKeyringFlag(cmd)
	return cmd
}

// moduleCall is a one-call tx body for a native module's method.
func moduleCall(module address.Address, method string, args any) ([]tx.Call, error) {
	b, err := codec.Marshal(args)
	if err != nil {
		return nil, err
	}
	return []tx.Call{{Contract: module, Method: method, Args: b}}, nil
}

func tokenCall(method string, args any) ([]tx.Call, error) {
	return moduleCall(token.Address, method, args)
}

func genericCall(cmd *cobra.Command, c *client.Client, args []string) ([]tx.Call, error) {
	abiDoc, err := c.GetABI(cmd.Context(), args[0])
	if err != nil {
		return nil, fmt.Errorf("ABI of %s: %w", args[0], err)
	}
	m, ok := abiDoc.Method(args[1])
	if !ok {
		return nil, fmt.Errorf("%s has no method %q", abiDoc.Name, args[1])
	}
	js := "{}"
	if len(args) == 3 {
		js = args[2]
	}
	enc, err := codec.FromJSON(m.Args, []byte(js))
	if err != nil {
		return nil, fmt.Errorf("args for %s.%s (%s): %w", abiDoc.Name, m.Name, m.Args, err)
	}
	contract, err := lookupContract(args[0])
	if err != nil {
		return nil, err
	}
	call := tx.Call{Contract: contract, Method: m.Name, Args: enc}
	if err := attachFunds(cmd, c, &call); err != nil {
		return nil, err
	}
	return []tx.Call{call}, nil
}

// attachFunds adds --funds (e.g. "10VSYS,5ABC") to call.
func attachFunds(cmd *cobra.Command, c *client.Client, call *tx.Call) error {
	f, _ := cmd.Flags().GetString("funds")
	if f == "" {
		return nil
	}
	for _, part := range strings.Split(f, ",") {
		amt, sym, err := parseAmount(cmd, c, strings.TrimSpace(part))
		if err != nil {
			return fmt.Errorf("--funds: %w", err)
		}
		call.Funds = append(call.Funds, tx.Coin{Token: sym, Amount: amt})
	}
	return nil
}

// lookupContract accepts a native module's name (moduleid's table: "token",
// "staking", ...) or an address.
func lookupContract(s string) (address.Address, error) {
	if a, ok := moduleid.Lookup(s); ok {
		return a, nil
	}
	return address.Parse(s)
}

// sendAndReport signs, sends and prints; the committed tx comes back
// (nil with --no-wait).
func sendAndReport(cmd *cobra.Command, c *client.Client, calls []tx.Call) (*rpc.Transaction, error) {
	name, _ := cmd.Flags().GetString("from")
	key, err := signer(cmd, name)
	if err != nil {
		return nil, err
	}
	var o client.SendOptions
	o.GasLimit, _ = cmd.Flags().GetUint64("gas")
	o.NoWait, _ = cmd.Flags().GetBool("no-wait")
	if p, _ := cmd.Flags().GetString("gas-price"); p != "" {
		if o.GasPrice, err = codec.ParseU128(p); err != nil {
			return nil, fmt.Errorf("--gas-price: %w", err)
		}
	}
	timeout, _ := cmd.Flags().GetDuration("timeout")
	ctx, cancel := context.WithTimeout(cmd.Context(), timeout)
	defer cancel()
	sent, err := c.Send(ctx, key, calls, o)
	if err != nil {
		return nil, err
	}
	if sent.Tx == nil {
		return nil, emit(cmd, map[string]any{"hash": rpc.HexBytes(sent.Hash)}, func() {
			printf(cmd, "tx 0x%x accepted by the mempool\n", sent.Hash)
		})
	}
	if err := emit(cmd, sent.Tx, func() { printTx(cmd, c, sent.Tx) }); err != nil {
		return nil, err
	}
	if sent.Tx.Status != "ok" {
		return nil, fmt.Errorf("tx failed (%s code %d): %s", sent.Tx.Codespace, sent.Tx.Code, sent.Tx.Log)
	}
	return sent.Tx, nil
}

func signer(cmd *cobra.Command, name string) (ed25519.PrivateKey, error) {
	kr, err := openKeyring(cmd)
	if err != nil {
		return nil, err
	}
	key, err := kr.Signer(name)
	if err != nil {
		return nil, keyErr(cmd, name, err)
	}
	return key, nil
}

// resolveAddress accepts a bech32 address or the name of a key in the keyring.
func resolveAddress(cmd *cobra.Command, s string) (address.Address, error) {
	a, perr := address.Parse(s)
	if perr == nil {
		return a, nil
	}
	kr, err := openKeyring(cmd)
	if err != nil {
		return a, perr
	}
	k, err := kr.Show(s)
	if err != nil {
		return a, fmt.Errorf("%q is neither an address (%v) nor a key name: %w", s, perr, keyErr(cmd, s, err))
	}
	return k.Address, nil
}

// printTx prints a tx for people: each call with its funds (in the
// display unit) and result, long byte strings in the args shortened.
func printTx(cmd *cobra.Command, c *client.Client, t *rpc.Transaction) {
	printf(cmd, "tx     0x%x\nheight %d (index %d)\nstatus %s", []byte(t.Hash), t.Height, t.Index, t.Status)
	if t.Code != 0 {
		printf(cmd, " (%s code %d): %s", t.Codespace, t.Code, t.Log)
	}
	printf(cmd, "\ngas    %d used of %d\n", t.GasUsed, t.GasWanted)
	if t.Sender != "" {
		printf(cmd, "sender %s (nonce %d)\n", t.Sender, t.Nonce)
	}
	for i, call := range t.Calls {
		printf(cmd, "call   %s.%s %s\n", contractName(call.Contract), call.Method, elideBytes(compact(call.Args)))
		if len(call.Funds) > 0 {
			coins := make([]string, len(call.Funds))
			for j, f := range call.Funds {
				coins[j] = showAmount(cmd, c, f.Amount, f.Token)
			}
			printf(cmd, "funds  %s\n", strings.Join(coins, ", "))
		}
		if i < len(t.Results) {
			printf(cmd, "       -> %s\n", elideBytes(compact(t.Results[i])))
		}
	}
	for _, e := range t.Events {
		keys := make([]string, 0, len(e.Attributes))
		for k := range e.Attributes {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = k + "=" + e.Attributes[k]
		}
		printf(cmd, "event  %s %s\n", e.Type, strings.Join(parts, " "))
	}
}

// contractName is a module's name ("token") or the contract's address.
func contractName(a address.Address) string {
	for _, m := range moduleid.Contracts() {
		if m.Address() == a {
			return m.Name
		}
	}
	return a.String()
}

// longHex is a JSON string of more than 32 bytes of hex.
var longHex = regexp.MustCompile(`"0x([0-9a-fA-F]{2}){33,}"`)

// elideBytes shortens every long hex string in js to its first 8 bytes
// and its length: `tx wasm upload` printed the whole module as hex.
func elideBytes(js string) string {
	return longHex.ReplaceAllStringFunc(js, func(h string) string {
		n := (len(h) - 4) / 2
		return fmt.Sprintf(`"%s…(%d bytes)"`, h[1:19], n)
	})
}

// compact prints JSON on one line, keeping the ABI's field order.
func compact(js json.RawMessage) string {
	var b bytes.Buffer
	if err := json.Compact(&b, js); err != nil {
		return string(js)
	}
	return b.String()
}

var errNotFound = errors.New("not found")
