package jsonrpc

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// serveLoopback serves h on a real loopback listener with limits, as the
// node does, and returns the address.
func serveLoopback(t *testing.T, h http.Handler, l HTTPLimits) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv := NewHTTPServer(h, l)
	go func() { _ = srv.Serve(l.Listener(ln)) }()
	t.Cleanup(func() { _ = srv.Close() })
	return ln.Addr().String()
}

// firstRead signals on its first Read, before reading: by then the
// server has sized its buffer for the body.
type firstRead struct {
	io.ReadCloser
	once   sync.Once
	signal chan<- struct{}
}

func (f *firstRead) Read(p []byte) (int, error) {
	f.once.Do(func() { f.signal <- struct{}{} })
	return f.ReadCloser.Read(p)
}

func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestStalledBodiesHoldLittle: peers that declare a 10 MiB body, send one
// byte and stall hold only what they sent, not what they declared, and
// the server closes them once the read timeout passes. Before the fix
// (buffer sized from Content-Length, no read timeout) 300 of them held
// 3,000 MiB of heap and stayed open.
func TestStalledBodiesHoldLittle(t *testing.T) {
	const conns, declared = 300, 10 << 20
	s, _ := testServer(t)
	reading := make(chan struct{}, conns)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = &firstRead{ReadCloser: r.Body, signal: reading}
		s.ServeHTTP(w, r)
	})
	l := DefaultHTTPLimits()
	l.ReadTimeout = 500 * time.Millisecond
	addr := serveLoopback(t, h, l)

	before := liveHeap()
	clients := make([]net.Conn, conns)
	for i := range clients {
		c, err := net.Dial("tcp", addr)
		require.NoError(t, err)
		defer c.Close()
		_, err = fmt.Fprintf(c, "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n{", declared)
		require.NoError(t, err)
		clients[i] = c
	}
	for range conns {
		<-reading
	}
	grown := int64(liveHeap()) - int64(before)
	t.Logf("%d stalled bodies of %d MiB declared: heap grew %.1f MiB", conns, declared>>20, float64(grown)/(1<<20))
	assert.Less(t, grown, int64(64<<20), "stalled bodies must hold what they sent, not what they declared")

	// Each is answered 408 and closed after the read timeout. (The
	// client's own deadline only turns a hang into a failure.)
	for i, c := range clients {
		require.NoError(t, c.SetReadDeadline(time.Now().Add(20*time.Second)))
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		require.NoError(t, err, "connection %d was not answered", i)
		assert.Equal(t, http.StatusRequestTimeout, resp.StatusCode)
		body, _ := io.ReadAll(resp.Body)
		assert.Contains(t, string(body), "read timeout")
		_, err = c.Read(make([]byte, 1))
		assert.ErrorIs(t, err, io.EOF, "connection %d must be closed", i)
	}
	assert.Zero(t, s.InFlightBytes(), "every reservation is given back")
}

// TestConnectionCap: beyond MaxConnections the server accepts no more
// connections until one closes.
func TestConnectionCap(t *testing.T) {
	s, _ := testServer(t)
	l := DefaultHTTPLimits()
	l.MaxConnections = 3
	addr := serveLoopback(t, s, l)
	body := `{"jsonrpc":"2.0","method":"sum","params":[1,2],"id":1}`
	call := func(timeout time.Duration) error {
		c := &http.Client{Timeout: timeout, Transport: &http.Transport{DisableKeepAlives: true}}
		resp, err := c.Post("http://"+addr, "application/json", strings.NewReader(body))
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if string(b) != `{"jsonrpc":"2.0","result":3,"id":1}` {
			return fmt.Errorf("response %s", b)
		}
		return nil
	}
	require.NoError(t, call(10*time.Second))

	held := make([]net.Conn, l.MaxConnections)
	for i := range held {
		c, err := net.Dial("tcp", addr)
		require.NoError(t, err)
		defer c.Close()
		_, err = io.WriteString(c, "POST / HTTP/1.1\r\n") // and stall in the headers
		require.NoError(t, err)
		held[i] = c
	}
	// The cap is reached: a request now is not served. (It waits in the
	// accept queue; the client gives up.)
	err := call(300 * time.Millisecond)
	require.Error(t, err, "a connection beyond the cap must not be served")
	// One closes: requests are served again.
	held[0].Close()
	require.NoError(t, call(10*time.Second))
}

// TestWebSocketCap: beyond MaxWebSockets a handshake gets 503 and a
// JSON-RPC busy error; once one closes, a new one is accepted. Before the
// fix there was no cap (2,000 opened on a node).
func TestWebSocketCap(t *testing.T) {
	s, _ := testServer(t)
	s.SetMaxWebSockets(2)
	addr := serveLoopback(t, s.WebSocketHandler(), DefaultHTTPLimits())
	url := "ws://" + addr + "/"
	var open []*websocket.Conn
	for range 2 {
		c, _, err := websocket.DefaultDialer.Dial(url, nil)
		require.NoError(t, err)
		defer c.Close()
		open = append(open, c)
	}
	_, resp, err := websocket.DefaultDialer.Dial(url, nil)
	require.ErrorIs(t, err, websocket.ErrBadHandshake)
	require.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	var r struct{ Error Error }
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&r))
	assert.Equal(t, CodeServerBusy, r.Error.Code)
	assert.Contains(t, r.Error.Message, "2 WebSockets are open")

	open[0].Close()
	require.Eventually(t, func() bool { return s.OpenWebSockets() == 1 }, 10*time.Second, 5*time.Millisecond)
	c, _, err := websocket.DefaultDialer.Dial(url, nil)
	require.NoError(t, err)
	defer c.Close()
	require.NoError(t, c.WriteMessage(websocket.TextMessage, []byte(`{"jsonrpc":"2.0","method":"sum","params":[2],"id":1}`)))
	_, msg, err := c.ReadMessage()
	require.NoError(t, err)
	assert.Equal(t, `{"jsonrpc":"2.0","result":2,"id":1}`, string(msg))
}

// TestInFlightBudget: bodies being read share one memory budget; a body
// that would go over it gets 503 and a busy error, and once the others are
// done it is served.
func TestInFlightBudget(t *testing.T) {
	s, _ := testServer(t)
	s.SetMaxInFlightBytes(1 << 20)
	addr := serveLoopback(t, s, DefaultHTTPLimits())
	echo := func(n int) string {
		prefix, suffix := `{"jsonrpc":"2.0","method":"echo","params":["`, `"],"id":1}`
		return prefix + strings.Repeat("x", n-len(prefix)-len(suffix)) + suffix
	}
	post := func(body string) (int, string) {
		resp, err := http.Post("http://"+addr, "application/json", strings.NewReader(body))
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}

	// A sends 800 KiB of a 900 KiB body and stalls.
	a := echo(900 << 10)
	c, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer c.Close()
	_, err = fmt.Fprintf(c, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n%s", len(a), a[:800<<10])
	require.NoError(t, err)
	require.Eventually(t, func() bool { return s.InFlightBytes() >= 800<<10 }, 10*time.Second, 5*time.Millisecond)

	status, body := post(echo(600 << 10))
	assert.Equal(t, http.StatusServiceUnavailable, status)
	assert.Contains(t, body, fmt.Sprintf(`"code":%d`, CodeServerBusy))
	assert.Contains(t, body, "Server busy")

	// A completes; then B is served.
	_, err = io.WriteString(c, a[800<<10:])
	require.NoError(t, err)
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	require.Eventually(t, func() bool { return s.InFlightBytes() == 0 }, 10*time.Second, 5*time.Millisecond)
	status, _ = post(echo(600 << 10))
	assert.Equal(t, http.StatusOK, status)
}

// TestHandlerDeadline: a handler still running at the deadline sees its
// context end, and the client gets CodeDeadline naming the deadline; a
// batch shares one deadline.
func TestHandlerDeadline(t *testing.T) {
	s, _ := testServer(t)
	s.Register("wait", func(ctx context.Context, _ json.RawMessage) (any, error) {
		<-ctx.Done()
		return nil, fmt.Errorf("stopped: %w", context.Cause(ctx))
	})
	s.SetHandlerTimeout(50 * time.Millisecond)
	addr := serveLoopback(t, s, DefaultHTTPLimits())
	resp, err := http.Post("http://"+addr, "application/json",
		strings.NewReader(`[{"jsonrpc":"2.0","method":"wait","id":1},{"jsonrpc":"2.0","method":"wait","id":2}]`))
	require.NoError(t, err)
	defer resp.Body.Close()
	var out []struct {
		Error *Error
		ID    int
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	require.Len(t, out, 2)
	for _, r := range out {
		require.NotNil(t, r.Error)
		assert.Equal(t, CodeDeadline, r.Error.Code)
		assert.Equal(t, "stopped: the request ran past the server's deadline of 50ms", r.Error.Message)
	}
}

// TestWebSocketMessageBudget: a WebSocket message that would go over the
// in-flight budget gets a busy error message, and the connection goes on.
func TestWebSocketMessageBudget(t *testing.T) {
	s, _ := testServer(t)
	s.SetMaxInFlightBytes(128 << 10)
	addr := serveLoopback(t, s.WebSocketHandler(), DefaultHTTPLimits())
	c, _, err := websocket.DefaultDialer.Dial("ws://"+addr+"/", nil)
	require.NoError(t, err)
	defer c.Close()
	big := `{"jsonrpc":"2.0","method":"echo","params":["` + strings.Repeat("x", 200<<10) + `"],"id":1}`
	require.NoError(t, c.WriteMessage(websocket.TextMessage, []byte(big)))
	_, msg, err := c.ReadMessage()
	require.NoError(t, err)
	assert.Contains(t, string(msg), fmt.Sprintf(`"code":%d`, CodeServerBusy))
	require.NoError(t, c.WriteMessage(websocket.TextMessage, []byte(`{"jsonrpc":"2.0","method":"sum","params":[4],"id":2}`)))
	_, msg, err = c.ReadMessage()
	require.NoError(t, err)
	assert.Equal(t, `{"jsonrpc":"2.0","result":4,"id":2}`, string(msg))
	assert.Zero(t, s.InFlightBytes())
}

// TestReadTimeoutSparesServing: the read timeout bounds reading a
// request, not serving it: a handler still running when it passes keeps
// its context. (net/http clears the read deadline once the body is read;
// the limits rely on it, as the handler deadline bounds the serving.)
func TestReadTimeoutSparesServing(t *testing.T) {
	s, _ := testServer(t)
	s.Register("slow", func(ctx context.Context, _ json.RawMessage) (any, error) {
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("context ended: %w", ctx.Err())
		case <-time.After(time.Second):
			return "served", nil
		}
	})
	l := DefaultHTTPLimits()
	l.ReadTimeout = 100 * time.Millisecond
	addr := serveLoopback(t, s, l)
	resp, err := http.Post("http://"+addr, "application/json", strings.NewReader(`{"jsonrpc":"2.0","method":"slow","id":1}`))
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	assert.Equal(t, `{"jsonrpc":"2.0","result":"served","id":1}`, string(b))
}
