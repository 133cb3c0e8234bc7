package jsonrpc

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// The error codes that the specification defines.
const (
	// CodeParseError means the body was not valid JSON.
	CodeParseError = -32700
	// CodeInvalidRequest means the JSON was not a valid Request object.
	CodeInvalidRequest = -32600
	// CodeMethodNotFound means no method of that name is registered.
	CodeMethodNotFound = -32601
	// CodeInvalidParams means the method's parameters were wrong.
	CodeInvalidParams = -32602
	// CodeInternal means the server failed (a handler panicked, or its
	// result could not be encoded).
	CodeInternal = -32603
	// CodeServerError is the code of application errors: a handler error
	// that is not an *Error is sent with it. The specification reserves
	// -32000..-32099 for implementation-defined server errors.
	CodeServerError = -32000
	// CodeDeadline means the request ran past the server's deadline
	// (SetHandlerTimeout) and its handler was stopped.
	CodeDeadline = -32099
	// CodeServerBusy means the server is at a limit (bodies in flight,
	// open WebSockets): retry later.
	CodeServerBusy = -32098
)

// deadlineError is the cause of a handler context's end when the handler
// deadline passes. It matches context.DeadlineExceeded, so handlers need
// not know about it, and says which deadline it was.
type deadlineError struct{ d time.Duration }

func (e deadlineError) Error() string {
	return "the request ran past the server's deadline of " + e.d.String()
}

func (deadlineError) Is(target error) bool { return target == context.DeadlineExceeded }

// Error is a JSON-RPC error object. It is an error: handlers return it to
// choose the code, and Client returns it for error responses.
type Error struct {
	// Code is the error code: one of the Code constants, or an
	// application's own code.
	Code int `json:"code"`
	// Message says what went wrong.
	Message string `json:"message"`
	// Data is optional extra information, encoded with encoding/json. In
	// errors decoded by Client it is the raw JSON, as a json.RawMessage.
	Data any `json:"data,omitempty"`
}

// Error returns the message and the code.
func (e *Error) Error() string {
	if e == nil {
		return "<nil>"
	}
	return e.Message + " (code " + strconv.Itoa(e.Code) + ")"
}

// UnmarshalJSON decodes an error object, keeping "data" as a
// json.RawMessage (nil if absent or null) so that no precision is lost.
func (e *Error) UnmarshalJSON(b []byte) error {
	var w struct {
		Code    *int            `json:"code"`
		Message string          `json:"message"`
		Data    json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	if w.Code == nil {
		return fmt.Errorf("jsonrpc: error object has no code")
	}
	e.Code, e.Message, e.Data = *w.Code, w.Message, nil
	if len(w.Data) > 0 && string(w.Data) != "null" {
		e.Data = w.Data
	}
	return nil
}

// Errorf returns an *Error with code and a formatted message.
func Errorf(code int, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// InvalidParams returns an Invalid params (-32602) error whose message,
// formatted like fmt.Sprintf, says what is wrong with the params.
func InvalidParams(format string, args ...any) *Error {
	return Errorf(CodeInvalidParams, format, args...)
}

// invalidRequest is an Invalid Request error with a detail.
func invalidRequest(detail string) *Error {
	return &Error{Code: CodeInvalidRequest, Message: "Invalid Request: " + detail}
}
