package jsonrpc

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/gorilla/websocket"
)

// WebSocket timing. The server pings an idle connection every
// wsPingPeriod and drops it if nothing (a message or a pong) arrives for
// wsPongWait.
const (
	wsWriteWait  = 10 * time.Second
	wsPongWait   = 60 * time.Second
	wsPingPeriod = 45 * time.Second
)

// SetWebSocketCheckOrigin sets the function that accepts or refuses a
// WebSocket handshake by its request (typically its Origin header). nil,
// the default, accepts requests without an Origin header and those whose
// Origin host is the request's Host, which refuses browser pages of other
// origins; a node that serves browser dApps sets its own.
func (s *Server) SetWebSocketCheckOrigin(check func(r *http.Request) bool) {
	if check == nil {
		s.checkOrigin.Store(nil)
		return
	}
	s.checkOrigin.Store(&check)
}

// WebSocketHandler returns an http.Handler that upgrades requests to
// WebSocket and serves the same protocol as ServeHTTP on the connection:
// each text message is one request or batch, and gets one text message
// back unless it holds only notifications. Messages are served one after
// another, in order. A message larger than the body limit
// (SetMaxBodyBytes) closes the connection with status 1009, and a binary
// message closes it with status 1003.
//
// Handlers get a context that ends once the connection is closed and the
// message being served is done; the connection is not read while a
// message is served. The server pings idle connections and drops those
// that stop answering. At most SetMaxWebSockets connections are open at
// once: beyond that a handshake gets HTTP 503. Messages reserve memory
// from the same in-flight budget as HTTP bodies (SetMaxInFlightBytes); a
// message that would go over it gets a CodeServerBusy error message.
// Note that http.Server.Shutdown does not close WebSocket connections.
func (s *Server) WebSocketHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n := s.openWS.Add(1); n > s.maxWS.Load() {
			s.openWS.Add(-1)
			w.Header().Set("Retry-After", "1")
			writeJSON(w, http.StatusServiceUnavailable, appendResponse(nil, nil, s.encodeError(&Error{Code: CodeServerBusy,
				Message: "Server busy: " + strconv.FormatInt(n-1, 10) + " WebSockets are open, the limit; retry later"}), true))
			return
		}
		defer s.openWS.Add(-1)
		up := websocket.Upgrader{ReadBufferSize: 4096, WriteBufferSize: 4096}
		if check := s.checkOrigin.Load(); check != nil {
			up.CheckOrigin = *check
		}
		conn, err := up.Upgrade(w, r, nil)
		if err != nil {
			return // Upgrade has sent an HTTP error
		}
		s.serveWebSocket(r.Context(), conn)
	})
}

// OpenWebSockets is the number of WebSockets open now.
func (s *Server) OpenWebSockets() int { return int(s.openWS.Load()) }

func (s *Server) serveWebSocket(ctx context.Context, conn *websocket.Conn) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	defer conn.Close()

	limit := s.maxBodyBytes()
	conn.SetReadLimit(limit)
	conn.SetPongHandler(func(string) error {
		return conn.SetReadDeadline(time.Now().Add(wsPongWait))
	})
	done := make(chan struct{})
	defer close(done)
	go func() {
		t := time.NewTicker(wsPingPeriod)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				// WriteControl may run concurrently with the reader and
				// the writer below.
				if conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(wsWriteWait)) != nil {
					return
				}
			}
		}
	}()

	for {
		// The deadline is set before each read, not after each message,
		// so a slow handler does not count as an idle peer.
		if conn.SetReadDeadline(time.Now().Add(wsPongWait)) != nil {
			return
		}
		typ, rd, err := conn.NextReader()
		if err != nil {
			return // closed, timed out, or over the read limit (already answered with 1009)
		}
		if typ != websocket.TextMessage {
			_ = conn.WriteControl(websocket.CloseMessage,
				websocket.FormatCloseMessage(websocket.CloseUnsupportedData, "JSON-RPC needs text messages"),
				time.Now().Add(wsWriteWait))
			return
		}
		msg, release, err := s.readLimited(rd, limit, -1)
		var resp []byte
		switch {
		case errors.Is(err, errBusy):
			if _, err := io.Copy(io.Discard, rd); err != nil {
				return
			}
			resp = appendResponse(nil, nil, s.encodeError(s.busyError()), true)
		case err != nil:
			return // as for NextReader
		default:
			resp = s.handle(ctx, msg)
			release()
		}
		if resp == nil {
			continue
		}
		// This loop is the connection's only writer of data messages.
		if conn.SetWriteDeadline(time.Now().Add(wsWriteWait)) != nil ||
			conn.WriteMessage(websocket.TextMessage, resp) != nil {
			return
		}
	}
}
