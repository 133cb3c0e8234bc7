package server_test

// Each vsys_* method on a real app: a one-validator node (real IAVL, real
// wasm), its app and CometBFT environment served by server.New over an
// httptest server, called as a dApp calls it — raw JSON-RPC.

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	rpccore "github.com/cometbft/cometbft/rpc/core"
	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/app"
	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/proof"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/core/tx"
	"github.com/vsys/vsys/internal/testkit"
	"github.com/vsys/vsys/internal/testkit/nodekit"
	"github.com/vsys/vsys/modules/database"
	"github.com/vsys/vsys/modules/token"
	"github.com/vsys/vsys/modules/wasm"
	"github.com/vsys/vsys/rpc"
	"github.com/vsys/vsys/rpc/client"
	"github.com/vsys/vsys/rpc/jsonrpc"
	"github.com/vsys/vsys/rpc/server"
)

const chainID = "server-chain"

// chain is the node, the server under test, and what setup committed.
type chain struct {
	t   *testing.T
	raw *jsonrpc.Client
	env *rpccore.Environment
	cl  *client.Client // the Go client, over the server under test
	key ed25519.PrivateKey
	dev address.Address

	carol       address.Address // received 1234 at sendHeight
	sendHeight  int64
	sendHash    []byte
	codeHash    []byte
	counter     address.Address // a counter contract, started at 5
	tableHeight int64           // table "items" of dev holds row 1 from here
	createdAt   int64           // the height whose block created table "items"
}

type row struct {
	ID   uint64
	Note string
}

func newChain(t *testing.T) *chain {
	t.Helper()
	home := nodekit.InitHome(t, chainID, nil)
	n := nodekit.Start(t, home)
	env, err := n.Env()
	require.NoError(t, err)
	hs := httptest.NewServer(server.New(server.Backend{App: n.App, Env: env, QueryGasCap: 50_000_000}, 1<<20))
	t.Cleanup(hs.Close)
	c := &chain{t: t, env: env, raw: jsonrpc.NewClient(hs.URL, nil), cl: client.New(hs.URL), key: nodekit.DevKey(t, home), dev: home.Result.DevAddress}
	c.carol = address.Derive("server-test", []byte("carol"))

	sent := c.send(tx.Call{Contract: token.Address, Method: "send", Args: testkit.Marshal(t, token.SendArgs{Token: "VSYS", To: c.carol, Amount: codec.NewU128(1234)})})
	c.sendHeight, c.sendHash = sent.Tx.Height, sent.Hash

	sent = c.send(tx.Call{Contract: wasm.Address, Method: "upload", Args: testkit.Marshal(t, wasm.UploadArgs{Code: testkit.Artifact(t, "counter")})})
	var hash rpc.HexBytes
	require.NoError(t, json.Unmarshal(sent.Tx.Results[0], &hash), "upload's result: %s", sent.Tx.Results[0])
	c.codeHash = hash
	sent = c.send(tx.Call{Contract: wasm.Address, Method: "instantiate", Funds: []tx.Coin{{Token: "VSYS", Amount: codec.NewU128(1_000_000)}},
		Args: testkit.Marshal(t, wasm.InstantiateArgs{CodeHash: c.codeHash, Label: "c", Admin: &c.dev, Args: testkit.Marshal(t, struct{ Start uint64 }{5})})})
	require.NoError(t, json.Unmarshal(sent.Tx.Results[0], &c.counter))

	schema := database.Schema{Columns: []database.Column{{Name: "id", Type: "u64"}, {Name: "note", Type: "string"}}, PrimaryKey: []string{"id"},
		Indexes: []database.Index{{Name: "by_note", Columns: []string{"note"}}}}
	created := c.send(tx.Call{Contract: database.Address, Method: "create_table", Args: testkit.Marshal(t, database.CreateTableArgs{Name: "items", Schema: schema})})
	c.createdAt = created.Tx.Height
	sent = c.send(tx.Call{Contract: database.Address, Method: "insert",
		Args: testkit.Marshal(t, database.RowArgs{Owner: c.dev, Table: "items", Row: testkit.Marshal(t, row{ID: 1, Note: "one"})})})
	c.tableHeight = sent.Tx.Height
	// One block more, so every height above is a committed, readable version.
	require.NoError(t, c.cl.WaitHeight(context.Background(), c.tableHeight+1))
	return c
}

// with is c reporting to t (a subtest's).
func (c *chain) with(t *testing.T) *chain {
	cc := *c
	cc.t = t
	return &cc
}

// send signs and submits calls through the server under test and waits
// for the tx to commit successfully.
func (c *chain) send(calls ...tx.Call) *client.Sent {
	c.t.Helper()
	sent, err := c.cl.Send(context.Background(), c.key, calls, client.SendOptions{})
	require.NoError(c.t, err)
	require.Equal(c.t, "ok", sent.Tx.Status, sent.Tx.Log)
	return sent
}

// call makes one raw JSON-RPC call: its result, or its error.
func (c *chain) call(method string, params ...any) (json.RawMessage, *jsonrpc.Error) {
	c.t.Helper()
	if params == nil {
		params = []any{}
	}
	var out json.RawMessage
	err := c.raw.Call(context.Background(), method, params, &out)
	if err == nil {
		return out, nil
	}
	var je *jsonrpc.Error
	require.True(c.t, errors.As(err, &je), "%s: not a JSON-RPC error: %v", method, err)
	return nil, je
}

// ok is call that must succeed, decoding the result into out.
func (c *chain) ok(out any, method string, params ...any) {
	c.t.Helper()
	res, je := c.call(method, params...)
	require.Nil(c.t, je, "%s: %v", method, je)
	require.NoError(c.t, json.Unmarshal(res, out), "%s: %s", method, res)
}

// invalidParams checks a call fails with -32602 and a message naming
// what was wrong.
func (c *chain) invalidParams(msg, method string, params ...any) {
	c.t.Helper()
	_, je := c.call(method, params...)
	require.NotNil(c.t, je, "%s %v: want invalid params", method, params)
	require.Equal(c.t, jsonrpc.CodeInvalidParams, je.Code, "%s: %s", method, je.Message)
	require.Contains(c.t, je.Message, msg, method)
}

// appErr checks a call fails with the application error of err: its
// codespace and code in data, and as the JSON-RPC code -32000 minus the
// vsys code (a module's own codes all answer -32017, "call failed").
func (c *chain) appErr(err error, msg, method string, params ...any) {
	c.t.Helper()
	_, je := c.call(method, params...)
	require.NotNil(c.t, je, "%s %v: want an application error", method, params)
	space, code := app.ResultOf(err)
	want := -32000 - int(code)
	if space != app.Codespace {
		want = -32000 - int(app.CodeCallFailed)
	}
	require.Equal(c.t, want, je.Code, "%s: %s", method, je.Message)
	var data struct {
		Code      uint32
		Codespace string
	}
	b, _ := json.Marshal(je.Data)
	require.NoError(c.t, json.Unmarshal(b, &data))
	require.Equal(c.t, [2]any{space, code}, [2]any{data.Codespace, data.Code}, "%s: %s", method, je.Message)
	require.Contains(c.t, je.Message, msg, method)
}

func (c *chain) balance(a address.Address, height any) codec.U128 {
	c.t.Helper()
	var acc rpc.Account
	c.ok(&acc, "vsys_getAccount", a.String(), height)
	for _, b := range acc.Balances {
		if b.Token == "VSYS" {
			return b.Amount
		}
	}
	return codec.U128{}
}

func TestMethods(t *testing.T) {
	c := newChain(t)
	t.Run("chainId and status", func(t *testing.T) {
		c := c.with(t)
		var id string
		c.ok(&id, "vsys_chainId")
		require.Equal(t, chainID, id)
		var st rpc.Status
		c.ok(&st, "vsys_status")
		require.Equal(t, chainID, st.ChainID)
		require.Equal(t, "VSYS", st.NativeToken)
		require.GreaterOrEqual(t, st.LatestHeight, c.tableHeight+1)
		require.NotZero(t, st.MaxGasPerTx)
		require.Len(t, st.LatestAppHash, 32)
		// total_txs is the sum of the stored blocks' txs.
		var sum uint64
		for h := int64(1); h <= st.TxsCountedHeight; h++ {
			var b rpc.Block
			c.ok(&b, "vsys_getBlock", h)
			sum += uint64(b.NumTxs)
		}
		require.NotZero(t, st.TxsCountedHeight)
		require.NotZero(t, sum, "the fixture chain has committed txs")
		require.Equal(t, sum, st.TotalTxs)
	})
	t.Run("blockNumber and getBlock", func(t *testing.T) {
		c := c.with(t)
		var h int64
		c.ok(&h, "vsys_blockNumber")
		require.GreaterOrEqual(t, h, c.tableHeight+1)
		var b rpc.Block
		c.ok(&b, "vsys_getBlock", c.sendHeight)
		require.Equal(t, c.sendHeight, b.Height)
		require.Equal(t, 1, b.NumTxs)
		require.Equal(t, rpc.HexBytes(c.sendHash), b.Txs[0])
		for _, height := range []any{fmt.Sprint(c.sendHeight), fmt.Sprintf("0x%x", c.sendHeight)} {
			var same rpc.Block
			c.ok(&same, "vsys_getBlock", height)
			require.Equal(t, b.Hash, same.Hash, "height as %v", height)
		}
		var latest rpc.Block
		c.ok(&latest, "vsys_getBlock", "latest")
		require.GreaterOrEqual(t, latest.Height, c.tableHeight)
		c.invalidParams(`param 1: height "true"`, "vsys_getBlock", true)
		c.invalidParams("want 0 to 1 params, got 2", "vsys_getBlock", 1, 2)
		_, je := c.call("vsys_getBlock", 1_000_000)
		require.NotNil(t, je, "a height past the chain")
		require.Contains(t, je.Message, "must be less than or equal to the current blockchain height")
	})
	t.Run("getAccount at heights", func(t *testing.T) {
		c := c.with(t)
		require.Equal(t, codec.NewU128(1234), c.balance(c.carol, "latest"))
		require.Equal(t, codec.NewU128(1234), c.balance(c.carol, c.sendHeight))
		require.True(t, c.balance(c.carol, c.sendHeight-1).IsZero(), "before the transfer")
		var acc rpc.Account
		c.ok(&acc, "vsys_getAccount", c.dev.String())
		require.Equal(t, uint64(5), acc.Nonce, "five txs sent")
		c.invalidParams("param 1: want a bech32 address string, got a JSON number", "vsys_getAccount", 5)
		c.invalidParams("want 1 to 2 params, got 0", "vsys_getAccount")
		_, je := c.call("vsys_getAccount", c.dev.String(), 1_000_000)
		require.NotNil(t, je, "a height not yet committed")
	})
	t.Run("getTransaction", func(t *testing.T) {
		c := c.with(t)
		var got rpc.Transaction
		c.ok(&got, "vsys_getTransaction", "0x"+hex.EncodeToString(c.sendHash))
		require.Equal(t, "ok", got.Status)
		require.Equal(t, c.sendHeight, got.Height)
		require.Equal(t, c.dev.String(), got.Sender)
		require.Equal(t, uint64(0), got.Nonce)
		require.Len(t, got.Calls, 1)
		require.Equal(t, "send", got.Calls[0].Method)
		require.JSONEq(t, fmt.Sprintf(`{"token":"VSYS","to":%q,"amount":"1234"}`, c.carol), string(got.Calls[0].Args), "args rendered by the ABI")
		require.Equal(t, []json.RawMessage{json.RawMessage(`{}`)}, got.Results)
		var types []string
		for _, e := range got.Events {
			types = append(types, e.Type)
		}
		require.Contains(t, types, "transfer")

		res, je := c.call("vsys_getTransaction", "0x"+strings.Repeat("ab", 32))
		require.Nil(t, je)
		require.Equal(t, "null", string(res), "an unknown tx is null")
		c.invalidParams("tx hash must be 32 bytes, got 2", "vsys_getTransaction", "0xabcd")
		c.invalidParams("param 1", "vsys_getTransaction", "not hex")
	})
	t.Run("sendRawTransaction errors", func(t *testing.T) {
		c := c.with(t)
		c.appErr(tx.ErrMalformed, "", "vsys_sendRawTransaction", "0x0102")
		body := tx.Body{ChainID: chainID, Nonce: 0, GasLimit: 100_000, GasPrice: codec.NewU128(1),
			Calls: []tx.Call{{Contract: token.Address, Method: "send", Args: testkit.Marshal(t, token.SendArgs{Token: "VSYS", To: c.carol, Amount: codec.NewU128(1)})}}}
		stale, err := tx.Sign(body, c.key)
		require.NoError(t, err)
		c.appErr(app.ErrBadNonce, "nonce", "vsys_sendRawTransaction", "0x"+hex.EncodeToString(stale.Bytes()))
		body.ChainID = "other-chain"
		wrong, err := tx.Sign(body, c.key)
		require.NoError(t, err)
		c.appErr(app.ErrWrongChain, "chain", "vsys_sendRawTransaction", "0x"+hex.EncodeToString(wrong.Bytes()))
		c.invalidParams("want 1 to 1 params, got 0", "vsys_sendRawTransaction")
	})
	t.Run("call", func(t *testing.T) {
		c := c.with(t)
		var res rpc.CallResult
		c.ok(&res, "vsys_call", map[string]any{"contract": "token", "method": "balance",
			"args": map[string]any{"address": c.carol.String(), "token": "VSYS"}})
		require.Equal(t, `"1234"`, string(res.Result))
		require.NotZero(t, res.GasUsed)
		require.GreaterOrEqual(t, res.Height, c.tableHeight+1)
		c.ok(&res, "vsys_call", map[string]any{"contract": "token", "method": "balance", "height": c.sendHeight - 1,
			"args": map[string]any{"address": c.carol.String(), "token": "VSYS"}})
		require.Equal(t, `"0"`, string(res.Result), "at the height before the transfer")
		require.Equal(t, c.sendHeight-1, res.Height)

		c.ok(&res, "vsys_call", map[string]any{"contract": c.counter.String(), "method": "get"})
		require.Equal(t, `"5"`, string(res.Result), "a wasm contract's view, args omitted")
		c.ok(&res, "vsys_call", map[string]any{"contract": c.counter.String(), "method": "get", "argsHex": "0x"})
		require.Equal(t, `"5"`, string(res.Result), "args as canonical bytes")

		c.appErr(router.ErrUnknownMethod, "nope", "vsys_call", map[string]any{"contract": "token", "method": "nope"})
		c.appErr(router.ErrUnknownContract, "", "vsys_call", map[string]any{"contract": c.carol.String(), "method": "get"})
		c.invalidParams("contract", "vsys_call", map[string]any{"contract": "no-such-module", "method": "get"})
		c.invalidParams("args for balance", "vsys_call", map[string]any{"contract": "token", "method": "balance", "args": map[string]any{"address": 7}})
		c.invalidParams("want an object {contract, method, args, height}", "vsys_call", "token")
		c.appErr(router.ErrReadOnlyCall, "", "vsys_call", map[string]any{"contract": c.counter.String(), "method": "increment", "args": map[string]any{"by": 1}})
	})
	t.Run("estimateGas", func(t *testing.T) {
		c := c.with(t)
		var acc rpc.Account
		c.ok(&acc, "vsys_getAccount", c.dev.String())
		pub := c.key.Public().(ed25519.PublicKey)
		probe := func(amount uint64) string {
			body := tx.Body{ChainID: chainID, PubKey: pub, Nonce: acc.Nonce, GasLimit: 1, GasPrice: codec.NewU128(1),
				Calls: []tx.Call{{Contract: token.Address, Method: "send", Args: testkit.Marshal(t, token.SendArgs{Token: "VSYS", To: c.carol, Amount: codec.NewU128(amount)})}}}
			p, err := tx.WithSignature(body, make([]byte, tx.SignatureLen))
			require.NoError(t, err)
			return "0x" + hex.EncodeToString(p.Bytes())
		}
		var est rpc.Estimate
		c.ok(&est, "vsys_estimateGas", probe(1))
		require.True(t, est.OK, est.Error)
		require.NotZero(t, est.GasUsed)
		require.Equal(t, []json.RawMessage{json.RawMessage(`{}`)}, est.Results)
		c.ok(&est, "vsys_estimateGas", probe(nodekit.DevBalance*2))
		require.False(t, est.OK, "more than the balance")
		require.Equal(t, app.CodeOf(token.ErrInsufficientFunds), est.Code)
		require.NotEmpty(t, est.Error)
		c.appErr(tx.ErrMalformed, "", "vsys_estimateGas", "0x00")
	})
	t.Run("getABI", func(t *testing.T) {
		c := c.with(t)
		var a struct{ Methods []struct{ Name string } }
		c.ok(&a, "vsys_getABI", "token")
		var names []string
		for _, m := range a.Methods {
			names = append(names, m.Name)
		}
		require.Contains(t, names, "send")
		c.ok(&a, "vsys_getABI", c.counter.String())
		require.NotEmpty(t, a.Methods)
		c.invalidParams("contract", "vsys_getABI", "no-such-module")
		c.appErr(router.ErrUnknownContract, "", "vsys_getABI", c.carol.String())
	})
	t.Run("getCode and getContract", func(t *testing.T) {
		c := c.with(t)
		var code rpc.CodeInfo
		c.ok(&code, "vsys_getCode", "0x"+hex.EncodeToString(c.codeHash))
		require.Equal(t, c.dev, code.Creator)
		require.Equal(t, uint32(len(testkit.Artifact(t, "counter"))), code.Size)
		require.NotNil(t, code.ABI)
		c.appErr(wasm.ErrCodeNotFound, "code not found", "vsys_getCode", "0x"+strings.Repeat("00", 32))
		var info rpc.ContractInfo
		c.ok(&info, "vsys_getContract", c.counter.String())
		require.Equal(t, "c", info.Label)
		require.Equal(t, rpc.HexBytes(c.codeHash), info.CodeHash)
		require.Equal(t, &c.dev, info.Admin)
		require.NotNil(t, info.ABI)
		c.appErr(wasm.ErrNotContract, "not a contract", "vsys_getContract", c.carol.String())
	})
	t.Run("tables", func(t *testing.T) {
		c := c.with(t)
		var tables []string
		c.ok(&tables, "vsys_listTables", c.dev.String())
		require.Equal(t, []string{"items"}, tables)
		c.ok(&tables, "vsys_listTables", c.dev.String(), c.createdAt-1)
		require.Empty(t, tables, "before create_table")
		var schema rpc.SchemaResult
		c.ok(&schema, "vsys_getSchema", map[string]any{"owner": c.dev.String(), "table": "items"})
		require.Equal(t, []string{"id"}, schema.Schema.PrimaryKey)
		c.appErr(database.ErrNoTable, "", "vsys_getSchema", map[string]any{"owner": c.dev.String(), "table": "nope"})

		var r rpc.RowResult
		c.ok(&r, "vsys_getRow", map[string]any{"owner": c.dev.String(), "table": "items", "key": map[string]any{"id": 1}, "prove": true})
		require.JSONEq(t, `{"id":"1","note":"one"}`, string(r.Row))
		require.NotNil(t, r.Proof)
		require.Len(t, r.AppHash, 32)
		c.ok(&r, "vsys_getRow", map[string]any{"owner": c.dev.String(), "table": "items", "key": map[string]any{"id": 1}, "height": c.tableHeight - 1})
		require.Equal(t, "null", string(r.Row), "before the insert")
		c.invalidParams("key (", "vsys_getRow", map[string]any{"owner": c.dev.String(), "table": "items", "key": map[string]any{"id": "x"}})

		var q rpc.QueryResult
		c.ok(&q, "vsys_queryTable", map[string]any{"owner": c.dev.String(), "table": "items", "index": "by_note", "prefix": map[string]any{"note": "one"}})
		require.Len(t, q.Rows, 1)
		require.JSONEq(t, `{"id":"1","note":"one"}`, string(q.Rows[0]))
		c.invalidParams(`no index "nope"`, "vsys_queryTable", map[string]any{"owner": c.dev.String(), "table": "items", "index": "nope"})
		c.invalidParams(`no column "size"`, "vsys_queryTable", map[string]any{"owner": c.dev.String(), "table": "items",
			"filters": []map[string]any{{"column": "size", "op": "eq", "value": 1}}})
	})
	t.Run("proveKey", func(t *testing.T) {
		c := c.with(t)
		// carol's VSYS balance in the token module's store, at the send.
		key := append(append(append(router.StorePrefix(token.Address), 'b'), c.carol[:]...), "VSYS"...)
		var p rpc.ProveResult
		c.ok(&p, "vsys_proveKey", map[string]any{"key": "0x" + hex.EncodeToString(key), "height": c.sendHeight})
		require.Equal(t, c.sendHeight, p.Height)
		w := codec.NewWriter(16)
		w.U128(codec.NewU128(1234))
		require.Equal(t, w.Bytes(), []byte(p.Value))
		cp, err := rpc.DecodeProof(&rpc.RowProof{Proof: p.Proof})
		require.NoError(t, err)
		require.NoError(t, proof.Verify(p.AppHash, cp, key, p.Value))
		require.Error(t, proof.Verify(p.AppHash, cp, key, []byte("other")))

		absent, err := c.cl.ProveKey(context.Background(), append(key, 'X'), 0)
		require.NoError(t, err)
		require.Empty(t, absent.Value)
		cp, err = rpc.DecodeProof(&rpc.RowProof{Proof: absent.Proof})
		require.NoError(t, err)
		require.NoError(t, proof.Verify(absent.AppHash, cp, append(key, 'X'), nil), "non-membership")
		c.invalidParams("key of 0 bytes", "vsys_proveKey", map[string]any{"key": "0x"})
	})
	t.Run("getBill and gasPrice", func(t *testing.T) {
		c := c.with(t)
		var b rpc.Bill
		c.ok(&b, "vsys_getBill", c.dev.String())
		require.NotZero(t, b.Bytes, "code, the contract record and the table")
		require.False(t, b.FeesPaid.IsZero())
		require.NotZero(t, b.GasUsed)
		var cats []string
		for _, cat := range b.Categories {
			cats = append(cats, cat.Category)
		}
		require.Contains(t, cats, "code")
		var early rpc.Bill
		c.ok(&early, "vsys_getBill", c.dev.String(), c.sendHeight)
		require.Less(t, early.GasUsed, b.GasUsed, "the bill at an earlier height")
		require.Equal(t, c.sendHeight, early.Height)
		var gp rpc.GasPrice
		c.ok(&gp, "vsys_gasPrice")
		require.Equal(t, "VSYS", gp.NativeToken)
		require.Equal(t, codec.NewU128(1), gp.StoragePricePerByte)
	})
	t.Run("without an app", func(t *testing.T) {
		// The kvstore baseline: the chain-agnostic methods only.
		hs := httptest.NewServer(server.New(server.Backend{Env: c.env}, 0))
		defer hs.Close()
		c := c.with(t)
		c.raw = jsonrpc.NewClient(hs.URL, nil)
		var id string
		c.ok(&id, "vsys_chainId")
		require.Equal(t, chainID, id)
		var h int64
		c.ok(&h, "vsys_blockNumber")
		require.Positive(t, h)
		for _, m := range []string{"vsys_getAccount", "vsys_call", "vsys_getBill"} {
			_, je := c.call(m, c.dev.String())
			require.NotNil(t, je, m)
			require.Equal(t, jsonrpc.CodeMethodNotFound, je.Code, m)
		}
	})
	t.Run("unknown method", func(t *testing.T) {
		c := c.with(t)
		_, je := c.call("vsys_nope")
		require.NotNil(t, je)
		require.Equal(t, jsonrpc.CodeMethodNotFound, je.Code)
	})
}
