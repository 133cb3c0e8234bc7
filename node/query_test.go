package node_test

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/app/genesis"
	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/tx"
	"github.com/vsys/vsys/internal/testkit"
	"github.com/vsys/vsys/modules/wasm"
	"github.com/vsys/vsys/node"
	"github.com/vsys/vsys/rpc/client"
	"github.com/vsys/vsys/rpc/jsonrpc"
)

// readOnlyLoop is contracts/adversarial with its ABI (the vsys_abi custom
// section) declaring loop_forever read-only, so vsys_call may run it: the
// same code, the same endless loop.
func readOnlyLoop(t *testing.T) []byte {
	t.Helper()
	b := testkit.Artifact(t, "adversarial")
	out := append([]byte{}, b[:8]...) // magic and version
	for i := 8; i < len(b); {
		id := b[i]
		size, n := binary.Uvarint(b[i+1:])
		payload := b[i+1+n : i+1+n+int(size)]
		i += 1 + n + int(size)
		if id == 0 {
			nameLen, m := binary.Uvarint(payload)
			if name := string(payload[m : m+int(nameLen)]); name == "vsys_abi" {
				var a map[string]any
				require.NoError(t, json.Unmarshal(payload[m+int(nameLen):], &a))
				for _, meth := range a["methods"].([]any) {
					if mm := meth.(map[string]any); mm["name"] == "loop_forever" {
						mm["readonly"] = true
					}
				}
				abi, err := json.Marshal(a)
				require.NoError(t, err)
				payload = append(append(binary.AppendUvarint(nil, nameLen), name...), abi...)
			}
		}
		out = binary.AppendUvarint(append(out, id), uint64(len(payload)))
		out = append(out, payload...)
	}
	return out
}

// startQueryNode starts a node whose queries may burn gas for minutes
// (the gas cap and the tx gas ceiling are far above what the deadline
// lets run), so only the context can stop them, and deploys the
// read-only loop.
func startQueryNode(t *testing.T) (*node.Node, *client.Client, ed25519.PrivateKey, address.Address) {
	t.Helper()
	home, _ := initHomeWith(t, "query-chain", func(o *node.InitOptions) {
		o.DevBalance = codec.NewU128(1 << 60)
		o.App.RPC.QueryGasCap = 1 << 50
		o.App.RPC.QueryTimeout, o.App.RPC.WriteTimeout = "10m", "20m"
		g := genesis.Default()
		g.Params.MaxGasPerTx = 100_000_000_000
		g.Params.MaxBlockGas = 20 * g.Params.MaxGasPerTx
		o.Genesis = &g
	})
	n := start(t, home)
	t.Cleanup(func() { _ = n.Stop() })
	c := client.New(n.RPCAddr)
	key := devKey(t, home)

	code := readOnlyLoop(t)
	send := func(method string, args any, funds uint64) {
		b, err := codec.Marshal(args)
		require.NoError(t, err)
		call := tx.Call{Contract: wasm.Address, Method: method, Args: b}
		if funds > 0 {
			call.Funds = []tx.Coin{{Token: "VSYS", Amount: codec.NewU128(funds)}}
		}
		sent, err := c.Send(context.Background(), key, []tx.Call{call}, client.SendOptions{})
		require.NoError(t, err, method)
		require.Equal(t, "ok", sent.Tx.Status, sent.Tx.Log)
	}
	send("upload", wasm.UploadArgs{Code: code}, 0)
	hash := sha256.Sum256(code)
	send("instantiate", wasm.InstantiateArgs{CodeHash: hash[:], Label: "loop"}, 1_000_000)
	me := address.FromPubKey(key.Public().(ed25519.PublicKey))
	return n, c, key, address.Derive("wasm/contract", me[:], hash[:], []byte("loop"))
}

// loopTx is a probe tx (zero signature, as vsys_estimateGas takes) of
// loop_forever with a gas limit that lasts minutes.
func loopTx(t *testing.T, c *client.Client, key ed25519.PrivateKey, loop address.Address) []byte {
	t.Helper()
	st, err := c.Status(context.Background())
	require.NoError(t, err)
	pub := key.Public().(ed25519.PublicKey)
	acc, err := c.GetAccount(context.Background(), address.FromPubKey(pub), 0)
	require.NoError(t, err)
	args, _ := codec.Marshal(struct{}{})
	probe, err := tx.WithSignature(tx.Body{ChainID: st.ChainID, PubKey: pub, Nonce: acc.Nonce, GasLimit: st.MaxGasPerTx,
		GasPrice: st.MinGasPrice, Calls: []tx.Call{{Contract: loop, Method: "loop_forever", Args: args}}}, make([]byte, tx.SignatureLen))
	require.NoError(t, err)
	return probe.Bytes()
}

// TestQueryStopsWhenClientLeaves: a vsys_call or vsys_estimateGas of an
// endless loop stops when its HTTP client disconnects: the node counts
// the query stopped by context.Canceled and none left running. Before
// the fix the query ran on (for minutes here: its gas lasts that long).
func TestQueryStopsWhenClientLeaves(t *testing.T) {
	n, c, key, loop := startQueryNode(t)
	probe := loopTx(t, c, key, loop)
	queries := map[string]func(ctx context.Context) error{
		"vsys_call": func(ctx context.Context) error {
			_, err := c.Call(ctx, loop.String(), "loop_forever", struct{}{}, 0)
			return err
		},
		"vsys_estimateGas": func(ctx context.Context) error {
			_, err := c.EstimateGas(ctx, probe)
			return err
		},
	}
	for _, name := range []string{"vsys_call", "vsys_estimateGas"} {
		t.Run(name, func(t *testing.T) {
			before := n.App.QueryStats()
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- queries[name](ctx) }()
			require.Eventually(t, func() bool { return n.App.QueryStats().Running == 1 }, 30*time.Second, time.Millisecond)
			cancel() // the client goes away
			require.ErrorIs(t, <-done, context.Canceled)
			require.Eventually(t, func() bool {
				s := n.App.QueryStats()
				return s.Running == 0 && s.Canceled == before.Canceled+1
			}, 30*time.Second, 5*time.Millisecond, "the query must stop with context.Canceled: %+v", n.App.QueryStats())
		})
	}
}

// TestQueryDeadline: past rpc.query_timeout a vsys_call or
// vsys_estimateGas of an endless loop is stopped and the client gets
// CodeDeadline saying so. Before the fix there was no deadline.
func TestQueryDeadline(t *testing.T) {
	n, c, key, loop := startQueryNode(t)
	n.JSONRPC.SetHandlerTimeout(200 * time.Millisecond)
	probe := loopTx(t, c, key, loop)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	_, err := c.Call(ctx, loop.String(), "loop_forever", struct{}{}, 0)
	requireDeadline(t, err)
	_, err = c.EstimateGas(ctx, probe)
	requireDeadline(t, err)
	s := n.App.QueryStats()
	require.Equal(t, uint64(2), s.TimedOut, "%+v", s)
	require.Zero(t, s.Running)
}

func requireDeadline(t *testing.T, err error) {
	t.Helper()
	var e *jsonrpc.Error
	require.True(t, errors.As(err, &e), "want a JSON-RPC error, got %v", err)
	require.Equal(t, jsonrpc.CodeDeadline, e.Code, e.Message)
	require.Contains(t, e.Message, "query stopped after")
	require.Contains(t, e.Message, "deadline of 200ms")
}
