package jsonrpc

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Default limits of a Server.
const (
	// DefaultMaxBodyBytes is the default limit on a request body, and on
	// a WebSocket message: 10 MiB.
	DefaultMaxBodyBytes = 10 << 20
	// DefaultMaxBatch is the default limit on the entries of a batch.
	DefaultMaxBatch = 1000
	// DefaultMaxInFlightBytes is the default limit on the memory that the
	// bodies and WebSocket messages being read or served hold together:
	// 128 MiB.
	DefaultMaxInFlightBytes = 128 << 20
	// DefaultMaxWebSockets is the default limit on open WebSockets.
	DefaultMaxWebSockets = 256
)

// Handler serves one method. params is the raw "params" member: nil if
// the request had none, else a JSON array or object. The handler may keep
// params after it returns.
//
// The result is encoded with encoding/json. A returned *Error (found with
// errors.As) is sent as it is; any other error is sent as code
// CodeServerError with err.Error() as the message, so the message should
// say what was wrong. ctx is the HTTP request's context (or the WebSocket
// connection's).
type Handler func(ctx context.Context, params json.RawMessage) (any, error)

// Server is a JSON-RPC 2.0 server: an http.Handler serving the registered
// methods over HTTP POST (see the package documentation for the protocol
// details). Create it with NewServer, register the methods and set the
// limits, then serve it. All its methods are safe for concurrent use.
type Server struct {
	mu          sync.Mutex // serializes Register
	methods     atomic.Pointer[map[string]Handler]
	maxBody     atomic.Int64
	maxBatch    atomic.Int64
	maxInFlight atomic.Int64
	inFlight    atomic.Int64 // bytes reserved by bodies and messages being read or served
	maxWS       atomic.Int64
	openWS      atomic.Int64
	timeout     atomic.Int64 // handler deadline per body, in nanoseconds; 0: none
	logger      atomic.Pointer[func(msg string, keyvals ...any)]
	checkOrigin atomic.Pointer[func(r *http.Request) bool]
}

// NewServer returns a Server with no methods and the default limits.
func NewServer() *Server {
	s := &Server{}
	m := map[string]Handler{}
	s.methods.Store(&m)
	s.maxBody.Store(DefaultMaxBodyBytes)
	s.maxBatch.Store(DefaultMaxBatch)
	s.maxInFlight.Store(DefaultMaxInFlightBytes)
	s.maxWS.Store(DefaultMaxWebSockets)
	return s
}

// Register adds a method. It is meant to be called at startup, and panics
// on a programming error: an empty method name, a name starting with
// "rpc." (reserved by the specification), a nil handler, or a method
// registered twice.
func (s *Server) Register(method string, h Handler) {
	switch {
	case method == "":
		panic("jsonrpc: Register with an empty method name")
	case strings.HasPrefix(method, "rpc."):
		panic(fmt.Sprintf("jsonrpc: method %q: names starting with \"rpc.\" are reserved", method))
	case h == nil:
		panic(fmt.Sprintf("jsonrpc: method %q: nil handler", method))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.table()
	if _, dup := old[method]; dup {
		panic(fmt.Sprintf("jsonrpc: method %q registered twice", method))
	}
	m := make(map[string]Handler, len(old)+1)
	maps.Copy(m, old)
	m[method] = h
	s.methods.Store(&m)
}

// Methods returns the names of the registered methods, sorted.
func (s *Server) Methods() []string {
	return slices.Sorted(maps.Keys(s.table()))
}

// SetMaxBodyBytes sets the largest request body (and WebSocket message)
// served; larger ones get an error response. n <= 0 restores
// DefaultMaxBodyBytes. WebSocket connections already open keep the limit
// they started with.
func (s *Server) SetMaxBodyBytes(n int64) {
	if n <= 0 {
		n = DefaultMaxBodyBytes
	}
	s.maxBody.Store(n)
}

// SetMaxBatch sets the most entries a batch may have; longer batches get
// an Invalid Request error. n <= 0 restores DefaultMaxBatch.
func (s *Server) SetMaxBatch(n int) {
	if n <= 0 {
		n = DefaultMaxBatch
	}
	s.maxBatch.Store(int64(n))
}

// SetMaxInFlightBytes sets how much memory the bodies (and WebSocket
// messages) being read or served may hold together. A body reserves
// memory as its bytes arrive, never from what its Content-Length
// declares, and gives it back once its response is made; a body that
// would go over the limit gets HTTP 503 and a CodeServerBusy error (on a
// WebSocket, an error message). n <= 0 restores DefaultMaxInFlightBytes.
func (s *Server) SetMaxInFlightBytes(n int64) {
	if n <= 0 {
		n = DefaultMaxInFlightBytes
	}
	s.maxInFlight.Store(n)
}

// InFlightBytes is the memory the bodies being read or served hold now.
func (s *Server) InFlightBytes() int64 { return s.inFlight.Load() }

// SetMaxWebSockets sets how many WebSockets may be open at once; beyond
// it a handshake gets HTTP 503 and a CodeServerBusy error body. n <= 0
// restores DefaultMaxWebSockets.
func (s *Server) SetMaxWebSockets(n int) {
	if n <= 0 {
		n = DefaultMaxWebSockets
	}
	s.maxWS.Store(int64(n))
}

// SetHandlerTimeout sets the wall-clock deadline of one body: a request
// or a whole batch over HTTP, one message over a WebSocket. Handlers see
// it on their context; a handler error that matches
// context.DeadlineExceeded is sent as CodeDeadline. d <= 0 (the default)
// sets no deadline.
func (s *Server) SetHandlerTimeout(d time.Duration) { s.timeout.Store(int64(max(d, 0))) }

// SetLogger sets where the server reports handler panics and results it
// cannot encode: log is called with a message and key-value pairs, in the
// style of log/slog and CometBFT's logger. nil (the default) discards
// them.
func (s *Server) SetLogger(log func(msg string, keyvals ...any)) {
	if log == nil {
		s.logger.Store(nil)
		return
	}
	s.logger.Store(&log)
}

func (s *Server) log(msg string, keyvals ...any) {
	if l := s.logger.Load(); l != nil {
		(*l)(msg, keyvals...)
	}
}

func (s *Server) table() map[string]Handler {
	if p := s.methods.Load(); p != nil {
		return *p
	}
	return nil
}

func (s *Server) maxBodyBytes() int64 {
	if n := s.maxBody.Load(); n > 0 {
		return n
	}
	return DefaultMaxBodyBytes
}

func (s *Server) maxInFlightBytes() int64 {
	if n := s.maxInFlight.Load(); n > 0 {
		return n
	}
	return DefaultMaxInFlightBytes
}

func (s *Server) maxBatchLen() int {
	if n := s.maxBatch.Load(); n > 0 {
		return int(n)
	}
	return DefaultMaxBatch
}
