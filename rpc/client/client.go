package client

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/vsys/vsys/core/abi"
	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/rpc"

	"github.com/vsys/vsys/core/tx"
	"github.com/vsys/vsys/rpc/jsonrpc"
)

// ErrTimeout is returned when a tx is not committed in time.
var ErrTimeout = errors.New("timed out waiting for the tx to commit")

// Client talks to one node.
type Client struct {
	rpc *jsonrpc.Client
	URL string
}

// New returns a client for url ("http://127.0.0.1:8645"; a bare host:port
// gets http://).
func New(url string) *Client { return NewWithHTTP(url, nil) }

// NewWithHTTP is New with a caller's http.Client (nil: jsonrpc's default).
func NewWithHTTP(url string, hc *http.Client) *Client {
	if !strings.Contains(url, "://") {
		url = "http://" + url
	}
	return &Client{rpc: jsonrpc.NewClient(url, hc), URL: url}
}

// RPC exposes the raw JSON-RPC client (batches).
func (c *Client) RPC() *jsonrpc.Client { return c.rpc }

// ChainID returns the chain id.
func (c *Client) ChainID(ctx context.Context) (string, error) {
	var s string
	return s, c.rpc.Call(ctx, rpc.MethodChainID, nil, &s)
}

// BlockNumber returns the latest committed height.
func (c *Client) BlockNumber(ctx context.Context) (int64, error) {
	var h int64
	return h, c.rpc.Call(ctx, rpc.MethodBlockNumber, nil, &h)
}

// GetBlock returns the block at height (0 = latest).
func (c *Client) GetBlock(ctx context.Context, height int64) (*rpc.Block, error) {
	var b *rpc.Block
	var p any = "latest"
	if height > 0 {
		p = height
	}
	return b, c.rpc.Call(ctx, rpc.MethodGetBlock, []any{p}, &b)
}

// SendRawTransaction submits tx bytes and returns the tx hash once the
// node's mempool accepted it.
func (c *Client) SendRawTransaction(ctx context.Context, raw []byte) ([]byte, error) {
	var h rpc.HexBytes
	return h, c.rpc.Call(ctx, rpc.MethodSendRawTransaction, []any{rpc.HexBytes(raw)}, &h)
}

// GetTransaction returns a committed tx, or nil if the node has none.
func (c *Client) GetTransaction(ctx context.Context, hash []byte) (*rpc.Transaction, error) {
	var t *rpc.Transaction
	return t, c.rpc.Call(ctx, rpc.MethodGetTransaction, []any{rpc.HexBytes(hash)}, &t)
}

// GetAccount returns an account at height (0 = latest).
func (c *Client) GetAccount(ctx context.Context, addr address.Address, height int64) (*rpc.Account, error) {
	var a rpc.Account
	return &a, c.rpc.Call(ctx, rpc.MethodGetAccount, []any{addr, height}, &a)
}

// Call runs a read-only method with JSON args.
func (c *Client) Call(ctx context.Context, contract, method string, args any, height int64) (*rpc.CallResult, error) {
	js, err := json.Marshal(args)
	if err != nil {
		return nil, err
	}
	var r rpc.CallResult
	req := rpc.CallRequest{Contract: contract, Method: method, Args: js, Height: rpc.Height(height)}
	return &r, c.rpc.Call(ctx, rpc.MethodCall, []any{req}, &r)
}

// EstimateGas simulates a tx (its signature is not checked).
func (c *Client) EstimateGas(ctx context.Context, raw []byte) (*rpc.Estimate, error) {
	var e rpc.Estimate
	return &e, c.rpc.Call(ctx, rpc.MethodEstimateGas, []any{rpc.HexBytes(raw)}, &e)
}

// GetABI returns a contract's ABI by module name or address.
func (c *Client) GetABI(ctx context.Context, contract string) (*abi.ABI, error) {
	var a abi.ABI
	return &a, c.rpc.Call(ctx, rpc.MethodGetABI, []any{contract}, &a)
}

// WaitTx polls until the tx is committed or ctx ends.
func (c *Client) WaitTx(ctx context.Context, hash []byte) (*rpc.Transaction, error) {
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		t, err := c.GetTransaction(ctx, hash)
		if err != nil {
			return nil, err
		}
		if t != nil {
			return t, nil
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("%w: %x", ErrTimeout, hash)
		case <-tick.C:
		}
	}
}

// SendOptions tune Send.
type SendOptions struct {
	GasLimit uint64     // 0: estimate exactly
	GasPrice codec.U128 // zero: the chain's minimum
	Nonce    *uint64    // nil: the account's next nonce
	NoWait   bool       // return after the mempool accepts it
}

// Sent is the outcome of Send.
type Sent struct {
	Hash     []byte
	Nonce    uint64 // the tx's nonce: the next tx of the key takes Nonce+1
	Estimate *rpc.Estimate
	Tx       *rpc.Transaction // nil with NoWait
}

// Send builds, estimates, signs, submits and (unless NoWait) waits for a
// tx making calls as key. With GasLimit 0 the gas limit is exactly the
// estimate: vsys_estimateGas of the same body with a zero signature (the
// probe rules of docs/transactions.md: its gas limit is ignored, and
// neither it nor the signature changes the tx's length).
func (c *Client) Send(ctx context.Context, key ed25519.PrivateKey, calls []tx.Call, o SendOptions) (*Sent, error) {
	st, err := c.Status(ctx)
	if err != nil {
		return nil, err
	}
	pub := key.Public().(ed25519.PublicKey)
	from := address.FromPubKey(pub)
	acc, err := c.GetAccount(ctx, from, 0)
	if err != nil {
		return nil, err
	}
	body := tx.Body{ChainID: st.ChainID, PubKey: pub, Nonce: acc.Nonce, GasLimit: o.GasLimit, GasPrice: o.GasPrice, Calls: calls}
	if o.Nonce != nil {
		body.Nonce = *o.Nonce
	}
	if body.GasPrice.IsZero() {
		body.GasPrice = st.MinGasPrice
	}
	out := &Sent{}
	if body.GasLimit == 0 {
		est, err := c.estimate(ctx, body)
		if err != nil {
			return nil, err
		}
		out.Estimate = est
		body.GasLimit = est.GasUsed
	}
	out.Nonce = body.Nonce
	signed, err := tx.Sign(body, key)
	if err != nil {
		return nil, err
	}
	if out.Hash, err = c.SendRawTransaction(ctx, signed.Bytes()); err != nil {
		return nil, err
	}
	if o.NoWait {
		return out, nil
	}
	out.Tx, err = c.WaitTx(ctx, out.Hash)
	return out, err
}

// Estimate simulates calls as pub's account at its committed nonce and
// the chain's minimum gas price, as Send does before it signs; an
// estimate that is not OK is returned as an error. A caller sending
// several txs back to back (explicit nonces, NoWait) estimates each this
// way and sends it with the estimate as its gas limit: the node checks a
// probe's nonce against committed state, not the mempool's.
func (c *Client) Estimate(ctx context.Context, pub ed25519.PublicKey, calls []tx.Call) (*rpc.Estimate, error) {
	st, err := c.Status(ctx)
	if err != nil {
		return nil, err
	}
	acc, err := c.GetAccount(ctx, address.FromPubKey(pub), 0)
	if err != nil {
		return nil, err
	}
	return c.estimate(ctx, tx.Body{ChainID: st.ChainID, PubKey: pub, Nonce: acc.Nonce, GasPrice: st.MinGasPrice, Calls: calls})
}

// estimate runs body as an unsigned probe (docs/transactions.md: its gas
// limit is ignored, and neither it nor the signature changes the tx's
// length). The node simulates with its own limits and ignores the
// probe's: no limit derived from the balance, which would hold coins the
// calls need (attached funds, deposits).
func (c *Client) estimate(ctx context.Context, body tx.Body) (*rpc.Estimate, error) {
	probe, err := tx.WithSignature(body, make([]byte, tx.SignatureLen))
	if err != nil {
		return nil, err
	}
	est, err := c.EstimateGas(ctx, probe.Bytes())
	if err != nil {
		return nil, fmt.Errorf("estimate gas: %w", err)
	}
	if !est.OK {
		return nil, fmt.Errorf("tx would fail (%s code %d): %s", est.Codespace, est.Code, est.Error)
	}
	return est, nil
}

// Status returns the node's view of the chain.
func (c *Client) Status(ctx context.Context) (*rpc.Status, error) {
	var s rpc.Status
	return &s, c.rpc.Call(ctx, rpc.MethodStatus, nil, &s)
}

// GetCode returns uploaded code's record and ABI; hash is hex.
func (c *Client) GetCode(ctx context.Context, hash string) (*rpc.CodeInfo, error) {
	var info rpc.CodeInfo
	return &info, c.rpc.Call(ctx, rpc.MethodGetCode, []any{hash}, &info)
}

// GetContract returns a WASM contract's record and ABI.
func (c *Client) GetContract(ctx context.Context, addr string) (*rpc.ContractInfo, error) {
	var info rpc.ContractInfo
	return &info, c.rpc.Call(ctx, rpc.MethodGetContract, []any{addr}, &info)
}

// GetSchema returns a table's schema and its row and key types.
func (c *Client) GetSchema(ctx context.Context, owner address.Address, table string, height int64) (*rpc.SchemaResult, error) {
	var s rpc.SchemaResult
	return &s, c.rpc.Call(ctx, rpc.MethodGetSchema, []any{rpc.TableRef{Owner: owner, Table: table, Height: rpc.Height(height)}}, &s)
}

// ListTables returns the names of owner's tables.
func (c *Client) ListTables(ctx context.Context, owner address.Address, height int64) ([]string, error) {
	var names []string
	return names, c.rpc.Call(ctx, rpc.MethodListTables, []any{owner, rpc.Height(height)}, &names)
}

// GetRow reads one row by primary key (JSON by the table's key type).
func (c *Client) GetRow(ctx context.Context, req rpc.RowRequest) (*rpc.RowResult, error) {
	var r rpc.RowResult
	return &r, c.rpc.Call(ctx, rpc.MethodGetRow, []any{req}, &r)
}

// QueryTable reads one page of a table scan.
func (c *Client) QueryTable(ctx context.Context, req rpc.QueryRequest) (*rpc.QueryResult, error) {
	var r rpc.QueryResult
	return &r, c.rpc.Call(ctx, rpc.MethodQueryTable, []any{req}, &r)
}

// QueryAll follows a query's cursors to the end and returns every row,
// all pages read at the height of the first.
func (c *Client) QueryAll(ctx context.Context, req rpc.QueryRequest) (*rpc.QueryResult, error) {
	all := &rpc.QueryResult{}
	for {
		res, err := c.QueryTable(ctx, req)
		if err != nil {
			return nil, err
		}
		all.Rows, all.Height = append(all.Rows, res.Rows...), res.Height
		if len(res.Cursor) == 0 {
			return all, nil
		}
		req.Cursor, req.Height = res.Cursor, rpc.Height(res.Height)
	}
}

func compactJSON(b []byte) []byte {
	var out bytes.Buffer
	if json.Compact(&out, b) != nil {
		return b
	}
	return out.Bytes()
}

// WaitHeight polls until the node's readable height reaches height, or
// ctx ends (with the last error seen, if any).
func (c *Client) WaitHeight(ctx context.Context, height int64) error {
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	var last error
	for {
		h, err := c.BlockNumber(ctx)
		if err == nil && h >= height {
			return nil
		}
		last = err
		select {
		case <-ctx.Done():
			return fmt.Errorf("wait for height %d: %w (last error: %v)", height, ctx.Err(), last)
		case <-tick.C:
		}
	}
}

// GetBill returns what an address holds in state and has paid.
func (c *Client) GetBill(ctx context.Context, addr address.Address, height int64) (*rpc.Bill, error) {
	var b rpc.Bill
	return &b, c.rpc.Call(ctx, rpc.MethodGetBill, []any{addr, rpc.Height(height)}, &b)
}

// GasPrice returns the minimum gas price and the storage price.
func (c *Client) GasPrice(ctx context.Context) (*rpc.GasPrice, error) {
	var p rpc.GasPrice
	return &p, c.rpc.Call(ctx, rpc.MethodGasPrice, nil, &p)
}
