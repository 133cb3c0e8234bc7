package client_test

// The Go client's methods against a real node (real app, real IAVL, real
// wasm): what each returns, WaitTx, and the errors a caller sees.

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/tx"
	"github.com/vsys/vsys/internal/testkit"
	"github.com/vsys/vsys/internal/testkit/nodekit"
	"github.com/vsys/vsys/modules/database"
	"github.com/vsys/vsys/modules/token"
	"github.com/vsys/vsys/modules/wasm"
	"github.com/vsys/vsys/rpc"
	"github.com/vsys/vsys/rpc/client"
	"github.com/vsys/vsys/rpc/jsonrpc"
)

func sendArgs(t *testing.T, to address.Address, amount uint64) tx.Call {
	return tx.Call{Contract: token.Address, Method: "send", Args: testkit.Marshal(t, token.SendArgs{Token: "VSYS", To: to, Amount: codec.NewU128(amount)})}
}

func TestClientMethods(t *testing.T) {
	home := nodekit.InitHome(t, "client-chain", nil)
	n := nodekit.Start(t, home)
	cl := nodekit.Client(n)
	ctx := context.Background()
	key := nodekit.DevKey(t, home)
	dev := home.Result.DevAddress
	carol := address.Derive("client-test", []byte("carol"))

	id, err := cl.ChainID(ctx)
	require.NoError(t, err)
	require.Equal(t, "client-chain", id)
	st, err := cl.Status(ctx)
	require.NoError(t, err)
	require.Equal(t, "VSYS", st.NativeToken)
	gp, err := cl.GasPrice(ctx)
	require.NoError(t, err)
	require.Equal(t, st.MinGasPrice, gp.MinGasPrice)

	// Send estimates exactly, signs, submits and waits.
	sent, err := cl.Send(ctx, key, []tx.Call{sendArgs(t, carol, 1234)}, client.SendOptions{})
	require.NoError(t, err)
	require.Equal(t, "ok", sent.Tx.Status, sent.Tx.Log)
	require.Equal(t, int64(sent.Estimate.GasUsed), sent.Tx.GasUsed, "the estimate is exact")
	require.Equal(t, sent.Tx.GasWanted, sent.Tx.GasUsed, "the gas limit is the estimate")
	got, err := cl.WaitTx(ctx, sent.Hash)
	require.NoError(t, err)
	require.Equal(t, sent.Tx.Height, got.Height, "WaitTx of a committed tx returns it")
	same, err := cl.GetTransaction(ctx, sent.Hash)
	require.NoError(t, err)
	require.Equal(t, got, same)
	block, err := cl.GetBlock(ctx, sent.Tx.Height)
	require.NoError(t, err)
	require.Contains(t, block.Txs, rpc.HexBytes(sent.Hash))
	require.NoError(t, cl.WaitHeight(ctx, sent.Tx.Height+1))

	acc, err := cl.GetAccount(ctx, carol, 0)
	require.NoError(t, err)
	require.Equal(t, []rpc.Coin{{Token: "VSYS", Amount: codec.NewU128(1234)}}, acc.Balances)
	before, err := cl.GetAccount(ctx, carol, sent.Tx.Height-1)
	require.NoError(t, err)
	require.Empty(t, before.Balances, "at the height before the transfer")
	res, err := cl.Call(ctx, "token", "balance", map[string]any{"address": carol, "token": "VSYS"}, 0)
	require.NoError(t, err)
	require.Equal(t, `"1234"`, string(res.Result))
	a, err := cl.GetABI(ctx, "token")
	require.NoError(t, err)
	_, ok := a.Method("send")
	require.True(t, ok)

	// An explicit nonce and gas limit, without waiting; WaitTx then waits.
	nonce := uint64(1)
	nowait, err := cl.Send(ctx, key, []tx.Call{sendArgs(t, carol, 1)}, client.SendOptions{Nonce: &nonce, GasLimit: 100_000, NoWait: true})
	require.NoError(t, err)
	require.Nil(t, nowait.Tx)
	require.Nil(t, nowait.Estimate)
	waited, err := cl.WaitTx(ctx, nowait.Hash)
	require.NoError(t, err)
	require.Equal(t, "ok", waited.Status, waited.Log)
	require.Equal(t, int64(100_000), waited.GasWanted)

	// Contracts: upload, instantiate, read their records.
	up, err := cl.Send(ctx, key, []tx.Call{{Contract: wasm.Address, Method: "upload", Args: testkit.Marshal(t, wasm.UploadArgs{Code: testkit.Artifact(t, "counter")})}}, client.SendOptions{})
	require.NoError(t, err)
	hash := strings.Trim(string(up.Tx.Results[0]), `"`)
	code, err := cl.GetCode(ctx, hash)
	require.NoError(t, err)
	require.Equal(t, dev, code.Creator)
	inst, err := cl.Send(ctx, key, []tx.Call{{Contract: wasm.Address, Method: "instantiate", Funds: []tx.Coin{{Token: "VSYS", Amount: codec.NewU128(1_000_000)}},
		Args: testkit.Marshal(t, wasm.InstantiateArgs{CodeHash: code.Hash, Label: "c", Args: testkit.Marshal(t, struct{ Start uint64 }{9})})}}, client.SendOptions{})
	require.NoError(t, err)
	addr := strings.Trim(string(inst.Tx.Results[0]), `"`)
	info, err := cl.GetContract(ctx, addr)
	require.NoError(t, err)
	require.Equal(t, "c", info.Label)
	res, err = cl.Call(ctx, addr, "get", struct{}{}, 0)
	require.NoError(t, err)
	require.Equal(t, `"9"`, string(res.Result))

	// Tables: three rows read back one by one, a page at a time, and all.
	schema := database.Schema{Columns: []database.Column{{Name: "id", Type: "u64"}, {Name: "note", Type: "string"}}, PrimaryKey: []string{"id"}}
	calls := []tx.Call{{Contract: database.Address, Method: "create_table", Args: testkit.Marshal(t, database.CreateTableArgs{Name: "items", Schema: schema})}}
	for i, note := range []string{"a", "b", "c"} {
		row := testkit.Marshal(t, struct {
			ID   uint64
			Note string
		}{uint64(i + 1), note})
		calls = append(calls, tx.Call{Contract: database.Address, Method: "insert", Args: testkit.Marshal(t, database.RowArgs{Owner: dev, Table: "items", Row: row})})
	}
	tbl, err := cl.Send(ctx, key, calls, client.SendOptions{})
	require.NoError(t, err)
	require.NoError(t, cl.WaitHeight(ctx, tbl.Tx.Height+1))
	tables, err := cl.ListTables(ctx, dev, 0)
	require.NoError(t, err)
	require.Equal(t, []string{"items"}, tables)
	sch, err := cl.GetSchema(ctx, dev, "items", 0)
	require.NoError(t, err)
	require.Equal(t, []string{"id"}, sch.Schema.PrimaryKey)
	ref := rpc.TableRef{Owner: dev, Table: "items"}
	r, err := cl.GetRow(ctx, rpc.RowRequest{TableRef: ref, Key: []byte(`{"id":2}`)})
	require.NoError(t, err)
	require.JSONEq(t, `{"id":"2","note":"b"}`, string(r.Row))
	page, err := cl.QueryTable(ctx, rpc.QueryRequest{TableRef: ref, Limit: 2})
	require.NoError(t, err)
	require.Len(t, page.Rows, 2)
	require.NotEmpty(t, page.Cursor, "a page short of the end has a cursor")
	all, err := cl.QueryAll(ctx, rpc.QueryRequest{TableRef: ref, Limit: 2})
	require.NoError(t, err)
	require.Len(t, all.Rows, 3, "QueryAll follows the cursor")
	require.JSONEq(t, `{"id":"3","note":"c"}`, string(all.Rows[2]))
	bill, err := cl.GetBill(ctx, dev, 0)
	require.NoError(t, err)
	require.NotZero(t, bill.Bytes)

	// Errors: a tx the estimate says fails is not sent; node errors are
	// JSON-RPC errors with the result code.
	_, err = cl.Send(ctx, key, []tx.Call{sendArgs(t, carol, nodekit.DevBalance*2)}, client.SendOptions{})
	require.ErrorContains(t, err, "tx would fail")
	_, err = cl.GetCode(ctx, strings.Repeat("00", 32))
	var je *jsonrpc.Error
	require.True(t, errors.As(err, &je), "%v", err)
	require.Less(t, je.Code, jsonrpc.CodeServerError, "an application error")
	require.Contains(t, je.Message, "code not found")
	_, err = cl.Call(ctx, "token", "nope", struct{}{}, 0)
	require.ErrorContains(t, err, "unknown method")
	unknown, err := cl.GetTransaction(ctx, bytes.Repeat([]byte{7}, 32))
	require.NoError(t, err)
	require.Nil(t, unknown, "an unknown tx is nil, not an error")
}

// cancelAfter is a transport that cancels a context once n responses
// have been read whole: the client then sees its context end between
// polls, never in the middle of a request.
type cancelAfter struct {
	mu     sync.Mutex
	n      int
	cancel context.CancelFunc
}

func (c *cancelAfter) RoundTrip(req *http.Request) (*http.Response, error) {
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		return nil, err
	}
	res.Body = io.NopCloser(bytes.NewReader(body))
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n--; c.n == 0 {
		c.cancel()
	}
	return res, nil
}

// TestWaitTxTimeout: WaitTx of a tx that never commits ends with
// ErrTimeout when its context ends.
func TestWaitTxTimeout(t *testing.T) {
	home := nodekit.InitHome(t, "wait-chain", nil)
	n := nodekit.Start(t, home)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cl := client.NewWithHTTP(n.RPCAddr, &http.Client{Transport: &cancelAfter{n: 2, cancel: cancel}})
	_, err := cl.WaitTx(ctx, bytes.Repeat([]byte{9}, 32))
	require.ErrorIs(t, err, client.ErrTimeout)
}

// TestClientTransportErrors: a node that is down, or answers with an
// HTTP error, gives an error that says so.
func TestClientTransportErrors(t *testing.T) {
	ctx := context.Background()
	down := client.New(testkit.FreeAddr(t)) // reserved, nobody listens
	_, err := down.ChainID(ctx)
	require.ErrorContains(t, err, "connection refused")

	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "maintenance", http.StatusServiceUnavailable)
	}))
	defer hs.Close()
	_, err = client.New(hs.URL).BlockNumber(ctx)
	require.ErrorContains(t, err, "HTTP 503")
	require.ErrorContains(t, err, "maintenance")
}
