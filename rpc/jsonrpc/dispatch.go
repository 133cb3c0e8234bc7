package jsonrpc

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"runtime/debug"
	"strconv"
	"time"
)

// Dispatch: a body (from HTTP or a WebSocket message) becomes requests,
// each runs its handler, and the responses are encoded.

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
