package jsonrpc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func newTestClient(t *testing.T) (*Client, *Server, *httptest.Server) {
	t.Helper()
	s, _ := testServer(t)
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return NewClient(srv.URL, nil), s, srv
}

func TestClientCall(t *testing.T) {
	c, _, _ := newTestClient(t)
	ctx := context.Background()

	var f float64
	require.NoError(t, c.Call(ctx, "subtract", []any{42, 23}, &f))
	assert.Equal(t, 19.0, f)
	require.NoError(t, c.Call(ctx, "subtract", map[string]any{"minuend": 1, "subtrahend": 3}, &f))
	assert.Equal(t, -2.0, f)
	type named struct {
		Minuend    int `json:"minuend"`
		Subtrahend int `json:"subtrahend"`
	}
	require.NoError(t, c.Call(ctx, "subtract", named{10, 4}, &f))
	assert.Equal(t, 6.0, f)

	var raw json.RawMessage
	require.NoError(t, c.Call(ctx, "get_data", nil, &raw))
	assert.JSONEq(t, `["hello",5]`, string(raw))
	require.NoError(t, c.Call(ctx, "echo", json.RawMessage(`{"big":12345678901234567890}`), &raw))
	assert.Equal(t, `{"big":12345678901234567890}`, string(raw))
	require.NoError(t, c.Call(ctx, "echo", nil, &raw)) // no params: null result
	assert.Equal(t, `null`, string(raw))
	var nilSlice []int
	require.NoError(t, c.Call(ctx, "echo", nilSlice, &raw)) // encodes to null: no params
	assert.Equal(t, `null`, string(raw))

	require.NoError(t, c.Call(ctx, "get_data", nil, nil)) // result discarded
	var p *[]any
	require.NoError(t, c.Call(ctx, "echo", nil, &p)) // null into a pointer
	assert.Nil(t, p)

	var wrong int
	err := c.Call(ctx, "get_data", nil, &wrong)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "decoding the result")
	assert.False(t, errors.As(err, new(*Error)))
}

func TestClientErrors(t *testing.T) {
	c, s, _ := newTestClient(t)
	ctx := context.Background()
	tests := []struct {
		method string
		params any
		want   *Error
	}{
		{"fail", nil, &Error{Code: CodeServerError, Message: "account vsys1abc not found"}},
		{"rpcerr", nil, &Error{Code: -32042, Message: "insufficient funds", Data: json.RawMessage(`{"need":10}`)}},
		{"positive", nil, &Error{Code: 7, Message: "seven"}},
		{"subtract", []int{1}, &Error{Code: CodeInvalidParams, Message: "want 2 params, got 1"}},
		{"nope", nil, &Error{Code: CodeMethodNotFound, Message: `Method not found: "nope"`}},
		{"panic", nil, &Error{Code: CodeInternal, Message: "Internal error"}},
		{"rpc.x", nil, &Error{Code: CodeMethodNotFound, Message: `Method not found: "rpc.x"`}},
	}
	for _, tc := range tests {
		t.Run(tc.method, func(t *testing.T) {
			err := c.Call(ctx, tc.method, tc.params, nil)
			var e *Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, tc.want, e)
		})
	}

	// Params that are not an array or an object are refused before sending.
	err := c.Call(ctx, "echo", 5, nil)
	require.ErrorContains(t, err, "params must encode to a JSON array or object")
	err = c.Call(ctx, "echo", []any{make(chan int)}, nil)
	require.ErrorContains(t, err, "encoding params")

	// The body limit: HTTP 413 with an Invalid Request error.
	s.SetMaxBodyBytes(100)
	err = c.Call(ctx, "echo", []string{strings.Repeat("x", 200)}, nil)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, CodeInvalidRequest, e.Code)
	assert.Contains(t, err.Error(), "HTTP 413")
	assert.Contains(t, e.Message, "limit of 100 bytes")
}

func TestClientBadServers(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name    string
		status  int
		body    string
		wantErr string
		rpcCode int // the *Error's code, if any
	}{
		{"HTTP error without JSON", 502, "bad gateway", "HTTP 502 Bad Gateway: bad gateway", 0},
		{"HTTP error, empty", 500, "", "HTTP 500", 0},
		{"not JSON", 200, "<html>", "invalid response", 0},
		{"empty", 200, "", "empty response", 0},
		{"no content", 204, "", "empty response", 0},
		{"other id", 200, `{"jsonrpc":"2.0","result":1,"id":999}`, "response id 999 is not the request's 1", 0},
		{"no result", 200, `{"jsonrpc":"2.0","id":1}`, "neither result nor error", 0},
		{"error with null id", 200, `{"jsonrpc":"2.0","error":{"code":-32700,"message":"Parse error"},"id":null}`, "Parse error (code -32700)", -32700},
		{"result with null id", 200, `{"jsonrpc":"2.0","result":1,"id":null}`, "is not the request's", 0},
		{"HTTP error with JSON-RPC error", 400, `{"jsonrpc":"2.0","error":{"code":-32600,"message":"bad"},"id":null}`, "HTTP 400: bad (code -32600)", -32600},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
			}))
			defer srv.Close()
			c := NewClient(srv.URL, srv.Client())
			err := c.Call(ctx, "m", nil, nil)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.wantErr)
			var e *Error
			if tc.rpcCode != 0 {
				require.ErrorAs(t, err, &e)
				assert.Equal(t, tc.rpcCode, e.Code)
			} else {
				assert.False(t, errors.As(err, &e), "not an *Error: %v", err)
			}

			elems := []BatchElem{{Method: "m"}}
			assert.Error(t, c.BatchCall(ctx, elems))
		})
	}
}

func TestClientTransport(t *testing.T) {
	s, _ := testServer(t)
	srv := httptest.NewServer(s)
	url := srv.URL
	srv.Close()
	c := NewClient(url, nil)
	err := c.Call(context.Background(), "echo", nil, nil)
	require.Error(t, err)
	assert.False(t, errors.As(err, new(*Error)))
	assert.Error(t, c.BatchCall(context.Background(), []BatchElem{{Method: "echo"}}))

	// A cancelled context.
	slow := NewServer()
	release := make(chan struct{})
	slow.Register("slow", func(ctx context.Context, _ json.RawMessage) (any, error) {
		select {
		case <-ctx.Done():
		case <-release:
		}
		return nil, nil
	})
	srv = httptest.NewServer(slow)
	defer srv.Close()
	defer close(release)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	err = NewClient(srv.URL, nil).Call(ctx, "slow", nil, nil)
	require.ErrorIs(t, err, context.DeadlineExceeded)
}

func TestClientDefaults(t *testing.T) {
	c := NewClient("http://127.0.0.1:1", nil)
	assert.Equal(t, DefaultTimeout, c.http.Timeout)
	tr, ok := c.http.Transport.(*http.Transport)
	require.True(t, ok)
	assert.GreaterOrEqual(t, tr.MaxIdleConnsPerHost, 1000)
	assert.Same(t, tr, NewClient("http://127.0.0.1:2", nil).http.Transport, "one shared pool")
	hc := &http.Client{}
	assert.Same(t, hc, NewClient("http://x", hc).http)
}

func TestClientBatchCall(t *testing.T) {
	c, s, _ := newTestClient(t)
	ctx := context.Background()

	var diff, sum float64
	var data []any
	var raw json.RawMessage
	elems := []BatchElem{
		{Method: "subtract", Params: []int{42, 23}, Result: &diff},
		{Method: "fail"},
		{Method: "sum", Params: []int{1, 2, 3}, Result: &sum},
		{Method: "nope", Result: &raw},
		{Method: "echo", Params: 5},         // refused before sending
		{Method: "get_data", Result: &data}, // after the refused one
		{Method: "rpcerr"},
		{Method: "get_data", Result: new(int)}, // does not decode
		{Method: "echo", Params: map[string]int{"a": 1}, Result: &raw},
		{Method: "panic"},
	}
	elems[1].Error = errors.New("stale, must be reset")
	require.NoError(t, c.BatchCall(ctx, elems))

	assert.NoError(t, elems[0].Error)
	assert.Equal(t, 19.0, diff)
	assert.Equal(t, &Error{Code: CodeServerError, Message: "account vsys1abc not found"}, elems[1].Error)
	assert.NoError(t, elems[2].Error)
	assert.Equal(t, 6.0, sum)
	assert.Equal(t, &Error{Code: CodeMethodNotFound, Message: `Method not found: "nope"`}, elems[3].Error)
	assert.ErrorContains(t, elems[4].Error, "params must encode to a JSON array or object")
	assert.NoError(t, elems[5].Error)
	assert.Equal(t, []any{"hello", 5.0}, data)
	var e *Error
	require.ErrorAs(t, elems[6].Error, &e)
	assert.Equal(t, -32042, e.Code)
	assert.ErrorContains(t, elems[7].Error, "get_data: decoding the result")
	assert.NoError(t, elems[8].Error)
	assert.Equal(t, `{"a":1}`, string(raw))
	require.ErrorAs(t, elems[9].Error, &e)
	assert.Equal(t, CodeInternal, e.Code)

	// Nothing to send.
	require.NoError(t, c.BatchCall(ctx, nil))
	bad := []BatchElem{{Method: "echo", Params: "x"}}
	require.NoError(t, c.BatchCall(ctx, bad))
	assert.Error(t, bad[0].Error)

	// Notifications-only responses cannot happen for calls, but a batch
	// over the server's limit is rejected as a whole.
	s.SetMaxBatch(2)
	err := c.BatchCall(ctx, []BatchElem{{Method: "echo"}, {Method: "echo"}, {Method: "echo"}})
	require.ErrorAs(t, err, &e)
	assert.Equal(t, &Error{Code: CodeInvalidRequest, Message: "Invalid Request: batch exceeds the limit of 2 requests"}, e)
}

func TestClientBatchOddResponses(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		body func(ids []string) string
		want []string // the elements' errors ("" for none)
	}{
		{"reordered", func(ids []string) string {
			return `[{"jsonrpc":"2.0","result":2,"id":` + ids[1] + `},{"jsonrpc":"2.0","result":1,"id":` + ids[0] + `}]`
		}, []string{"", ""}},
		{"missing one", func(ids []string) string {
			return `[{"jsonrpc":"2.0","result":2,"id":` + ids[1] + `}]`
		}, []string{"jsonrpc: a: no response in the batch", ""}},
		{"orphan error", func(ids []string) string {
			return `[{"jsonrpc":"2.0","error":{"code":-32600,"message":"Invalid Request"},"id":null},{"jsonrpc":"2.0","result":2,"id":` + ids[1] + `}]`
		}, []string{"Invalid Request (code -32600)", ""}},
		{"duplicate and unknown ids", func(ids []string) string {
			return `[{"jsonrpc":"2.0","result":1,"id":` + ids[0] + `},{"jsonrpc":"2.0","result":9,"id":` + ids[0] + `},{"jsonrpc":"2.0","result":1,"id":"zz"},{"jsonrpc":"2.0","result":2,"id":` + ids[1] + `}]`
		}, []string{"", ""}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				var reqs []struct{ ID json.RawMessage }
				require.NoError(t, json.NewDecoder(r.Body).Decode(&reqs))
				var ids []string
				for _, q := range reqs {
					ids = append(ids, string(q.ID))
				}
				_, _ = w.Write([]byte(tc.body(ids)))
			}))
			defer srv.Close()
			var a, b int
			elems := []BatchElem{{Method: "a", Result: &a}, {Method: "b", Result: &b}}
			require.NoError(t, NewClient(srv.URL, nil).BatchCall(ctx, elems))
			for i, want := range tc.want {
				if want == "" {
					assert.NoError(t, elems[i].Error)
				} else {
					assert.EqualError(t, elems[i].Error, want)
				}
			}
			if tc.want[0] == "" {
				assert.Equal(t, 1, a)
			}
			assert.Equal(t, 2, b)
		})
	}
}

func TestConcurrentClients(t *testing.T) {
	s, notified := testServer(t)
	srv := httptest.NewServer(s)
	defer srv.Close()
	ctx := context.Background()
	const workers, calls = 16, 50
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		c := NewClient(srv.URL, nil)
		if w%2 == 0 {
			c = NewClient(srv.URL, srv.Client()) // also a caller's http.Client
		}
		wg.Go(func() {
			for i := range calls {
				var got float64
				if err := c.Call(ctx, "subtract", []int{w * 1000, i}, &got); err != nil || got != float64(w*1000-i) {
					errs <- fmt.Errorf("worker %d call %d: %v, got %v", w, i, err, got)
					return
				}
				sums := make([]float64, 10)
				elems := make([]BatchElem, 10)
				for k := range elems {
					elems[k] = BatchElem{Method: "sum", Params: []int{w, i, k}, Result: &sums[k]}
				}
				if err := c.BatchCall(ctx, elems); err != nil {
					errs <- err
					return
				}
				for k := range elems {
					if elems[k].Error != nil || sums[k] != float64(w+i+k) {
						errs <- fmt.Errorf("worker %d batch %d elem %d: %v, got %v", w, i, k, elems[k].Error, sums[k])
						return
					}
				}
				if err := c.Call(ctx, "panic", nil, nil); err == nil {
					errs <- errors.New("panic method succeeded")
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	assert.Zero(t, notified.Load())
}
