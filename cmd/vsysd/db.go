package main

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/tx"
	"github.com/vsys/vsys/modules/database"
	"github.com/vsys/vsys/node"
	"github.com/vsys/vsys/rpc"
	"github.com/vsys/vsys/rpc/client"
)

// dbTxCmd is `vsysd tx db ...`: tables owned by an account, written
// without a contract.
func dbTxCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "db", Short: "Create tables and write rows (the signer owns its tables)"}
	create := txSubCmd("create-table NAME SCHEMA_JSON", `Create a table, e.g. '{"columns":[{"name":"id","type":"u64"},{"name":"owner","type":"address"}],"primary_key":["id"],"indexes":[{"name":"by_owner","columns":["owner"]}]}'`, 2,
		func(cmd *cobra.Command, _ *client.Client, args []string) ([]tx.Call, error) {
			var s database.Schema
			dec := json.NewDecoder(strings.NewReader(args[1]))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&s); err != nil {
				return nil, fmt.Errorf("schema JSON: %w", err)
			}
			return dbCall("create_table", database.CreateTableArgs{Name: args[0], Schema: s})
		})
	rowCmd := func(method, short string) *cobra.Command {
		return tableTxCmd(method+" TABLE ROW_JSON", short, "row", func(s *rpc.SchemaResult) *codec.Type { return s.RowType },
			func(owner address.Address, table string, row []byte) ([]tx.Call, error) {
				return dbCall(method, database.RowArgs{Owner: owner, Table: table, Row: row})
			})
	}
	del := tableTxCmd("delete TABLE KEY_JSON", "Delete the row with this primary key", "key", func(s *rpc.SchemaResult) *codec.Type { return s.KeyType },
		func(owner address.Address, table string, key []byte) ([]tx.Call, error) {
			return dbCall("delete", database.KeyArgs{Owner: owner, Table: table, Key: key})
		})
	grant := txSubCmd("grant TABLE ADDRESS", "Let ADDRESS write your table (--revoke takes it back)", 2,
		func(cmd *cobra.Command, _ *client.Client, args []string) ([]tx.Call, error) {
			to, err := resolveAddress(cmd, args[1])
			if err != nil {
				return nil, err
			}
			revoke, _ := cmd.Flags().GetBool("revoke")
			return dbCall("grant", database.GrantArgs{Table: args[0], To: to, Write: !revoke})
		})
	grant.Flags().Bool("revoke", false, "take write access back")
	cmd.AddCommand(create, rowCmd("insert", "Insert a row (its primary key must be new)"),
		rowCmd("update", "Replace an existing row"), rowCmd("upsert", "Insert or replace a row"), del, grant)
	return cmd
}

// tableTxCmd is a `tx db` subcommand on TABLE and one JSON argument (a
// row or a key, as what says), which it encodes by the type typeOf picks
// from the table's schema (the table of --owner, default the signer)
// before call makes the tx's call.
func tableTxCmd(use, short, what string, typeOf func(*rpc.SchemaResult) *codec.Type,
	call func(owner address.Address, table string, value []byte) ([]tx.Call, error)) *cobra.Command {
	c := txSubCmd(use, short, 2, func(cmd *cobra.Command, cl *client.Client, args []string) ([]tx.Call, error) {
		owner, schema, err := tableOf(cmd, cl, args[0])
		if err != nil {
			return nil, err
		}
		t := typeOf(schema)
		value, err := codec.FromJSON(t, []byte(args[1]))
		if err != nil {
			return nil, fmt.Errorf("%s (%s): %w", what, t, err)
		}
		return call(owner, args[0], value)
	})
	c.Flags().String("owner", "", "the table's owner (default: the signer)")
	return c
}

func dbCall(method string, args any) ([]tx.Call, error) {
	return moduleCall(database.Address, method, args)
}

// tableOf finds the table's owner (--owner, else the signer) and schema.
func tableOf(cmd *cobra.Command, c *client.Client, table string) (address.Address, *rpc.SchemaResult, error) {
	who, _ := cmd.Flags().GetString("owner")
	if who == "" {
		who, _ = cmd.Flags().GetString("from")
	}
	owner, err := resolveAddress(cmd, who)
	if err != nil {
		return owner, nil, fmt.Errorf("owner: %w", err)
	}
	s, err := c.GetSchema(cmd.Context(), owner, table, 0)
	if err != nil {
		return owner, nil, fmt.Errorf("table %s of %s: %w", table, owner, err)
	}
	return owner, s, nil
}

// dbQueryCmd is `vsysd query db ...`.
func dbQueryCmd(height *int64) *cobra.Command {
	cmd := &cobra.Command{Use: "db", Short: "Read tables: schema, rows, scans (with proofs)"}
	tables := &cobra.Command{
		Use: "tables OWNER", Short: "The tables an address owns", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			owner, err := resolveAddress(cmd, args[0])
			if err != nil {
				return err
			}
			names, err := rpcClient(cmd).ListTables(cmd.Context(), owner, *height)
			if err != nil {
				return err
			}
			return emit(cmd, names, func() {
				for _, n := range names {
					printf(cmd, "%s\n", n)
				}
			})
		},
	}
	schema := &cobra.Command{
		Use: "schema OWNER TABLE", Short: "A table's columns, key and indexes", Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			owner, err := resolveAddress(cmd, args[0])
			if err != nil {
				return err
			}
			s, err := rpcClient(cmd).GetSchema(cmd.Context(), owner, args[1], *height)
			if err != nil {
				return err
			}
			return emit(cmd, s, func() {
				printf(cmd, "table %s of %s\n", s.Table, s.Owner)
				for _, c := range s.Schema.Columns {
					printf(cmd, "  %-16s %s\n", c.Name, c.Type)
				}
				printf(cmd, "  primary key %s\n", strings.Join(s.Schema.PrimaryKey, ", "))
				for _, ix := range s.Schema.Indexes {
					u := ""
					if ix.Unique {
						u = "unique "
					}
					printf(cmd, "  %sindex %s (%s)\n", u, ix.Name, strings.Join(ix.Columns, ", "))
				}
			})
		},
	}
	row := &cobra.Command{
		Use: "row OWNER TABLE KEY_JSON", Short: "One row by primary key; --prove verifies it against the block header's app hash", Args: cobra.ExactArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			owner, err := resolveAddress(cmd, args[0])
			if err != nil {
				return err
			}
			prove, _ := cmd.Flags().GetBool("prove")
			c := rpcClient(cmd)
			res, err := c.GetRow(cmd.Context(), rpc.RowRequest{TableRef: rpc.TableRef{Owner: owner, Table: args[1], Height: rpc.Height(*height)},
				Key: json.RawMessage(args[2]), Prove: prove})
			if err != nil {
				return err
			}
			verified := ""
			if prove {
				v, err := rowVerifier(cmd, c)
				if err != nil {
					return err
				}
				req := rpc.RowRequest{TableRef: rpc.TableRef{Owner: owner, Table: args[1], Height: rpc.Height(*height)}, Key: json.RawMessage(args[2])}
				got, err := v.VerifyRow(cmd.Context(), req, res)
				if err != nil {
					return fmt.Errorf("proof: %w", err)
				}
				if err := v.Close(); err != nil {
					return err
				}
				res.Row = got.Row
				verified = fmt.Sprintf(" (proof verified against app hash 0x%x of height %d, from the header of block %d verified from trust root %d)",
					[]byte(got.AppHash), got.Height, got.Height+1, v.Root().Height)
			}
			return emit(cmd, res, func() { printf(cmd, "%s%s\n", compact(res.Row), verified) })
		},
	}
	row.Flags().Bool("prove", false, "ask for ICS23 proofs and verify them against a header verified by CometBFT's light client")
	row.Flags().String("comet-node", "", "CometBFT RPC of the node, for headers (default: the home's config.toml rpc.laddr, else 127.0.0.1:26657)")
	row.Flags().StringSlice("witness", nil, "CometBFT RPC of other nodes to cross-check headers with")
	row.Flags().Int64("trust-height", 0, "height of a header you trust (with --trust-hash; default: the home's trust/<chain-id>.json, recorded on first contact)")
	row.Flags().String("trust-hash", "", "hash (hex) of the header at --trust-height")
	row.Flags().Duration("trusting-period", client.DefaultTrustingPeriod, "how long a trusted header may serve as the root")
	scan := &cobra.Command{
		Use: "scan OWNER TABLE", Short: "Rows by primary key or an index: prefix, range, filters, order, pages", Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			owner, err := resolveAddress(cmd, args[0])
			if err != nil {
				return err
			}
			req := rpc.QueryRequest{TableRef: rpc.TableRef{Owner: owner, Table: args[1], Height: rpc.Height(*height)}}
			f := cmd.Flags()
			req.Index, _ = f.GetString("index")
			req.Reverse, _ = f.GetBool("reverse")
			req.Limit, _ = f.GetUint32("limit")
			if p, _ := f.GetString("prefix"); p != "" {
				if err := json.Unmarshal([]byte(p), &req.Prefix); err != nil {
					return fmt.Errorf("--prefix: want a JSON object of leading columns: %w", err)
				}
			}
			lower, _ := f.GetString("lower")
			upper, _ := f.GetString("upper")
			req.Lower, req.Upper = rawOrNil(lower), rawOrNil(upper)
			filters, _ := f.GetStringArray("where")
			for _, w := range filters {
				parts := strings.SplitN(w, " ", 3)
				if len(parts) != 3 {
					return fmt.Errorf("--where %q: want 'COLUMN OP JSON_VALUE', e.g. 'status eq \"shipped\"'", w)
				}
				req.Filters = append(req.Filters, rpc.QueryFilter{Column: parts[0], Op: parts[1], Value: json.RawMessage(parts[2])})
			}
			if cur, _ := f.GetString("cursor"); cur != "" {
				if req.Cursor, err = hex.DecodeString(strings.TrimPrefix(cur, "0x")); err != nil {
					return fmt.Errorf("--cursor: %w", err)
				}
			}
			all, _ := f.GetBool("all")
			c := rpcClient(cmd)
			query := c.QueryTable
			if all {
				query = c.QueryAll
			}
			out, err := query(cmd.Context(), req)
			if err != nil {
				return err
			}
			return emit(cmd, out, func() {
				for _, r := range out.Rows {
					printf(cmd, "%s\n", compact(r))
				}
				if len(out.Cursor) > 0 {
					printf(cmd, "next page: --cursor 0x%x --height %d\n", []byte(out.Cursor), out.Height)
				}
			})
		},
	}
	sf := scan.Flags()
	sf.String("index", "", "secondary index to scan (default: the primary key)")
	sf.String("prefix", "", `values of the key's leading columns, e.g. '{"owner":"vsys1..."}'`)
	sf.String("lower", "", "inclusive lower bound (JSON) on the next key column")
	sf.String("upper", "", "exclusive upper bound (JSON) on the next key column")
	sf.Bool("reverse", false, "descending order")
	sf.StringArray("where", nil, `filter 'COLUMN OP JSON_VALUE' (ops eq ne lt le gt ge); repeatable`)
	sf.Uint32("limit", 0, "rows per page (default 100, at most 1000)")
	sf.String("cursor", "", "continue from a previous page's cursor")
	sf.Bool("all", false, "follow cursors and print every page")
	cmd.AddCommand(tables, schema, row, scan)
	return cmd
}

func rawOrNil(s string) json.RawMessage {
	if s == "" {
		return nil
	}
	return json.RawMessage(s)
}

// rowVerifier makes the light-client verifier of `query db row --prove`:
// the root from --trust-height/--trust-hash, else the home's
// trust/<chain-id>.json, else the node's latest header, recorded there
// with a notice (trust on first use).
func rowVerifier(cmd *cobra.Command, c *client.Client) (*client.Verifier, error) {
	f := cmd.Flags()
	home, _ := f.GetString("home")
	comet, _ := f.GetString("comet-node")
	if comet == "" {
		comet = "tcp://127.0.0.1:26657"
		if cfg, err := node.LoadCometConfig(home); err == nil && cfg.RPC.ListenAddress != "" {
			comet = cfg.RPC.ListenAddress
		}
	}
	witnesses, _ := f.GetStringSlice("witness")
	period, _ := f.GetDuration("trusting-period")
	th, _ := f.GetInt64("trust-height")
	hash, _ := f.GetString("trust-hash")
	o := client.VerifierOptions{CometRPC: comet, Witnesses: witnesses, TrustingPeriod: period}
	if th != 0 || hash != "" {
		b, err := hex.DecodeString(strings.TrimPrefix(strings.TrimPrefix(hash, "0x"), "0X"))
		if err != nil || th <= 0 || len(b) != 32 {
			return nil, fmt.Errorf("--trust-height and --trust-hash go together: a height > 0 and a 32-byte header hash in hex")
		}
		o.Root = &client.TrustRoot{Height: th, Hash: b}
	}
	chainID, err := c.ChainID(cmd.Context())
	if err != nil {
		return nil, err
	}
	o.ChainID = chainID
	o.TrustFile = client.TrustFile(filepath.Join(home, "trust"), chainID)
	v, err := client.NewVerifier(cmd.Context(), o)
	if err != nil {
		return nil, err
	}
	if v.Recorded {
		r := v.Root()
		fmt.Fprintf(cmd.ErrOrStderr(), "trust root recorded on first contact: chain %s, height %d, header hash 0x%x, in %s.\n"+
			"It came from the node itself: compare the hash with a source you trust, or pass --trust-height and --trust-hash.\n",
			r.ChainID, r.Height, []byte(r.Hash), o.TrustFile)
	}
	return v, nil
}
