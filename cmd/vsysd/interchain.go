package main

// `vsysd tx interchain ...` and `vsysd query interchain ...`: the
// interchain module (docs/interchain.md, "CLI") from the command line.
// Clients are created and updated by `vsysd relay connect` and the
// relayer, so the tx commands here are the ones a person issues: a
// transfer, a counterparty registration, a validator's recovery vote.

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/tx"
	"github.com/vsys/vsys/modules/interchain"
	"github.com/vsys/vsys/modules/interchain/packet"
	"github.com/vsys/vsys/rpc"
	"github.com/vsys/vsys/rpc/client"
)

// defaultPacketTimeout is how far ahead a transfer's timeout is put
// unless --packet-timeout says otherwise (the module allows at most 24 h).
const defaultPacketTimeout = 10 * time.Minute

func interchainCall(method string, args any) ([]tx.Call, error) {
	return moduleCall(interchain.Address, method, args)
}

// interchainTxCmd is `vsysd tx interchain`.
func interchainTxCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "interchain", Short: "Interchain (IBC v2): transfers to other chains, counterparties, client recovery"}
	var timeout time.Duration
	var memo string
	transfer := txSubCmdThen("transfer CLIENT RECEIVER AMOUNT",
		"Send AMOUNT (e.g. 5, 1.5GEM or 3ibc/…, display units) through CLIENT to RECEIVER on the other chain (ICS-20)", 3,
		func(cmd *cobra.Command, c *client.Client, args []string) ([]tx.Call, error) {
			if timeout <= 0 || timeout > 24*time.Hour {
				return nil, fmt.Errorf("--packet-timeout %v: want more than 0 and at most 24h (the module's limit)", timeout)
			}
			receiver, err := transferReceiver(cmd, args[1])
			if err != nil {
				return nil, err
			}
			amt, sym, err := parseAmount(cmd, c, args[2])
			if err != nil {
				return nil, err
			}
			return interchainCall("transfer", interchain.TransferArgs{SourceClient: args[0], Denom: sym, Amount: amt,
				Receiver: receiver, Memo: memo, TimeoutTimestamp: uint64(time.Now().Add(timeout).Unix())})
		}, printSequence)
	transfer.Flags().DurationVar(&timeout, "packet-timeout", defaultPacketTimeout,
		"time the packet out (and refund it) if the other chain has not received it this long from now, by its block time")
	transfer.Flags().StringVar(&memo, "memo", "", "the transfer's memo, carried to the other chain")
	addBaseUnitsFlag(transfer, "AMOUNT is")

	var prefix string
	register := txSubCmd("register-counterparty CLIENT COUNTERPARTY_CLIENT",
		"Name the client on the other chain that tracks this one (CLIENT's creator, once; `vsysd relay connect` does it)", 2,
		func(_ *cobra.Command, _ *client.Client, args []string) ([]tx.Call, error) {
			mp := interchain.MerklePrefix()
			if prefix != "" {
				b, err := hex.DecodeString(strings.TrimPrefix(prefix, "0x"))
				if err != nil || len(b) == 0 {
					return nil, fmt.Errorf("--merkle-prefix %q: want hex bytes", prefix)
				}
				mp = [][]byte{b}
			}
			return interchainCall("register_counterparty", interchain.RegisterArgs{ClientID: args[0],
				CounterpartyClientID: args[1], CounterpartyMerklePrefix: mp})
		})
	register.Flags().StringVar(&prefix, "merkle-prefix", "", "the other chain's merkle prefix, hex (default: a vsys chain's, 'c' ‖ the interchain module's address)")

	recover := txSubCmdThen("recover-client SUBJECT SUBSTITUTE",
		"Vote, as a validator, to recover the frozen or expired client SUBJECT from the active client SUBSTITUTE of the same chain", 2,
		func(_ *cobra.Command, _ *client.Client, args []string) ([]tx.Call, error) {
			return interchainCall("recover_client", interchain.RecoverArgs{SubjectClientID: args[0], SubstituteClientID: args[1]})
		}, func(cmd *cobra.Command, t *rpc.Transaction) {
			var r interchain.RecoverResult
			if len(t.Results) == 1 && decodeResult(t.Results[0], &r) == nil {
				printf(cmd, "voted  %d of %d power; recovered: %v\n", r.VotedPower, r.TotalPower, r.Recovered)
			}
		})
	cmd.AddCommand(transfer, register, recover)
	return cmd
}

// printSequence prints the sequence a send returned.
func printSequence(cmd *cobra.Command, t *rpc.Transaction) {
	var seq uint64
	if len(t.Results) == 1 && decodeResult(t.Results[0], &seq) == nil {
		printf(cmd, "sequence %d\n", seq)
	}
}

// transferReceiver is RECEIVER: a vsys address or a key name of this
// keyring (vsys addresses are the same on every vsys chain).
func transferReceiver(cmd *cobra.Command, s string) (string, error) {
	a, err := resolveAddress(cmd, s)
	if err != nil {
		return "", fmt.Errorf("RECEIVER: %w", err)
	}
	return a.String(), nil
}

// decodeResult reads a method's JSON result (the ABI's JSON mapping)
// into out through out's codec type, so a field of another name or type
// is an error rather than a zero.
func decodeResult(js json.RawMessage, out any) error {
	t, err := codec.TypeOfReflect(reflect.TypeOf(out).Elem())
	if err != nil {
		return err
	}
	b, err := codec.FromJSON(t, js)
	if err != nil {
		return fmt.Errorf("result %s: %w", elideBytes(compact(js)), err)
	}
	return codec.Unmarshal(b, out)
}

// icQuery runs a read-only interchain method and decodes its result.
func icQuery(cmd *cobra.Command, height int64, method string, args, out any) (*rpc.CallResult, error) {
	// The args go canonically encoded (args_hex), from the module's own
	// Go types, rather than as JSON.
	enc, err := codec.Marshal(args)
	if err != nil {
		return nil, fmt.Errorf("interchain %s args: %w", method, err)
	}
	req := rpc.CallRequest{Contract: interchain.Address.String(), Method: method, ArgsHex: enc, Height: rpc.Height(height)}
	res := &rpc.CallResult{}
	if err := rpcClient(cmd).RPC().Call(cmd.Context(), rpc.MethodCall, []any{req}, res); err != nil {
		return nil, fmt.Errorf("interchain %s: %w", method, err)
	}
	if err := decodeResult(res.Result, out); err != nil {
		return nil, fmt.Errorf("interchain %s: %w", method, err)
	}
	return res, nil
}

// statusNow is the chain's latest block time in Unix seconds: what a
// client's status is judged at (a read-only query has no block time).
func statusNow(ctx context.Context, c *client.Client) (int64, error) {
	st, err := c.Status(ctx)
	if err != nil {
		return 0, err
	}
	return st.LatestBlockTime.Unix(), nil
}

func parseSeq(s string) (uint64, error) {
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil || n == 0 {
		return 0, fmt.Errorf("SEQ %q: want a packet sequence, 1 or more", s)
	}
	return n, nil
}

// interchainQueryCmd is `vsysd query interchain`; height is --height.
func interchainQueryCmd(height *int64) *cobra.Command {
	cmd := &cobra.Command{Use: "interchain", Short: "Interchain clients, counterparties, packets, receipts and acknowledgements"}
	q := func(use, short string, nargs int, run func(cmd *cobra.Command, args []string) error) *cobra.Command {
		c := &cobra.Command{Use: use, Short: short, Args: cobra.ExactArgs(nargs), RunE: run}
		c.Flags().Int64Var(height, "height", 0, "read state at this height (0: latest)")
		return c
	}
	clientCmd := func(cmd *cobra.Command, args []string) error {
		now, err := statusNow(cmd.Context(), rpcClient(cmd))
		if err != nil {
			return err
		}
		if len(args) == 1 {
			var ci interchain.ClientInfo
			res, err := icQuery(cmd, *height, "client", interchain.ClientArgs{ClientID: args[0], Now: now}, &ci)
			if err != nil {
				return err
			}
			return emit(cmd, res.Result, func() { printClients(cmd, []interchain.ClientInfo{ci}) })
		}
		var cis []interchain.ClientInfo
		res, err := icQuery(cmd, *height, "clients", interchain.ClientsArgs{Limit: 1000, Now: now}, &cis)
		if err != nil {
			return err
		}
		return emit(cmd, res.Result, func() { printClients(cmd, cis) })
	}
	cmd.AddCommand(
		q("clients", "Every client of this chain: the chain it tracks, status, latest height, expiry", 0, clientCmd),
		q("client ID", "One client's status (Active, Expired or Frozen), latest height and expiry", 1, clientCmd),
		q("counterparty ID", "The client on the other chain registered as ID's counterparty, and its merkle prefix", 1,
			func(cmd *cobra.Command, args []string) error {
				var cp interchain.Counterparty
				res, err := icQuery(cmd, *height, "counterparty", interchain.ClientArgs{ClientID: args[0]}, &cp)
				if err != nil {
					return err
				}
				return emit(cmd, res.Result, func() {
					printf(cmd, "client        %s\ncounterparty  %s\nmerkle prefix", args[0], cp.ClientID)
					for _, p := range cp.MerklePrefix {
						printf(cmd, " 0x%x", p)
					}
					printf(cmd, "\n")
				})
			}),
		q("pending CLIENT", "Packets sent through CLIENT and not yet acknowledged or timed out", 1,
			func(cmd *cobra.Command, args []string) error { return pendingCmd(cmd, *height, args[0], false) }),
		q("commitments CLIENT", "The packet commitments CLIENT holds (one per pending packet), by sequence", 1,
			func(cmd *cobra.Command, args []string) error { return pendingCmd(cmd, *height, args[0], true) }),
		q("packet CLIENT SEQ", "A sent packet's commitment (present until it is acknowledged or timed out)", 2,
			func(cmd *cobra.Command, args []string) error { return entryCmd(cmd, *height, "commitment", args) }),
		q("receipt CLIENT SEQ", "A received packet's receipt, by the receiving client", 2,
			func(cmd *cobra.Command, args []string) error { return entryCmd(cmd, *height, "receipt", args) }),
		q("ack CLIENT SEQ", "A received packet's acknowledgement, by the receiving client", 2,
			func(cmd *cobra.Command, args []string) error { return entryCmd(cmd, *height, "acknowledgement", args) }),
		q("denom-trace DENOM", "The path of a voucher denom (ibc/…): the hops it came through and its base denom", 1,
			func(cmd *cobra.Command, args []string) error {
				var path string
				res, err := icQuery(cmd, *height, "denom_trace", interchain.DenomArgs{Denom: args[0]}, &path)
				if err != nil {
					return err
				}
				return emit(cmd, res.Result, func() { printf(cmd, "%s\n", path) })
			}),
		q("escrow DENOM", "How much of DENOM the transfer app holds in escrow for other chains (smallest unit)", 1,
			func(cmd *cobra.Command, args []string) error {
				var amt codec.U128
				res, err := icQuery(cmd, *height, "total_escrow", interchain.DenomArgs{Denom: args[0]}, &amt)
				if err != nil {
					return err
				}
				return emit(cmd, res.Result, func() { printf(cmd, "%s\n", amt) })
			}),
	)
	return cmd
}

func printClients(cmd *cobra.Command, cis []interchain.ClientInfo) {
	if len(cis) == 0 {
		printf(cmd, "no clients\n")
		return
	}
	printf(cmd, "%-20s %-24s %-8s %10s  %s\n", "CLIENT", "TRACKS", "STATUS", "HEIGHT", "EXPIRES")
	for _, ci := range cis {
		exp := time.Unix(ci.ExpiresAt, 0).UTC().Format(time.RFC3339)
		if ci.FrozenHeight != 0 {
			exp = "frozen"
		}
		printf(cmd, "%-20s %-24s %-8s %10d  %s\n", ci.ClientID, ci.ChainID, ci.Status, ci.LatestHeight, exp)
	}
}

// pendingCmd lists CLIENT's pending packets (at most 1000, from the
// oldest), or with commitments their sequences and commitments.
func pendingCmd(cmd *cobra.Command, height int64, clientID string, commitments bool) error {
	var ps []packet.Packet
	res, err := icQuery(cmd, height, "pending", interchain.PendingArgs{ClientID: clientID, Limit: 1000}, &ps)
	if err != nil {
		return err
	}
	if commitments {
		type commitment struct {
			Sequence   uint64       `json:"sequence,string"`
			Commitment rpc.HexBytes `json:"commitment"`
		}
		out := make([]commitment, len(ps))
		for i, p := range ps {
			out[i] = commitment{Sequence: p.Sequence, Commitment: packet.CommitPacket(p)}
		}
		return emit(cmd, out, func() {
			for _, c := range out {
				printf(cmd, "%d 0x%x\n", c.Sequence, []byte(c.Commitment))
			}
		})
	}
	return emit(cmd, res.Result, func() {
		if len(ps) == 0 {
			printf(cmd, "no pending packets\n")
		}
		for _, p := range ps {
			ports := make([]string, len(p.Payloads))
			for i, pl := range p.Payloads {
				ports[i] = pl.SourcePort + "->" + pl.DestPort
			}
			printf(cmd, "%d  to %s  timeout %s  %s\n", p.Sequence, p.DestClient,
				time.Unix(int64(p.TimeoutTimestamp), 0).UTC().Format(time.RFC3339), strings.Join(ports, ", "))
		}
	})
}

// entryCmd is a packet's commitment, receipt or acknowledgement: found
// or not, its provable key and value.
func entryCmd(cmd *cobra.Command, height int64, method string, args []string) error {
	seq, err := parseSeq(args[1])
	if err != nil {
		return err
	}
	a := interchain.SeqArgs{ClientID: args[0], Sequence: seq}
	var e interchain.Entry
	var ack interchain.AckEntry
	var res *rpc.CallResult
	if method == "acknowledgement" {
		res, err = icQuery(cmd, height, method, a, &ack)
		e = ack.Entry
	} else {
		res, err = icQuery(cmd, height, method, a, &e)
	}
	if err != nil {
		return err
	}
	return emit(cmd, res.Result, func() {
		if !e.Found {
			printf(cmd, "no %s for %s sequence %d (height %d)\n", method, args[0], seq, res.Height)
			return
		}
		printf(cmd, "%s %s/%d (height %d)\nkey   0x%x\nvalue 0x%x\n", method, args[0], seq, res.Height, e.Key, e.Value)
		if method == "acknowledgement" {
			status := "success"
			if !ack.Acknowledgement.Success() {
				status = "error"
			}
			printf(cmd, "ack   %s", status)
			for _, app := range ack.Acknowledgement.AppAcks {
				printf(cmd, " %q", app)
			}
			printf(cmd, "\n")
		}
	})
}
