package gateway_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/cloud/gateway"
	"github.com/vsys/vsys/internal/testkit/nodekit"
	"github.com/vsys/vsys/rpc/client"
	"github.com/vsys/vsys/rpc/jsonrpc"
)

// rpcError is the error member of a JSON-RPC response.
type rpcResponse struct {
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func post(t *testing.T, url, body string) (int, rpcResponse) {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var out rpcResponse
	require.NoError(t, json.Unmarshal(raw, &out), "body %q", raw)
	return resp.StatusCode, out
}

// TestGatewayTwoChains puts two real nodes behind one gateway: each
// chain's path reaches its own node, over HTTP and over a WebSocket, and
// what is not a routed chain path is refused before any node sees it.
func TestGatewayTwoChains(t *testing.T) {
	na := nodekit.Start(t, nodekit.InitHome(t, "chain-a", nil))
	nb := nodekit.Start(t, nodekit.InitHome(t, "chain-b", nil))
	routes := map[string]string{"a": na.RPCAddr, "b": nb.RPCAddr}
	g := gateway.New(gateway.RoutesFunc(func(c string) (string, bool) {
		addr, ok := routes[c]
		return addr, ok
	}), gateway.Options{MaxBodyBytes: 4096})
	srv := httptest.NewServer(g)
	t.Cleanup(srv.Close)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	for chain, want := range map[string]string{"a": "chain-a", "b": "chain-b"} {
		id, err := client.New(srv.URL + "/" + chain + "/").ChainID(ctx)
		require.NoError(t, err, chain)
		require.Equal(t, want, id, chain)
		// Without the trailing slash too.
		id, err = client.New(srv.URL + "/" + chain).ChainID(ctx)
		require.NoError(t, err, chain)
		require.Equal(t, want, id, chain)
	}

	t.Run("websocket", func(t *testing.T) {
		conn, _, err := websocket.DefaultDialer.DialContext(ctx, "ws"+strings.TrimPrefix(srv.URL, "http")+"/b/ws", nil)
		require.NoError(t, err)
		defer conn.Close()
		for i := range 2 { // two calls on one connection
			require.NoError(t, conn.WriteMessage(websocket.TextMessage,
				[]byte(`{"jsonrpc":"2.0","id":`+string(rune('1'+i))+`,"method":"vsys_chainId"}`)))
			_, msg, err := conn.ReadMessage()
			require.NoError(t, err)
			var r rpcResponse
			require.NoError(t, json.Unmarshal(msg, &r))
			require.Nil(t, r.Error)
			require.JSONEq(t, `"chain-b"`, string(r.Result))
		}
	})

	t.Run("websocket from a page of the gateway's origin", func(t *testing.T) {
		// The node's origin check compares Origin with Host: the gateway
		// keeps its own Host, the one the page's origin names.
		conn, _, err := websocket.DefaultDialer.DialContext(ctx, "ws"+strings.TrimPrefix(srv.URL, "http")+"/a/ws",
			http.Header{"Origin": {srv.URL}})
		require.NoError(t, err)
		conn.Close()
		_, resp, err := websocket.DefaultDialer.DialContext(ctx, "ws"+strings.TrimPrefix(srv.URL, "http")+"/a/ws",
			http.Header{"Origin": {"http://evil.example"}})
		require.Error(t, err, "another origin is refused by the node, through the gateway")
		require.Equal(t, http.StatusForbidden, resp.StatusCode)
	})

	t.Run("unknown chain", func(t *testing.T) {
		status, r := post(t, srv.URL+"/c/", `{"jsonrpc":"2.0","id":1,"method":"vsys_chainId"}`)
		require.Equal(t, http.StatusNotFound, status)
		require.NotNil(t, r.Error)
		require.Equal(t, gateway.CodeUnknownChain, r.Error.Code)
		require.Contains(t, r.Error.Message, `unknown chain "c"`)
	})

	t.Run("hostile paths", func(t *testing.T) {
		for _, p := range []string{
			"/", "/A/", "/a_b/", "/" + strings.Repeat("a", 64) + "/",
			"/a/../b/", "/a/%2e%2e/b/", "/a%2fb/", "/a/..%2f..%2fcontrol", "/a/%5c/",
			"/a/metrics", "/a/ws/x", "/a/cloud_createChain",
		} {
			req, err := http.NewRequest(http.MethodPost, srv.URL+"/", strings.NewReader(`{}`))
			require.NoError(t, err)
			req.URL.RawPath, req.URL.Path = "", ""
			req.URL.Opaque = p // sent as is, not cleaned by the client
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err, p)
			raw, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			require.Equal(t, http.StatusNotFound, resp.StatusCode, "%s: %s", p, raw)
			require.Contains(t, string(raw), `"error"`, p)
		}
	})

	t.Run("oversize body", func(t *testing.T) {
		big := `{"jsonrpc":"2.0","id":1,"method":"vsys_chainId","params":["` + strings.Repeat("x", 5000) + `"]}`
		status, r := post(t, srv.URL+"/a/", big)
		require.Equal(t, http.StatusRequestEntityTooLarge, status)
		require.Contains(t, r.Error.Message, "limit of 4096 bytes")

		// A chunked body declares no length: the limit holds as it is read.
		req, err := http.NewRequest(http.MethodPost, srv.URL+"/a/", io.MultiReader(bytes.NewReader([]byte(big))))
		require.NoError(t, err)
		req.ContentLength = -1
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		require.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
	})
}

// TestGatewayNeverReachesControl: a control API on another port of the
// same host is never reached, whatever a request names in its Host
// header, its absolute-form target, its forwarding headers or its path.
func TestGatewayNeverReachesControl(t *testing.T) {
	var hits atomic.Int64
	control := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { hits.Add(1) }))
	t.Cleanup(control.Close)
	var chainHits atomic.Int64
	chain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		chainHits.Add(1)
		assert.Contains(t, []string{"/", "/ws"}, r.URL.Path) // not require: this is the server's goroutine
		assert.Empty(t, r.URL.RawQuery)
	}))
	t.Cleanup(chain.Close)
	chainAddr := strings.TrimPrefix(chain.URL, "http://")
	ctrl := strings.TrimPrefix(control.URL, "http://")
	g := gateway.New(gateway.RoutesFunc(func(c string) (string, bool) { return chainAddr, c == "a" }), gateway.Options{})
	srv := httptest.NewServer(g)
	t.Cleanup(srv.Close)

	for _, req := range []string{
		"POST /a/ HTTP/1.1\r\nHost: " + ctrl + "\r\nContent-Length: 2\r\n\r\n{}",
		"POST http://" + ctrl + "/a/ HTTP/1.1\r\nHost: " + ctrl + "\r\nContent-Length: 2\r\n\r\n{}",
		"POST http://" + ctrl + "/ HTTP/1.1\r\nHost: " + ctrl + "\r\nContent-Length: 2\r\n\r\n{}",
		"POST /a/?target=http://" + ctrl + "/ HTTP/1.1\r\nHost: x\r\nX-Forwarded-Host: " + ctrl + "\r\nContent-Length: 2\r\n\r\n{}",
		"POST //" + ctrl + "/ HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}",
		"POST /a/..%2f..%2f" + ctrl + " HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}",
		"GET /a/ws HTTP/1.1\r\nHost: " + ctrl + "\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n",
	} {
		conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
		require.NoError(t, err)
		_, err = conn.Write([]byte(req))
		require.NoError(t, err)
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		require.NoError(t, err, req)
		resp.Body.Close()
		conn.Close()
	}
	require.Zero(t, hits.Load(), "the control API was reached")
	require.Equal(t, int64(4), chainHits.Load(), "the requests naming chain a reached its node, on its fixed paths")
}

// TestGatewayServerLimits: the server NewHTTPServer builds, on the capped
// Listener, drops a peer that never finishes its headers (the cap itself
// is rpc/jsonrpc's listener, tested there).
func TestGatewayServerLimits(t *testing.T) {
	g := gateway.New(gateway.RoutesFunc(func(string) (string, bool) { return "", false }),
		gateway.Options{HTTP: jsonrpc.HTTPLimits{MaxConnections: 4, ReadHeaderTimeout: 100 * time.Millisecond,
			ReadTimeout: time.Second, WriteTimeout: 2 * time.Second, IdleTimeout: time.Second}})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	hs := g.NewHTTPServer()
	go func() { _ = hs.Serve(g.Listener(ln)) }()
	t.Cleanup(func() { _ = hs.Close() })

	conn, err := net.Dial("tcp", ln.Addr().String())
	require.NoError(t, err)
	defer conn.Close()
	_, err = conn.Write([]byte("POST /a/ HTTP/1.1\r\nHost: x\r\n")) // and never the blank line
	require.NoError(t, err)
	// A guard against a hang, far above the header timeout: the server
	// must close the connection by itself.
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(time.Minute)))
	rest, err := io.ReadAll(conn)
	require.NoError(t, err, "the server closed the connection (EOF), not our guard")
	if len(rest) > 0 { // Go answers a header timeout with 408 before closing
		require.Contains(t, string(rest), "408")
	}
}

// TestGatewayNodeDown: a known chain whose node does not answer gets a
// JSON-RPC error with 502, not a hang or an empty reply.
func TestGatewayNodeDown(t *testing.T) {
	dead := httptest.NewServer(http.NotFoundHandler())
	addr := strings.TrimPrefix(dead.URL, "http://")
	dead.Close()
	var logged []string
	g := gateway.New(gateway.RoutesFunc(func(string) (string, bool) { return addr, true }),
		gateway.Options{ErrorLog: func(chain string, err error) { logged = append(logged, chain) }})
	srv := httptest.NewServer(g)
	t.Cleanup(srv.Close)
	status, r := post(t, srv.URL+"/x/", `{"jsonrpc":"2.0","id":1,"method":"vsys_chainId"}`)
	require.Equal(t, http.StatusBadGateway, status)
	require.Equal(t, gateway.CodeChainUnavailable, r.Error.Code)
	require.Equal(t, []string{"x"}, logged)
}

func TestValidChainName(t *testing.T) {
	for _, ok := range []string{"a", "my-chain-1", strings.Repeat("z", 63)} {
		require.NoError(t, gateway.ValidChainName(ok), ok)
	}
	for _, bad := range []string{"", "../x", "A", "a.b", "a/b", "a b", strings.Repeat("z", 64), strings.Repeat("z", 200)} {
		require.ErrorIs(t, gateway.ValidChainName(bad), gateway.ErrBadChainName, bad)
	}
}
