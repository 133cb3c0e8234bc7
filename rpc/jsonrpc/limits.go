package jsonrpc

import (
	"net"
	"net/http"
	"time"

	"golang.org/x/net/netutil"
)

// HTTPLimits are the connection limits of the http.Server that serves a
// Server: how many connections, and how long each phase of a request may
// take. Without them one peer can hold a connection, and what it declared
// it would send, for ever.
type HTTPLimits struct {
	// MaxConnections caps the open TCP connections, WebSockets included.
	// Beyond it the listener stops accepting: new connections wait in
	// the kernel's accept queue (or are refused when that is full) until
	// one closes. 0: no cap.
	MaxConnections int
	// ReadHeaderTimeout bounds reading a request's headers.
	ReadHeaderTimeout time.Duration
	// ReadTimeout bounds reading a whole request, headers and body.
	// Serving it is bounded by the Server's handler timeout instead.
	ReadTimeout time.Duration
	// WriteTimeout bounds the time from the end of a request's headers
	// to the end of its response, so it must exceed ReadTimeout plus the
	// handler timeout.
	WriteTimeout time.Duration
	// IdleTimeout bounds the wait for the next request on a kept-alive
	// connection.
	IdleTimeout time.Duration
}

// DefaultHTTPLimits are limits for a public node: 512 connections, 10 s
// for headers, 30 s for a request, 60 s to answer, 120 s idle.
func DefaultHTTPLimits() HTTPLimits {
	return HTTPLimits{
		MaxConnections:    512,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
}

// NewHTTPServer returns an http.Server for h with l's timeouts. Serve it
// on l.Listener(ln) for the connection cap. (WebSocket connections keep
// no HTTP deadline once upgraded: the WebSocket handler sets its own.)
func NewHTTPServer(h http.Handler, l HTTPLimits) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: l.ReadHeaderTimeout,
		ReadTimeout:       l.ReadTimeout,
		WriteTimeout:      l.WriteTimeout,
		IdleTimeout:       l.IdleTimeout,
	}
}

// Listener returns ln with the connection cap, or ln itself if there is
// none.
func (l HTTPLimits) Listener(ln net.Listener) net.Listener {
	if l.MaxConnections <= 0 {
		return ln
	}
	return netutil.LimitListener(ln, l.MaxConnections)
}
