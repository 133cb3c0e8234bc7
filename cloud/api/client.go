package api

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/vsys/vsys/rpc/jsonrpc"
)

// Client calls a control API.
type Client struct{ rpc *jsonrpc.Client }

// NewClient returns a client of the control API at addr (host:port or a
// URL) that sends token.
func NewClient(addr, token string) *Client {
	url := addr
	if len(url) < 7 || (url[:7] != "http://" && (len(url) < 8 || url[:8] != "https://")) {
		url = "http://" + addr
	}
	hc := &http.Client{Timeout: 2 * time.Minute, Transport: bearer{token: token, next: http.DefaultTransport}}
	return &Client{rpc: jsonrpc.NewClient(url, hc)}
}

// bearer adds the operator token to every request.
type bearer struct {
	token string
	next  http.RoundTripper
}

func (b bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return b.next.RoundTrip(r)
}

// Error is an error response of the control API that carries one of the
// sentinels: errors.Is(err, ErrExists) and the like hold, and the message
// is the server's.
type Error struct {
	Code    int
	Message string
	err     error
}

func (e *Error) Error() string { return e.Message }

// Unwrap returns the sentinel.
func (e *Error) Unwrap() error { return e.err }

func (c *Client) call(ctx context.Context, method string, params, result any) error {
	err := c.rpc.Call(ctx, method, params, result)
	var je *jsonrpc.Error
	if errors.As(err, &je) {
		for _, s := range codes {
			if je.Code == s.code {
				return &Error{Code: je.Code, Message: je.Message, err: s.err}
			}
		}
	}
	return err
}

// CreateChain creates and starts a chain.
func (c *Client) CreateChain(ctx context.Context, req CreateRequest) (Chain, error) {
	var ch Chain
	return ch, c.call(ctx, MethodCreateChain, req, &ch)
}

// ListChains lists the chains.
func (c *Client) ListChains(ctx context.Context) ([]Chain, error) {
	var l []Chain
	return l, c.call(ctx, MethodListChains, nil, &l)
}

// ChainStatus returns one chain, with its height.
func (c *Client) ChainStatus(ctx context.Context, name string) (Chain, error) {
	var ch Chain
	return ch, c.call(ctx, MethodChainStatus, NameRequest{Name: name}, &ch)
}

// StopChain stops a chain's node.
func (c *Client) StopChain(ctx context.Context, name string) (Chain, error) {
	var ch Chain
	return ch, c.call(ctx, MethodStopChain, NameRequest{Name: name}, &ch)
}

// StartChain starts a stopped chain's node.
func (c *Client) StartChain(ctx context.Context, name string) (Chain, error) {
	var ch Chain
	return ch, c.call(ctx, MethodStartChain, NameRequest{Name: name}, &ch)
}

// DeleteChain stops a chain and removes it with its data.
func (c *Client) DeleteChain(ctx context.Context, name string) error {
	return c.call(ctx, MethodDeleteChain, NameRequest{Name: name}, nil)
}

// Logs returns the last lines of a chain's node log.
func (c *Client) Logs(ctx context.Context, name string, lines int) (Logs, error) {
	var l Logs
	return l, c.call(ctx, MethodLogs, LogsRequest{Name: name, Lines: lines}, &l)
}

// CreateRelayer connects two of the cloud's chains and starts a relayer
// between them.
func (c *Client) CreateRelayer(ctx context.Context, req CreateRelayerRequest) (Relayer, error) {
	var r Relayer
	return r, c.call(ctx, MethodCreateRelayer, req, &r)
}

// ListRelayers lists the relayers.
func (c *Client) ListRelayers(ctx context.Context) ([]Relayer, error) {
	var l []Relayer
	return l, c.call(ctx, MethodListRelayers, nil, &l)
}

// DeleteRelayer stops a relayer and removes its directory (the clients
// it made stay on the chains).
func (c *Client) DeleteRelayer(ctx context.Context, name string) error {
	return c.call(ctx, MethodDeleteRelayer, NameRequest{Name: name}, nil)
}
