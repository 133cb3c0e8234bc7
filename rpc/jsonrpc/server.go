package jsonrpc

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"runtime/debug"
	"slices"
	"strconv"
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

// readChunk is the first buffer of a body, and the least it grows by.
const readChunk = 64 << 10

// errBusy is readLimited's error when the in-flight budget is spent.
var errBusy = errors.New("server busy")

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

// ServeHTTP serves one POST body: a request or a batch. Other HTTP methods
// get 405.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeJSON(w, http.StatusMethodNotAllowed, appendResponse(nil, nil, s.encodeError(
			invalidRequest("HTTP method "+r.Method+" is not allowed, use POST")), true))
		return
	}
	body, release, err := s.readBody(w, r)
	if err != nil {
		status, e := http.StatusBadRequest, invalidRequest("cannot read the body: "+err.Error())
		var ne net.Error
		switch {
		case errors.Is(err, errBusy):
			status, e = http.StatusServiceUnavailable, s.busyError()
			w.Header().Set("Retry-After", "1")
		case errors.As(err, new(*http.MaxBytesError)):
			status = http.StatusRequestEntityTooLarge
			e = invalidRequest("body exceeds the limit of " + strconv.FormatInt(s.maxBodyBytes(), 10) + " bytes")
		case errors.As(err, &ne) && ne.Timeout():
			status = http.StatusRequestTimeout
			e = invalidRequest("the body did not arrive within the server's read timeout")
		}
		writeJSON(w, status, appendResponse(nil, nil, s.encodeError(e), true))
		return
	}
	resp := s.handle(r.Context(), body)
	release()
	if resp == nil {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

func (s *Server) busyError() *Error {
	return &Error{Code: CodeServerBusy, Message: "Server busy: the bodies being served hold the limit of " +
		strconv.FormatInt(s.maxInFlightBytes(), 10) + " bytes; retry later"}
}

// readBody reads the whole body, up to the limit; release gives its
// memory back to the in-flight budget.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request) (body []byte, release func(), err error) {
	limit := s.maxBodyBytes()
	if r.ContentLength > limit {
		return nil, nil, &http.MaxBytesError{Limit: limit}
	}
	return s.readLimited(http.MaxBytesReader(w, r.Body, limit), limit, r.ContentLength)
}

// readLimited reads rd to its end, up to limit bytes. The buffer grows as
// bytes arrive (to hint, the declared length, at most, while that holds),
// and each growth is reserved from the in-flight budget first, so a peer
// that declares a large body and stalls holds only what it sent. release
// gives the reservation back; on error readLimited has already done so.
func (s *Server) readLimited(rd io.Reader, limit, hint int64) (buf []byte, release func(), err error) {
	var held int64
	release = func() {
		s.inFlight.Add(-held)
		held = 0
	}
	defer func() {
		if err != nil {
			release()
			buf = nil
		}
	}()
	var probe [1]byte
	for {
		if len(buf) == cap(buf) {
			extra := 0 // a probed byte to keep
			if n := int64(len(buf)); n == limit || (hint > 0 && n == hint) {
				// Full at the limit or at the declared length: grow
				// only if more comes.
				k, err := io.ReadFull(rd, probe[:])
				if k == 0 {
					if errors.Is(err, io.EOF) {
						return buf, release, nil
					}
					return buf, release, err
				}
				if n == limit {
					return buf, release, &http.MaxBytesError{Limit: limit}
				}
				hint, extra = 0, 1 // longer than declared
			}
			grow := min(int64(max(cap(buf), readChunk)), limit-int64(cap(buf)))
			if hint > 0 {
				grow = min(grow, hint-int64(cap(buf)))
			}
			if s.inFlight.Add(grow) > s.maxInFlightBytes() {
				s.inFlight.Add(-grow)
				return buf, release, errBusy
			}
			held += grow
			next := make([]byte, len(buf), cap(buf)+int(grow))
			copy(next, buf)
			buf = append(next, probe[:extra]...)
		}
		n, err := rd.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if errors.Is(err, io.EOF) {
			return buf, release, nil
		}
		if err != nil {
			return buf, release, err
		}
	}
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// handle serves one body (HTTP or WebSocket) and returns the response, or
// nil if there is none (notifications only).
func (s *Server) handle(ctx context.Context, body []byte) []byte {
	if d := time.Duration(s.timeout.Load()); d > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, d, deadlineError{d})
		defer cancel()
	}
	if e := checkBody(body); e != nil {
		return appendResponse(nil, nil, s.encodeError(e), true)
	}
	methods := s.table()
	if !isBatch(body) {
		req := parseRequest(body)
		resp, ok := s.respond(ctx, methods, nil, &req)
		if !ok {
			return nil
		}
		return resp
	}
	limit := s.maxBatchLen()
	elems := splitArray(body, limit)
	switch {
	case len(elems) == 0:
		return appendResponse(nil, nil, s.encodeError(invalidRequest("empty batch")), true)
	case len(elems) > limit:
		return appendResponse(nil, nil, s.encodeError(invalidRequest(
			"batch exceeds the limit of "+strconv.Itoa(limit)+" requests")), true)
	}
	out := append(make([]byte, 0, 64*len(elems)), '[')
	n := 0
	for _, el := range elems {
		req := parseRequest(el)
		mark := len(out)
		if n > 0 {
			out = append(out, ',')
		}
		var ok bool
		if out, ok = s.respond(ctx, methods, out, &req); ok {
			n++
		} else {
			out = out[:mark]
		}
	}
	if n == 0 {
		return nil
	}
	return append(out, ']')
}

// respond runs req and appends its response to dst; ok is false if there
// is no response (a notification).
func (s *Server) respond(ctx context.Context, methods map[string]Handler, dst []byte, req *request) (out []byte, ok bool) {
	if req.err != nil {
		return appendResponse(dst, req.id, s.encodeError(req.err), true), true
	}
	h := methods[req.method]
	if h == nil {
		if req.notification() {
			return dst, false
		}
		e := &Error{Code: CodeMethodNotFound, Message: "Method not found: " + strconv.Quote(req.method)}
		return appendResponse(dst, req.id, s.encodeError(e), true), true
	}
	member, isErr := s.call(ctx, h, req)
	if req.notification() {
		return dst, false
	}
	return appendResponse(dst, req.id, member, isErr), true
}

// call runs a handler and returns the encoded "result" or, if isErr, the
// encoded "error". It recovers panics, also those of encoding.
func (s *Server) call(ctx context.Context, h Handler, req *request) (member []byte, isErr bool) {
	defer func() {
		if v := recover(); v != nil {
			s.log("jsonrpc: method panicked", "method", req.method, "panic", v, "stack", string(debug.Stack()))
			member, isErr = s.encodeError(&Error{Code: CodeInternal, Message: "Internal error"}), true
		}
	}()
	res, err := h(ctx, req.params)
	if err != nil {
		if e, ok := errors.AsType[*Error](err); ok {
			if e != nil { // a nil *Error is no error
				return s.encodeError(e), true
			}
		} else if errors.Is(err, context.DeadlineExceeded) {
			return s.encodeError(&Error{Code: CodeDeadline, Message: err.Error()}), true
		} else {
			return s.encodeError(&Error{Code: CodeServerError, Message: err.Error()}), true
		}
	}
	if req.notification() {
		return nil, false
	}
	b, err := json.Marshal(res)
	if err != nil {
		s.log("jsonrpc: cannot encode a result", "method", req.method, "err", err)
		return s.encodeError(&Error{Code: CodeInternal, Message: "Internal error: cannot encode the result"}), true
	}
	return b, false
}

// encodeError encodes an error object. If its Data cannot be encoded, the
// error is sent without it.
func (s *Server) encodeError(e *Error) (b []byte) {
	if e.Data == nil {
		// The common case, without reflection over the struct.
		b = append(b, `{"code":`...)
		b = strconv.AppendInt(b, int64(e.Code), 10)
		b = append(b, `,"message":`...)
		msg, _ := json.Marshal(e.Message) // a string always encodes
		b = append(b, msg...)
		return append(b, '}')
	}
	defer func() {
		if v := recover(); v != nil {
			s.log("jsonrpc: cannot encode error data", "code", e.Code, "panic", v)
			b = s.encodeError(&Error{Code: e.Code, Message: e.Message})
		}
	}()
	b, err := json.Marshal(e)
	if err != nil {
		s.log("jsonrpc: cannot encode error data", "code", e.Code, "err", err)
		return s.encodeError(&Error{Code: e.Code, Message: e.Message})
	}
	return b
}

// appendResponse appends a Response object: member is the encoded
// "error" if isErr, else the encoded "result". A nil id is sent as null.
func appendResponse(dst []byte, id json.RawMessage, member []byte, isErr bool) []byte {
	dst = append(dst, `{"jsonrpc":"2.0",`...)
	if isErr {
		dst = append(dst, `"error":`...)
	} else {
		dst = append(dst, `"result":`...)
	}
	dst = append(dst, member...)
	dst = append(dst, `,"id":`...)
	if id == nil {
		dst = append(dst, "null"...)
	} else {
		dst = append(dst, id...)
	}
	return append(dst, '}')
}

// isNull reports whether raw is the JSON literal null.
func isNull(raw []byte) bool { return bytes.Equal(bytes.TrimSpace(raw), []byte("null")) }
