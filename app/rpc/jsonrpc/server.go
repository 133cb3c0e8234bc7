package jsonrpc

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// Default limits of a Server.
const (
	// DefaultMaxBodyBytes is the default limit on a request body, and on
	// a WebSocket message: 10 MiB.
	DefaultMaxBodyBytes = 10 << 20
	// DefaultMaxBatch is the default limit on the entries of a batch.
	DefaultMaxBatch = 1000
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
	body, err := s.readBody(w, r)
	if err != nil {
		status, e := http.StatusBadRequest, invalidRequest("cannot read the body: "+err.Error())
		if _, tooLarge := errors.AsType[*http.MaxBytesError](err); tooLarge {
			status = http.StatusRequestEntityTooLarge
			e = invalidRequest("body exceeds the limit of " + strconv.FormatInt(s.maxBodyBytes(), 10) + " bytes")
		}
		writeJSON(w, status, appendResponse(nil, nil, s.encodeError(e), true))
		return
	}
	resp := s.handle(r.Context(), body)
	if resp == nil {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

// readBody reads the whole body, up to the limit.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	limit := s.maxBodyBytes()
	if r.ContentLength > limit {
		return nil, &http.MaxBytesError{Limit: limit}
	}
	rd := http.MaxBytesReader(w, r.Body, limit)
	if r.ContentLength > 0 {
		body := make([]byte, r.ContentLength)
		if _, err := io.ReadFull(rd, body); err != nil {
			return nil, err
		}
		return body, nil
	}
	return io.ReadAll(rd)
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
