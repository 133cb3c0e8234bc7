package jsonrpc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testServer returns a server with the methods of the specification's
// examples plus some that exercise errors. notified counts the calls of
// notify_* methods.
func testServer(t testing.TB) (*Server, *atomic.Int64) {
	t.Helper()
	s := NewServer()
	notified := new(atomic.Int64)
	subtract := func(_ context.Context, params json.RawMessage) (any, error) {
		var pos []float64
		if json.Unmarshal(params, &pos) == nil {
			if len(pos) != 2 {
				return nil, InvalidParams("want 2 params, got %d", len(pos))
			}
			return pos[0] - pos[1], nil
		}
		var named struct{ Minuend, Subtrahend float64 }
		if err := json.Unmarshal(params, &named); err != nil {
			return nil, InvalidParams("params: %v", err)
		}
		return named.Minuend - named.Subtrahend, nil
	}
	sum := func(_ context.Context, params json.RawMessage) (any, error) {
		var xs []float64
		if err := json.Unmarshal(params, &xs); err != nil {
			return nil, InvalidParams("params must be an array of numbers")
		}
		total := 0.0
		for _, x := range xs {
			total += x
		}
		return total, nil
	}
	notify := func(context.Context, json.RawMessage) (any, error) {
		notified.Add(1)
		return nil, nil
	}
	s.Register("subtract", subtract)
	s.Register("sum", sum)
	s.Register("notify_hello", notify)
	s.Register("notify_sum", notify)
	s.Register("update", notify)
	s.Register("get_data", func(context.Context, json.RawMessage) (any, error) {
		return []any{"hello", 5}, nil
	})
	s.Register("echo", func(_ context.Context, params json.RawMessage) (any, error) {
		return params, nil
	})
	s.Register("fail", func(context.Context, json.RawMessage) (any, error) {
		return nil, errors.New("account vsys1abc not found")
	})
	s.Register("rpcerr", func(context.Context, json.RawMessage) (any, error) {
		return nil, &Error{Code: -32042, Message: "insufficient funds", Data: map[string]any{"need": 10}}
	})
	s.Register("positive", func(context.Context, json.RawMessage) (any, error) {
		return nil, &Error{Code: 7, Message: "seven"}
	})
	s.Register("wrapped", func(context.Context, json.RawMessage) (any, error) {
		return nil, fmt.Errorf("deep: %w", InvalidParams("bad height %d", -1))
	})
	s.Register("nilerr", func(context.Context, json.RawMessage) (any, error) {
		var e *Error
		return "fine", e
	})
	s.Register("baddata", func(context.Context, json.RawMessage) (any, error) {
		return nil, &Error{Code: -32001, Message: "with bad data", Data: make(chan int)}
	})
	s.Register("panic", func(context.Context, json.RawMessage) (any, error) {
		panic("boom")
	})
	s.Register("badresult", func(context.Context, json.RawMessage) (any, error) {
		return make(chan int), nil
	})
	s.Register("ctx", func(ctx context.Context, _ json.RawMessage) (any, error) {
		return ctx.Value(ctxKey{}), nil
	})
	return s, notified
}

type ctxKey struct{}

// post sends body to s and returns the response.
func post(t testing.TB, s http.Handler, body string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	return rec
}

func invalidReq(detail, id string) string {
	b, _ := json.Marshal("Invalid Request: " + detail)
	return `{"jsonrpc":"2.0","error":{"code":-32600,"message":` + string(b) + `},"id":` + id + `}`
}

func TestServeHTTP(t *testing.T) {
	notObject := invalidReq("request must be a JSON object", "null")
	tests := []struct {
		name     string
		body     string
		want     string // "" means 204 and no body
		notified int64
	}{
		// The specification's examples.
		{"positional params", `{"jsonrpc": "2.0", "method": "subtract", "params": [42, 23], "id": 1}`,
			`{"jsonrpc":"2.0","result":19,"id":1}`, 0},
		{"positional params reversed", `{"jsonrpc": "2.0", "method": "subtract", "params": [23, 42], "id": 2}`,
			`{"jsonrpc":"2.0","result":-19,"id":2}`, 0},
		{"named params", `{"jsonrpc": "2.0", "method": "subtract", "params": {"subtrahend": 23, "minuend": 42}, "id": 3}`,
			`{"jsonrpc":"2.0","result":19,"id":3}`, 0},
		{"named params reordered", `{"jsonrpc": "2.0", "method": "subtract", "params": {"minuend": 42, "subtrahend": 23}, "id": 4}`,
			`{"jsonrpc":"2.0","result":19,"id":4}`, 0},
		{"notification", `{"jsonrpc": "2.0", "method": "update", "params": [1,2,3,4,5]}`, "", 1},
		{"notification without params", `{"jsonrpc": "2.0", "method": "notify_hello"}`, "", 1},
		{"non-existent method", `{"jsonrpc": "2.0", "method": "foobar", "id": "1"}`,
			`{"jsonrpc":"2.0","error":{"code":-32601,"message":"Method not found: \"foobar\""},"id":"1"}`, 0},
		{"invalid JSON", `{"jsonrpc": "2.0", "method": "foobar, "params": "bar", "baz]`,
			`{"jsonrpc":"2.0","error":{"code":-32700,"message":"Parse error: invalid character 'p' after object key:value pair"},"id":null}`, 0},
		{"invalid request object", `{"jsonrpc": "2.0", "method": 1, "params": "bar"}`,
			invalidReq(`"method" must be a string`, "null"), 0},
		{"batch, invalid JSON", `[
			{"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},
			{"jsonrpc": "2.0", "method"
		]`, `{"jsonrpc":"2.0","error":{"code":-32700,"message":"Parse error: invalid character ']' after object key"},"id":null}`, 0},
		{"empty batch", `[]`, invalidReq("empty batch", "null"), 0},
		{"empty batch with spaces", " [ \n ] ", invalidReq("empty batch", "null"), 0},
		{"invalid batch of one", `[1]`, "[" + notObject + "]", 0},
		{"invalid batch", `[1,2,3]`, "[" + notObject + "," + notObject + "," + notObject + "]", 0},
		{"mixed batch", `[
			{"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},
			{"jsonrpc": "2.0", "method": "notify_hello", "params": [7]},
			{"jsonrpc": "2.0", "method": "subtract", "params": [42,23], "id": "2"},
			{"foo": "boo"},
			{"jsonrpc": "2.0", "method": "foo.get", "params": {"name": "myself"}, "id": "5"},
			{"jsonrpc": "2.0", "method": "get_data", "id": "9"}
		]`, `[{"jsonrpc":"2.0","result":7,"id":"1"},` +
			`{"jsonrpc":"2.0","result":19,"id":"2"},` +
			invalidReq(`missing "jsonrpc"`, "null") + `,` +
			`{"jsonrpc":"2.0","error":{"code":-32601,"message":"Method not found: \"foo.get\""},"id":"5"},` +
			`{"jsonrpc":"2.0","result":["hello",5],"id":"9"}]`, 1},
		{"batch of notifications", `[
			{"jsonrpc": "2.0", "method": "notify_sum", "params": [1,2,4]},
			{"jsonrpc": "2.0", "method": "notify_hello", "params": [7]}
		]`, "", 2},

		// Parse errors.
		{"empty body", ``, `{"jsonrpc":"2.0","error":{"code":-32700,"message":"Parse error: unexpected end of JSON input"},"id":null}`, 0},
		{"blank body", " \n", `{"jsonrpc":"2.0","error":{"code":-32700,"message":"Parse error: unexpected end of JSON input"},"id":null}`, 0},
		{"not JSON", `hello`, `{"jsonrpc":"2.0","error":{"code":-32700,"message":"Parse error: invalid character 'h' looking for beginning of value"},"id":null}`, 0},
		{"two values", `{} {}`, `{"jsonrpc":"2.0","error":{"code":-32700,"message":"Parse error: invalid character '{' after top-level value"},"id":null}`, 0},
		{"invalid UTF-8", "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"id\":\"\xff\"}",
			`{"jsonrpc":"2.0","error":{"code":-32700,"message":"Parse error: body is not valid UTF-8"},"id":null}`, 0},

		// Invalid Request objects.
		{"number", `1`, notObject, 0},
		{"string", `"x"`, notObject, 0},
		{"null", `null`, notObject, 0},
		{"bool", `true`, notObject, 0},
		{"empty object", `{}`, invalidReq(`missing "jsonrpc"`, "null"), 0},
		{"wrong version", `{"jsonrpc":"1.0","method":"echo","id":1}`, invalidReq(`"jsonrpc" must be "2.0"`, "1"), 0},
		{"numeric version", `{"jsonrpc":2.0,"method":"echo","id":1}`, invalidReq(`"jsonrpc" must be "2.0"`, "1"), 0},
		{"version without id", `{"jsonrpc":"2","method":"echo"}`, invalidReq(`"jsonrpc" must be "2.0"`, "null"), 0},
		{"missing method", `{"jsonrpc":"2.0","id":1}`, invalidReq(`missing "method"`, "1"), 0},
		{"null method", `{"jsonrpc":"2.0","method":null,"id":1}`, invalidReq(`"method" must be a string`, "1"), 0},
		{"array method", `{"jsonrpc":"2.0","method":["echo"],"id":1}`, invalidReq(`"method" must be a string`, "1"), 0},
		{"object id", `{"jsonrpc":"2.0","method":"echo","id":{}}`, invalidReq(`"id" must be a string, a number or null`, "null"), 0},
		{"array id", `{"jsonrpc":"2.0","method":"echo","id":[1]}`, invalidReq(`"id" must be a string, a number or null`, "null"), 0},
		{"true id", `{"jsonrpc":"2.0","method":"echo","id":true}`, invalidReq(`"id" must be a string, a number or null`, "null"), 0},
		{"false id", `{"jsonrpc":"2.0","method":"echo","id":false}`, invalidReq(`"id" must be a string, a number or null`, "null"), 0},
		{"string params", `{"jsonrpc":"2.0","method":"echo","params":"bar","id":1}`, invalidReq(`"params" must be an array or an object`, "1"), 0},
		{"number params", `{"jsonrpc":"2.0","method":"echo","params":1,"id":1}`, invalidReq(`"params" must be an array or an object`, "1"), 0},
		{"null params", `{"jsonrpc":"2.0","method":"echo","params":null,"id":1}`, invalidReq(`"params" must be an array or an object`, "1"), 0},
		{"bool params", `{"jsonrpc":"2.0","method":"echo","params":false,"id":1}`, invalidReq(`"params" must be an array or an object`, "1"), 0},
		{"names are case-sensitive", `{"JSONRPC":"2.0","Method":"echo","id":1}`, invalidReq(`missing "jsonrpc"`, "1"), 0},
		{"invalid notification gets an error", `{"jsonrpc":"2.0","method":"echo","params":"x"}`,
			invalidReq(`"params" must be an array or an object`, "null"), 0},

		// Ids, echoed exactly.
		{"string id", `{"jsonrpc":"2.0","method":"echo","id":"abc"}`, `{"jsonrpc":"2.0","result":null,"id":"abc"}`, 0},
		{"escaped string id", `{"jsonrpc":"2.0","method":"echo","id":"a\"b\u00e9\/"}`, `{"jsonrpc":"2.0","result":null,"id":"a\"b\u00e9\/"}`, 0},
		{"null id is a request", `{"jsonrpc":"2.0","method":"notify_hello","id":null}`, `{"jsonrpc":"2.0","result":null,"id":null}`, 1},
		{"large id", `{"jsonrpc":"2.0","method":"echo","id":12345678901234567890}`, `{"jsonrpc":"2.0","result":null,"id":12345678901234567890}`, 0},
		{"huge id", `{"jsonrpc":"2.0","method":"echo","id":1e400}`, `{"jsonrpc":"2.0","result":null,"id":1e400}`, 0},
		{"fraction id", `{"jsonrpc":"2.0","method":"echo","id":-0.10000000000000000000000001E-7}`,
			`{"jsonrpc":"2.0","result":null,"id":-0.10000000000000000000000001E-7}`, 0},
		{"zero id", `{"jsonrpc":"2.0","method":"echo","id":0}`, `{"jsonrpc":"2.0","result":null,"id":0}`, 0},
		{"unknown method notification", `{"jsonrpc":"2.0","method":"nope"}`, "", 0},

		// Parsing details.
		{"whitespace", " \r\n\t{ \"jsonrpc\" : \"2.0\" , \"method\" : \"echo\" , \"params\" : [ 1 , 2 ] , \"id\" : 7 } \n",
			`{"jsonrpc":"2.0","result":[1,2],"id":7}`, 0},
		{"escaped member names", `{"\u006asonrpc":"2\u002e0","\u006dethod":"ech\u006f","id":1}`, `{"jsonrpc":"2.0","result":null,"id":1}`, 0},
		{"unknown members ignored", `{"jsonrpc":"2.0","method":"echo","id":1,"extra":{"id":[2],"method":"x"}}`,
			`{"jsonrpc":"2.0","result":null,"id":1}`, 0},
		{"repeated member, last wins", `{"jsonrpc":"2.0","method":"nope","method":"echo","id":1,"id":2}`,
			`{"jsonrpc":"2.0","result":null,"id":2}`, 0},
		{"nested params echoed", `{"jsonrpc":"2.0","method":"echo","params":{"a":[1,{"b":"]}"}],"c":null},"id":1}`,
			`{"jsonrpc":"2.0","result":{"a":[1,{"b":"]}"}],"c":null},"id":1}`, 0},
		{"rpc. names are not served", `{"jsonrpc":"2.0","method":"rpc.discover","id":1}`,
			`{"jsonrpc":"2.0","error":{"code":-32601,"message":"Method not found: \"rpc.discover\""},"id":1}`, 0},

		// Handler errors.
		{"invalid params", `{"jsonrpc":"2.0","method":"subtract","params":[1],"id":1}`,
			`{"jsonrpc":"2.0","error":{"code":-32602,"message":"want 2 params, got 1"},"id":1}`, 0},
		{"*Error passed through", `{"jsonrpc":"2.0","method":"rpcerr","id":1}`,
			`{"jsonrpc":"2.0","error":{"code":-32042,"message":"insufficient funds","data":{"need":10}},"id":1}`, 0},
		{"positive code", `{"jsonrpc":"2.0","method":"positive","id":1}`,
			`{"jsonrpc":"2.0","error":{"code":7,"message":"seven"},"id":1}`, 0},
		{"wrapped *Error", `{"jsonrpc":"2.0","method":"wrapped","id":1}`,
			`{"jsonrpc":"2.0","error":{"code":-32602,"message":"bad height -1"},"id":1}`, 0},
		{"nil *Error is success", `{"jsonrpc":"2.0","method":"nilerr","id":1}`, `{"jsonrpc":"2.0","result":"fine","id":1}`, 0},
		{"generic error", `{"jsonrpc":"2.0","method":"fail","id":1}`,
			`{"jsonrpc":"2.0","error":{"code":-32000,"message":"account vsys1abc not found"},"id":1}`, 0},
		{"unencodable data dropped", `{"jsonrpc":"2.0","method":"baddata","id":1}`,
			`{"jsonrpc":"2.0","error":{"code":-32001,"message":"with bad data"},"id":1}`, 0},
		{"panic", `{"jsonrpc":"2.0","method":"panic","id":1}`,
			`{"jsonrpc":"2.0","error":{"code":-32603,"message":"Internal error"},"id":1}`, 0},
		{"panic in a notification", `{"jsonrpc":"2.0","method":"panic"}`, "", 0},
		{"unencodable result", `{"jsonrpc":"2.0","method":"badresult","id":1}`,
			`{"jsonrpc":"2.0","error":{"code":-32603,"message":"Internal error: cannot encode the result"},"id":1}`, 0},
		{"errors in a batch", `[{"jsonrpc":"2.0","method":"panic","id":1},{"jsonrpc":"2.0","method":"fail","id":2},` +
			`{"jsonrpc":"2.0","method":"sum","params":[2,3],"id":3},{"jsonrpc":"2.0","method":"panic"},{"jsonrpc":"2.0","method":"nope"},` +
			`{"jsonrpc":"2.0","method":"echo","params":[1],"id":{}},[]]`,
			`[{"jsonrpc":"2.0","error":{"code":-32603,"message":"Internal error"},"id":1},` +
				`{"jsonrpc":"2.0","error":{"code":-32000,"message":"account vsys1abc not found"},"id":2},` +
				`{"jsonrpc":"2.0","result":5,"id":3},` +
				invalidReq(`"id" must be a string, a number or null`, "null") + "," + notObject + "]", 0},
		{"batch of a notification and an invalid request", `[{"jsonrpc":"2.0","method":"update"},{"jsonrpc":"2.0"}]`,
			"[" + invalidReq(`missing "method"`, "null") + "]", 1},
		{"nested batch", `[[{"jsonrpc":"2.0","method":"echo","id":1}]]`, "[" + notObject + "]", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, notified := testServer(t)
			rec := post(t, s, tc.body)
			if tc.want == "" {
				assert.Equal(t, http.StatusNoContent, rec.Code)
				assert.Empty(t, rec.Body.String())
			} else {
				assert.Equal(t, http.StatusOK, rec.Code)
				assert.Equal(t, "application/json", rec.Header().Get("Content-Type"))
				assert.Equal(t, tc.want, rec.Body.String())
				assert.True(t, json.Valid(rec.Body.Bytes()))
			}
			assert.Equal(t, tc.notified, notified.Load(), "notify_* calls")
		})
	}
}

func TestPanicKeepsServing(t *testing.T) {
	s, _ := testServer(t)
	var mu sync.Mutex
	var logged []string
	s.SetLogger(func(msg string, keyvals ...any) {
		mu.Lock()
		defer mu.Unlock()
		logged = append(logged, fmt.Sprint(append([]any{msg}, keyvals...)...))
	})
	for range 3 {
		rec := post(t, s, `{"jsonrpc":"2.0","method":"panic","id":1}`)
		assert.Equal(t, `{"jsonrpc":"2.0","error":{"code":-32603,"message":"Internal error"},"id":1}`, rec.Body.String())
		rec = post(t, s, `{"jsonrpc":"2.0","method":"sum","params":[1,1],"id":2}`)
		assert.Equal(t, `{"jsonrpc":"2.0","result":2,"id":2}`, rec.Body.String())
	}
	mu.Lock()
	defer mu.Unlock()
	require.Len(t, logged, 3)
	assert.Contains(t, logged[0], "method panicked")
	assert.Contains(t, logged[0], "boom")
	assert.Contains(t, logged[0], "panic")

	s.SetLogger(nil) // and without a logger
	rec := post(t, s, `{"jsonrpc":"2.0","method":"panic","id":1}`)
	assert.Equal(t, `{"jsonrpc":"2.0","error":{"code":-32603,"message":"Internal error"},"id":1}`, rec.Body.String())
}

func TestHTTPMethods(t *testing.T) {
	s, _ := testServer(t)
	for _, m := range []string{http.MethodGet, http.MethodPut, http.MethodDelete, http.MethodOptions} {
		req := httptest.NewRequest(m, "/", nil)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		assert.Equal(t, http.StatusMethodNotAllowed, rec.Code, m)
		assert.Equal(t, "POST", rec.Header().Get("Allow"))
		assert.Equal(t, "application/json", rec.Header().Get("Content-Type"))
		assert.Equal(t, invalidReq("HTTP method "+m+" is not allowed, use POST", "null"), rec.Body.String())
	}
}

func TestBodyTooLarge(t *testing.T) {
	s, _ := testServer(t)
	s.SetMaxBodyBytes(64)
	small := `{"jsonrpc":"2.0","method":"echo","params":[1],"id":1}`
	large := `{"jsonrpc":"2.0","method":"echo","params":["` + strings.Repeat("x", 100) + `"],"id":1}`
	want := invalidReq("body exceeds the limit of 64 bytes", "null")

	rec := post(t, s, small)
	assert.Equal(t, `{"jsonrpc":"2.0","result":[1],"id":1}`, rec.Body.String())

	rec = post(t, s, large) // with a Content-Length
	assert.Equal(t, http.StatusRequestEntityTooLarge, rec.Code)
	assert.Equal(t, want, rec.Body.String())

	// Without a Content-Length (chunked), through a real server.
	srv := httptest.NewServer(s)
	defer srv.Close()
	pr, pw := ioPipe(large)
	defer pr.Close()
	req, err := http.NewRequest(http.MethodPost, srv.URL, pr)
	require.NoError(t, err)
	go pw()
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
	assert.Equal(t, want, readAll(t, resp))

	// Exactly at the limit is fine.
	prefix, suffix := `{"jsonrpc":"2.0","method":"echo","params":["`, `"],"id":1}`
	exact := prefix + strings.Repeat("x", 64-len(prefix)-len(suffix)) + suffix
	require.Len(t, exact, 64)
	assert.Equal(t, http.StatusOK, post(t, s, exact).Code)

	s.SetMaxBodyBytes(0) // the default again
	assert.Equal(t, http.StatusOK, post(t, s, large).Code)
}

func TestBatchTooLarge(t *testing.T) {
	s, _ := testServer(t)
	s.SetMaxBatch(3)
	one := `{"jsonrpc":"2.0","method":"sum","params":[1],"id":1}`
	rec := post(t, s, "["+strings.Repeat(one+",", 2)+one+"]")
	assert.Equal(t, "["+strings.Repeat(`{"jsonrpc":"2.0","result":1,"id":1},`, 2)+`{"jsonrpc":"2.0","result":1,"id":1}]`, rec.Body.String())

	rec = post(t, s, "["+strings.Repeat(one+",", 3)+one+"]")
	assert.Equal(t, http.StatusOK, rec.Code)
	assert.Equal(t, invalidReq("batch exceeds the limit of 3 requests", "null"), rec.Body.String())

	// The default limit.
	s.SetMaxBatch(0)
	rec = post(t, s, "["+strings.Repeat("1,", DefaultMaxBatch)+"1]")
	assert.Equal(t, invalidReq("batch exceeds the limit of 1000 requests", "null"), rec.Body.String())
	rec = post(t, s, "["+strings.Repeat("1,", DefaultMaxBatch-1)+"1]")
	var resps []json.RawMessage
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &resps))
	assert.Len(t, resps, DefaultMaxBatch)
}

func TestBatchOrder(t *testing.T) {
	s := NewServer()
	var seen []int
	s.Register("rec", func(_ context.Context, p json.RawMessage) (any, error) {
		var n []int
		require.NoError(t, json.Unmarshal(p, &n))
		seen = append(seen, n[0])
		return n[0], nil
	})
	var b strings.Builder
	var want strings.Builder
	b.WriteByte('[')
	want.WriteByte('[')
	for i := range 50 {
		if i > 0 {
			b.WriteByte(',')
			want.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"jsonrpc":"2.0","method":"rec","params":[%d],"id":"r%d"}`, i, i)
		fmt.Fprintf(&want, `{"jsonrpc":"2.0","result":%d,"id":"r%d"}`, i, i)
	}
	b.WriteByte(']')
	want.WriteByte(']')
	assert.Equal(t, want.String(), post(t, s, b.String()).Body.String())
	for i, n := range seen {
		assert.Equal(t, i, n)
	}
}

func TestHandlerContext(t *testing.T) {
	s, _ := testServer(t)
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{"jsonrpc":"2.0","method":"ctx","id":1}`))
	req = req.WithContext(context.WithValue(req.Context(), ctxKey{}, "from the request"))
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	assert.Equal(t, `{"jsonrpc":"2.0","result":"from the request","id":1}`, rec.Body.String())
}

func TestRegister(t *testing.T) {
	s := NewServer()
	h := func(context.Context, json.RawMessage) (any, error) { return nil, nil }
	s.Register("b", h)
	s.Register("a", h)
	s.Register("c.d", h)
	assert.Equal(t, []string{"a", "b", "c.d"}, s.Methods())
	assert.PanicsWithValue(t, `jsonrpc: method "a" registered twice`, func() { s.Register("a", h) })
	assert.Panics(t, func() { s.Register("", h) })
	assert.Panics(t, func() { s.Register("rpc.x", h) })
	assert.Panics(t, func() { s.Register("x", nil) })
	assert.Equal(t, []string{"a", "b", "c.d"}, s.Methods())
	assert.Empty(t, NewServer().Methods())

	var zero Server // usable, with the default limits
	zero.Register("echo", h)
	assert.Equal(t, `{"jsonrpc":"2.0","result":null,"id":1}`, post(t, &zero, `{"jsonrpc":"2.0","method":"echo","id":1}`).Body.String())
}

func TestRegisterWhileServing(t *testing.T) {
	s, _ := testServer(t)
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := range 100 {
			s.Register(fmt.Sprintf("m%d", i), func(context.Context, json.RawMessage) (any, error) { return i, nil })
		}
	})
	for range 100 {
		post(t, s, `{"jsonrpc":"2.0","method":"m50","id":1}`)
		s.Methods()
	}
	wg.Wait()
	assert.Equal(t, `{"jsonrpc":"2.0","result":50,"id":1}`, post(t, s, `{"jsonrpc":"2.0","method":"m50","id":1}`).Body.String())
}

func TestErrorType(t *testing.T) {
	e := InvalidParams("param %d: %s", 2, "bad")
	assert.Equal(t, &Error{Code: CodeInvalidParams, Message: "param 2: bad"}, e)
	assert.Equal(t, "param 2: bad (code -32602)", e.Error())
	assert.Equal(t, &Error{Code: -32005, Message: "x 1"}, Errorf(-32005, "x %d", 1))
	var nilErr *Error
	assert.Equal(t, "<nil>", nilErr.Error())

	var got Error
	require.NoError(t, json.Unmarshal([]byte(`{"code":-32000,"message":"m","data":{"big":12345678901234567890}}`), &got))
	assert.Equal(t, Error{Code: -32000, Message: "m", Data: json.RawMessage(`{"big":12345678901234567890}`)}, got)
	require.NoError(t, json.Unmarshal([]byte(`{"code":1,"message":"m","data":null}`), &got))
	assert.Equal(t, Error{Code: 1, Message: "m"}, got)
	assert.Error(t, json.Unmarshal([]byte(`{"message":"no code"}`), &got))
	assert.Error(t, json.Unmarshal([]byte(`{"code":1.5,"message":"m"}`), &got))
	b, err := json.Marshal(&Error{Code: 1, Message: "m", Data: json.RawMessage(`[1]`)})
	require.NoError(t, err)
	assert.Equal(t, `{"code":1,"message":"m","data":[1]}`, string(b))
}

// ioPipe returns a reader of body with no known length, and the function
// that writes it.
func ioPipe(body string) (*io.PipeReader, func()) {
	pr, pw := io.Pipe()
	return pr, func() {
		_, _ = io.WriteString(pw, body)
		_ = pw.Close()
	}
}

func readAll(t testing.TB, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return string(b)
}
