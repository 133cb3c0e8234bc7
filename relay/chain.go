package relay

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"time"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/moduleid"
	"github.com/vsys/vsys/core/tx"
	"github.com/vsys/vsys/modules/interchain/lightclient/fetch"
	"github.com/vsys/vsys/rpc"
	"github.com/vsys/vsys/rpc/client"
	"github.com/vsys/vsys/rpc/jsonrpc"
)

// moduleAddress is the interchain module's reserved address on every
// vsys chain.
var moduleAddress = address.Module(moduleid.Interchain)

// Endpoint is how the relayer reaches one chain.
type Endpoint struct {
	// Name labels the chain in logs and metrics ("a", a cloud chain's
	// name); empty: its chain id.
	Name string
	// RPC is the vsys JSON-RPC address ("http://127.0.0.1:8645").
	RPC string
	// CometRPC is the CometBFT RPC address ("http://127.0.0.1:26657"),
	// where signed headers and validator sets come from.
	CometRPC string
	// Key signs the relayer's txs on this chain (it pays their fees).
	Key ed25519.PrivateKey
}

// Chain is a connected endpoint.
type Chain struct {
	Endpoint
	ChainID string
	vsys    *client.Client
	headers *fetch.Source // signed headers and validators, from CometBFT's RPC
	maxGas  uint64        // the chain's max_gas_per_tx
}

// Dial connects to an endpoint and reads its chain id and gas limit.
func Dial(ctx context.Context, e Endpoint) (*Chain, error) {
	c := &Chain{Endpoint: e, vsys: client.New(e.RPC)}
	st, err := c.vsys.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("status of %s: %w", e.RPC, err)
	}
	c.ChainID, c.maxGas = st.ChainID, st.MaxGasPerTx
	if c.headers, err = fetch.New(ctx, e.CometRPC, st.ChainID); err != nil {
		return nil, err
	}
	if c.Name == "" {
		c.Name = st.ChainID
	}
	return c, nil
}

// Client is the chain's vsys JSON-RPC client.
func (c *Chain) Client() *client.Client { return c.vsys }

// Signer is the address the relayer signs with on this chain.
func (c *Chain) Signer() address.Address {
	return address.FromPubKey(c.Key.Public().(ed25519.PublicKey))
}

// query is one read-only interchain call, for a batch.
type query struct {
	method string
	args   any
	out    any // a pointer to a mirror type (wire.go)
}

// queryAt runs qs at store version height (0: the latest) in one
// JSON-RPC batch and decodes each result into its out.
func (c *Chain) queryAt(ctx context.Context, height int64, qs []*query) error {
	for start := 0; start < len(qs); start += maxBatchRPC {
		part := qs[start:min(start+maxBatchRPC, len(qs))]
		elems := make([]jsonrpc.BatchElem, len(part))
		results := make([]rpc.CallResult, len(part))
		for i, q := range part {
			args, err := codec.Marshal(q.args)
			if err != nil {
				return fmt.Errorf("%s args: %w", q.method, err)
			}
			req := rpc.CallRequest{Contract: moduleAddress.String(), Method: q.method, ArgsHex: args, Height: rpc.Height(height)}
			elems[i] = jsonrpc.BatchElem{Method: rpc.MethodCall, Params: []any{req}, Result: &results[i]}
		}
		if err := c.vsys.RPC().BatchCall(ctx, elems); err != nil {
			return fmt.Errorf("%s: queries at height %d: %w", c.Name, height, err)
		}
		for i, q := range part {
			if elems[i].Error != nil {
				return fmt.Errorf("%s: %s at height %d: %w", c.Name, q.method, height, elems[i].Error)
			}
			if err := readResult(results[i].Result, q.out); err != nil {
				return fmt.Errorf("%s: %s result: %w", c.Name, q.method, err)
			}
		}
	}
	return nil
}

// maxBatchRPC stays under the server's batch limit (1000, jsonrpc's
// DefaultMaxBatch) with room to spare.
const maxBatchRPC = 500

// Query runs one read-only interchain method at a store version (0: the
// latest) and decodes its result into out, a pointer to a wire type.
func (c *Chain) Query(ctx context.Context, height int64, method string, args, out any) error {
	return c.queryAt(ctx, height, []*query{{method: method, args: args, out: out}})
}

// ClientInfo returns the state of client id on this chain, its status
// judged at the chain's latest block time (a read-only query has no
// block time of its own, so the relayer passes it).
func (c *Chain) ClientInfo(ctx context.Context, id string) (ClientInfo, error) {
	st, err := c.vsys.Status(ctx)
	if err != nil {
		return ClientInfo{}, fmt.Errorf("%s: status: %w", c.Name, err)
	}
	return c.clientAt(ctx, id, st.LatestBlockTime)
}

func (c *Chain) clientAt(ctx context.Context, id string, now time.Time) (ClientInfo, error) {
	var ci ClientInfo
	return ci, c.Query(ctx, 0, "client", ClientArgs{ClientID: id, Now: now.Unix()}, &ci)
}

// proofs proves keys at store version height in one batch.
func (c *Chain) proofs(ctx context.Context, height int64, keys [][]byte) ([]rpc.ProveResult, error) {
	out := make([]rpc.ProveResult, len(keys))
	for start := 0; start < len(keys); start += maxBatchRPC {
		end := min(start+maxBatchRPC, len(keys))
		elems := make([]jsonrpc.BatchElem, end-start)
		for i := range elems {
			elems[i] = jsonrpc.BatchElem{Method: rpc.MethodProveKey,
				Params: []any{rpc.ProveRequest{Key: keys[start+i], Height: rpc.Height(height)}}, Result: &out[start+i]}
		}
		if err := c.vsys.RPC().BatchCall(ctx, elems); err != nil {
			return nil, fmt.Errorf("%s: proofs at height %d: %w", c.Name, height, err)
		}
		for i := range elems {
			if elems[i].Error != nil {
				return nil, fmt.Errorf("%s: proof of %x at height %d: %w", c.Name, keys[start+i], height, elems[i].Error)
			}
		}
	}
	return out, nil
}

// call is one interchain call of a tx.
func call(method string, args any) (tx.Call, error) {
	b, err := codec.Marshal(args)
	if err != nil {
		return tx.Call{}, fmt.Errorf("%s args: %w", method, err)
	}
	return tx.Call{Contract: moduleAddress, Method: method, Args: b}, nil
}

// codeBadNonce is the JSON-RPC code of the app's bad nonce (-32000 minus
// vsys code 4, docs/transactions.md): a tx of this key is still in the
// mempool, such as one a relayer sent just before it was killed.
const codeBadNonce = -32004

// sendTx sends calls as the chain's key (waiting for their block unless
// o.NoWait). A bad nonce when the nonce is the account's means an earlier
// tx of the key is in the mempool, such as one a relayer sent just before
// it was killed: it commits within a block or two, so the send is
// retried a few times, a block apart, before giving up.
func (c *Chain) sendTx(ctx context.Context, calls []tx.Call, o client.SendOptions) (*client.Sent, error) {
	for attempt := 0; ; attempt++ {
		sent, err := c.vsys.Send(ctx, c.Key, calls, o)
		var je *jsonrpc.Error
		if err == nil || o.Nonce != nil || attempt == nonceRetries || !errors.As(err, &je) || je.Code != codeBadNonce {
			return sent, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(nonceRetryPause):
		}
	}
}

const (
	nonceRetries    = 20
	nonceRetryPause = 250 * time.Millisecond
)
