package main

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/tx"
	"github.com/vsys/vsys/modules/wasm"
	"github.com/vsys/vsys/rpc"
	"github.com/vsys/vsys/rpc/client"
)

// wasmTxCmd is `vsysd tx wasm ...`: the contract lifecycle.
func wasmTxCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "wasm", Short: "Upload, instantiate, execute and migrate WASM contracts"}
	var size int
	upload := txSubCmdThen("upload FILE", "Upload a .wasm file; prints its code hash and size", 1,
		func(cmd *cobra.Command, _ *client.Client, args []string) ([]tx.Call, error) {
			b, err := os.ReadFile(args[0])
			if err != nil {
				return nil, err
			}
			size = len(b)
			return wasmCall("upload", wasm.UploadArgs{Code: b})
		}, func(cmd *cobra.Command, t *rpc.Transaction) {
			printResult(cmd, "code_hash", t)
			printf(cmd, "size %d\n", size)
		})

	instantiate := txSubCmdThen("instantiate CODE_HASH LABEL [JSON_INIT_ARGS]", "Create a contract from uploaded code; prints its address", 2,
		func(cmd *cobra.Command, c *client.Client, args []string) ([]tx.Call, error) {
			hash, initArgs, err := codeEntryArgs(cmd, c, args[0], "init", args[2:])
			if err != nil {
				return nil, err
			}
			a := wasm.InstantiateArgs{CodeHash: hash, Label: args[1], Args: initArgs}
			if noAdmin, _ := cmd.Flags().GetBool("no-admin"); !noAdmin {
				who, _ := cmd.Flags().GetString("admin")
				if who == "" {
					who, _ = cmd.Flags().GetString("from")
				}
				admin, err := resolveAddress(cmd, who)
				if err != nil {
					return nil, fmt.Errorf("--admin: %w", err)
				}
				a.Admin = &admin
			}
			calls, err := wasmCall("instantiate", a)
			if err != nil {
				return nil, err
			}
			return calls, attachFunds(cmd, c, &calls[0])
		}, func(cmd *cobra.Command, t *rpc.Transaction) { printResult(cmd, "contract", t) })
	instantiate.Args = cobra.RangeArgs(2, 3)
	instantiate.Flags().String("admin", "", "who may migrate it (address or key name; default: the signer)")
	instantiate.Flags().Bool("no-admin", false, "no admin: the contract can never be migrated")
	instantiate.Flags().String("funds", "", "coins to give the new contract, e.g. 1000 or 1000VSYS (it pays the storage deposit for its own state)")

	execute := txSubCmd("execute CONTRACT METHOD [JSON_ARGS]", "Call a contract method (same as `tx call`)", 2,
		func(cmd *cobra.Command, c *client.Client, args []string) ([]tx.Call, error) {
			return genericCall(cmd, c, args)
		})
	execute.Args = cobra.RangeArgs(2, 3)
	execute.Flags().String("funds", "", "coins to attach, e.g. 10VSYS,5ABC")

	migrate := txSubCmd("migrate CONTRACT CODE_HASH [JSON_MIGRATE_ARGS]", "Move a contract to new code (admin only)", 2,
		func(cmd *cobra.Command, c *client.Client, args []string) ([]tx.Call, error) {
			contract, err := address.Parse(args[0])
			if err != nil {
				return nil, err
			}
			hash, margs, err := codeEntryArgs(cmd, c, args[1], "migrate", args[2:])
			if err != nil {
				return nil, err
			}
			return wasmCall("migrate", wasm.MigrateArgs{Contract: contract, CodeHash: hash, Args: margs})
		})
	migrate.Args = cobra.RangeArgs(2, 3)

	updateAdmin := txSubCmd("update-admin CONTRACT NEW_ADMIN|none", "Change a contract's admin (admin only)", 2,
		func(cmd *cobra.Command, _ *client.Client, args []string) ([]tx.Call, error) {
			contract, err := address.Parse(args[0])
			if err != nil {
				return nil, err
			}
			a := wasm.UpdateAdminArgs{Contract: contract}
			if args[1] != "none" {
				admin, err := resolveAddress(cmd, args[1])
				if err != nil {
					return nil, err
				}
				a.Admin = &admin
			}
			return wasmCall("update_admin", a)
		})
	addBaseUnitsFlag(instantiate, "--funds are")
	addBaseUnitsFlag(execute, "--funds are")
	cmd.AddCommand(upload, instantiate, execute, migrate, updateAdmin)
	return cmd
}

// wasmQueryCmd is `vsysd query wasm ...`.
func wasmQueryCmd(height *int64) *cobra.Command {
	cmd := &cobra.Command{Use: "wasm", Short: "WASM contracts: call read-only methods, show code and contracts"}
	callCmd := readCallCmd("Run a read-only method at the latest (or --height) state", height)
	codeCmd := &cobra.Command{
		Use:   "code CODE_HASH",
		Short: "Uploaded code: creator, size, ABI",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			info, err := rpcClient(cmd).GetCode(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			return emit(cmd, info, func() {
				printf(cmd, "code     0x%x\ncreator  %s\nsize     %d bytes\nheight   %d\n", []byte(info.Hash), info.Creator, info.Size, info.Height)
				printABI(cmd, info.ABI)
			})
		},
	}
	contractCmd := &cobra.Command{
		Use:   "contract ADDRESS",
		Short: "A contract: code, admin, label, creator",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			info, err := rpcClient(cmd).GetContract(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			return emit(cmd, info, func() {
				admin := "none"
				if info.Admin != nil {
					admin = info.Admin.String()
				}
				printf(cmd, "contract %s\nlabel    %s\ncode     0x%x\nadmin    %s\ncreator  %s\ncreated  %d\n",
					info.Address, info.Label, []byte(info.CodeHash), admin, info.Creator, info.Created)
			})
		},
	}
	cmd.AddCommand(callCmd, codeCmd, contractCmd)
	return cmd
}

func wasmCall(method string, args any) ([]tx.Call, error) {
	return moduleCall(wasm.Address, method, args)
}

func parseCodeHash(s string) ([]byte, error) {
	h, err := hex.DecodeString(strings.TrimPrefix(strings.ToLower(s), "0x"))
	if err != nil || len(h) != 32 {
		return nil, fmt.Errorf("code hash %q: want 32 bytes of hex", s)
	}
	return h, nil
}

// codeEntryArgs parses the code hash hashArg and encodes the JSON args
// of the code's init or migrate entry point (entry) by the code's ABI.
func codeEntryArgs(cmd *cobra.Command, c *client.Client, hashArg, entry string, args []string) (hash, encoded []byte, err error) {
	if hash, err = parseCodeHash(hashArg); err != nil {
		return nil, nil, err
	}
	info, err := c.GetCode(cmd.Context(), hex.EncodeToString(hash))
	if err != nil {
		return nil, nil, fmt.Errorf("code %x: %w", hash, err)
	}
	t := info.ABI.Init
	if entry == "migrate" {
		t = info.ABI.Migrate
	}
	if encoded, err = entryArgs(t, entry, args); err != nil {
		return nil, nil, err
	}
	return hash, encoded, nil
}

// entryArgs encodes the JSON args of an init or migrate entry point.
func entryArgs(t *codec.Type, entry string, args []string) ([]byte, error) {
	if t == nil {
		if len(args) > 0 {
			return nil, fmt.Errorf("the code has no %s entry point taking arguments", entry)
		}
		return nil, nil
	}
	js := "{}"
	if len(args) > 0 {
		js = args[0]
	}
	b, err := codec.FromJSON(t, []byte(js))
	if err != nil {
		return nil, fmt.Errorf("%s args (%s): %w", entry, t, err)
	}
	return b, nil
}

// printResult prints the first call's result bare, for scripts:
// `vsysd tx wasm upload f.wasm ... | awk '/^code_hash/{print $2}'`.
func printResult(cmd *cobra.Command, label string, t *rpc.Transaction) {
	if len(t.Results) == 0 {
		return
	}
	var s string
	if json.Unmarshal(t.Results[0], &s) != nil {
		s = string(t.Results[0])
	}
	printf(cmd, "%s %s\n", label, s)
}
