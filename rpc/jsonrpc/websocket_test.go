package jsonrpc

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func dialWS(t *testing.T, s *Server, header http.Header) (*websocket.Conn, *http.Response, error) {
	t.Helper()
	srv := httptest.NewServer(s.WebSocketHandler())
	t.Cleanup(srv.Close)
	conn, resp, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(srv.URL, "http"), header)
	if conn != nil {
		t.Cleanup(func() { conn.Close() })
		require.NoError(t, conn.SetReadDeadline(time.Now().Add(10*time.Second)))
	}
	return conn, resp, err
}

func TestWebSocket(t *testing.T) {
	s, notified := testServer(t)
	conn, _, err := dialWS(t, s, nil)
	require.NoError(t, err)

	exchange := []struct{ send, want string }{
		{`{"jsonrpc":"2.0","method":"subtract","params":[42,23],"id":1}`, `{"jsonrpc":"2.0","result":19,"id":1}`},
		{`[{"jsonrpc":"2.0","method":"sum","params":[1,2],"id":"a"},{"jsonrpc":"2.0","method":"notify_hello"},{"jsonrpc":"2.0","method":"fail","id":"b"}]`,
			`[{"jsonrpc":"2.0","result":3,"id":"a"},{"jsonrpc":"2.0","error":{"code":-32000,"message":"account vsys1abc not found"},"id":"b"}]`},
		{`{"jsonrpc":"2.0","method":"panic","id":2}`, `{"jsonrpc":"2.0","error":{"code":-32603,"message":"Internal error"},"id":2}`},
		{`{"jsonrpc":"2.0","method"`, `{"jsonrpc":"2.0","error":{"code":-32700,"message":"Parse error: unexpected end of JSON input"},"id":null}`},
		{`[]`, invalidReq("empty batch", "null")},
		{`{"jsonrpc":"2.0","method":"echo","id":12345678901234567890}`, `{"jsonrpc":"2.0","result":null,"id":12345678901234567890}`},
	}
	for _, ex := range exchange {
		require.NoError(t, conn.WriteMessage(websocket.TextMessage, []byte(ex.send)))
		typ, got, err := conn.ReadMessage()
		require.NoError(t, err)
		assert.Equal(t, websocket.TextMessage, typ)
		assert.Equal(t, ex.want, string(got))
	}

	// Notifications get nothing back: the next message is the answer to
	// the request sent after them.
	require.NoError(t, conn.WriteMessage(websocket.TextMessage, []byte(`{"jsonrpc":"2.0","method":"notify_hello"}`)))
	require.NoError(t, conn.WriteMessage(websocket.TextMessage, []byte(`[{"jsonrpc":"2.0","method":"notify_hello"}]`)))
	require.NoError(t, conn.WriteMessage(websocket.TextMessage, []byte(`{"jsonrpc":"2.0","method":"echo","params":[3],"id":3}`)))
	_, got, err := conn.ReadMessage()
	require.NoError(t, err)
	assert.Equal(t, `{"jsonrpc":"2.0","result":[3],"id":3}`, string(got))
	assert.Equal(t, int64(3), notified.Load())

	// A clean close.
	require.NoError(t, conn.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, "")))
	_, _, err = conn.ReadMessage()
	assert.True(t, websocket.IsCloseError(err, websocket.CloseNormalClosure), "%v", err)
}

func TestWebSocketLimits(t *testing.T) {
	s, _ := testServer(t)
	s.SetMaxBodyBytes(100)
	conn, _, err := dialWS(t, s, nil)
	require.NoError(t, err)
	require.NoError(t, conn.WriteMessage(websocket.TextMessage, []byte(`{"jsonrpc":"2.0","method":"echo","id":1}`)))
	_, _, err = conn.ReadMessage()
	require.NoError(t, err)
	require.NoError(t, conn.WriteMessage(websocket.TextMessage, []byte(strings.Repeat(" ", 101))))
	_, _, err = conn.ReadMessage()
	assert.True(t, websocket.IsCloseError(err, websocket.CloseMessageTooBig), "%v", err)

	// A binary message closes the connection too.
	conn, _, err = dialWS(t, s, nil)
	require.NoError(t, err)
	require.NoError(t, conn.WriteMessage(websocket.BinaryMessage, []byte(`{"jsonrpc":"2.0","method":"echo","id":1}`)))
	_, _, err = conn.ReadMessage()
	assert.True(t, websocket.IsCloseError(err, websocket.CloseUnsupportedData), "%v", err)

	// The batch limit holds as over HTTP.
	s.SetMaxBatch(1)
	conn, _, err = dialWS(t, s, nil)
	require.NoError(t, err)
	require.NoError(t, conn.WriteMessage(websocket.TextMessage, []byte(`[1,2]`)))
	_, got, err := conn.ReadMessage()
	require.NoError(t, err)
	assert.Equal(t, invalidReq("batch exceeds the limit of 1 requests", "null"), string(got))
}

func TestWebSocketOrigin(t *testing.T) {
	s, _ := testServer(t)
	foreign := http.Header{"Origin": []string{"http://dapp.example"}}
	_, resp, err := dialWS(t, s, foreign)
	require.Error(t, err)
	require.NotNil(t, resp)
	assert.Equal(t, http.StatusForbidden, resp.StatusCode)

	s.SetWebSocketCheckOrigin(func(r *http.Request) bool { return r.Header.Get("Origin") == "http://dapp.example" })
	conn, _, err := dialWS(t, s, foreign)
	require.NoError(t, err)
	require.NoError(t, conn.WriteMessage(websocket.TextMessage, []byte(`{"jsonrpc":"2.0","method":"echo","id":1}`)))
	_, got, err := conn.ReadMessage()
	require.NoError(t, err)
	assert.Equal(t, `{"jsonrpc":"2.0","result":null,"id":1}`, string(got))

	s.SetWebSocketCheckOrigin(nil)
	_, _, err = dialWS(t, s, foreign)
	require.Error(t, err)

	// A plain request to the WebSocket handler is refused.
	srv := httptest.NewServer(s.WebSocketHandler())
	defer srv.Close()
	r, err := http.Get(srv.URL)
	require.NoError(t, err)
	r.Body.Close()
	assert.Equal(t, http.StatusBadRequest, r.StatusCode)
}
