package jsonrpc

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"
)

// This file splits a body into Request objects and their members. The
// body is first checked as a whole (UTF-8 and json.Valid); the scanners
// below then only find where values end, which is much cheaper than
// decoding with encoding/json, whose struct decoding would also match
// member names case-insensitively. On input that is not valid JSON they
// return garbage but never panic.

// request is one parsed Request object.
type request struct {
	method string
	params json.RawMessage // nil if absent
	id     json.RawMessage // nil if absent, or if err and the id was invalid
	err    *Error          // non-nil if the Request object is invalid
}

// notification reports whether req is a valid Request without an id.
func (req *request) notification() bool { return req.err == nil && req.id == nil }

// checkBody returns a Parse error if body is not one valid JSON text.
func checkBody(body []byte) *Error {
	if !utf8.Valid(body) {
		return &Error{Code: CodeParseError, Message: "Parse error: body is not valid UTF-8"}
	}
	if !json.Valid(body) {
		msg := "Parse error: invalid JSON"
		// Unmarshal validates before it decodes, so it fails fast with
		// the syntax error's description.
		if err := json.Unmarshal(body, new(json.RawMessage)); err != nil {
			msg = "Parse error: " + err.Error()
		}
		return &Error{Code: CodeParseError, Message: msg}
	}
	return nil
}

// isBatch reports whether the valid JSON text b is an array.
func isBatch(b []byte) bool {
	i := skipSpace(b, 0)
	return i < len(b) && b[i] == '['
}

// splitArray returns the elements of the JSON array b (which must be valid
// JSON), stopping after max+1 elements so that a caller can tell the
// array is too long without splitting all of it.
func splitArray(b []byte, max int) []json.RawMessage {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '[' {
		return nil
	}
	var elems []json.RawMessage
	for i++; i < len(b) && len(elems) <= max; {
		i = skipSpace(b, i)
		if i >= len(b) || b[i] == ']' {
			break
		}
		if b[i] == ',' {
			i++
			continue
		}
		end := valueEnd(b, i)
		elems = append(elems, b[i:end:end])
		i = end
	}
	return elems
}

// parseRequest parses one Request object; b must be valid JSON. Members
// are matched by exact name (after unescaping); a repeated member counts
// by its last occurrence, as with encoding/json.
func parseRequest(b []byte) request {
	var req request
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		req.err = invalidRequest("request must be a JSON object")
		return req
	}
	var version, method, params, id json.RawMessage
	for i++; i < len(b); {
		i = skipSpace(b, i)
		if i >= len(b) || b[i] == '}' {
			break
		}
		if b[i] == ',' {
			i++
			continue
		}
		if b[i] != '"' {
			req.err = invalidRequest("request must be a JSON object")
			return req
		}
		kEnd := stringEnd(b, i)
		key := b[i:kEnd]
		i = skipSpace(b, kEnd)
		if i >= len(b) || b[i] != ':' {
			req.err = invalidRequest("request must be a JSON object")
			return req
		}
		i = skipSpace(b, i+1)
		if i >= len(b) {
			req.err = invalidRequest("request must be a JSON object")
			return req
		}
		end := valueEnd(b, i)
		val := json.RawMessage(b[i:end:end])
		i = end
		switch unquote(key) {
		case "jsonrpc":
			version = val
		case "method":
			method = val
		case "params":
			params = val
		case "id":
			id = val
		}
	}

	// The id first, so that errors about the rest can echo it.
	if id != nil {
		switch id[0] {
		case '"', 'n', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
			req.id = id
		default:
			req.err = invalidRequest(`"id" must be a string, a number or null`)
			return req
		}
	}
	switch {
	case version == nil:
		req.err = invalidRequest(`missing "jsonrpc"`)
	case version[0] != '"' || unquote(version) != "2.0":
		req.err = invalidRequest(`"jsonrpc" must be "2.0"`)
	case method == nil:
		req.err = invalidRequest(`missing "method"`)
	case method[0] != '"':
		req.err = invalidRequest(`"method" must be a string`)
	case params != nil && params[0] != '[' && params[0] != '{':
		req.err = invalidRequest(`"params" must be an array or an object`)
	default:
		req.method = unquote(method)
		req.params = params
	}
	return req
}

// unquote returns the contents of the JSON string s (quotes included).
func unquote(s []byte) string {
	if len(s) < 2 {
		return ""
	}
	if bytes.IndexByte(s, '\\') < 0 {
		return string(s[1 : len(s)-1])
	}
	var v string
	if json.Unmarshal(s, &v) != nil {
		return ""
	}
	return v
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func skipSpace(b []byte, i int) int {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return i
}

// stringEnd returns the index just past the JSON string that starts at
// b[i] (a quote).
func stringEnd(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(b)
}

// valueEnd returns the index just past the JSON value that starts at b[i].
func valueEnd(b []byte, i int) int {
	switch b[i] {
	case '"':
		return stringEnd(b, i)
	case '{', '[':
		depth := 0
		for i < len(b) {
			switch b[i] {
			case '"':
				i = stringEnd(b, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return len(b)
	default: // a number, true, false or null: never starts with a delimiter
		for i++; i < len(b); i++ {
			switch b[i] {
			case ',', '}', ']', ' ', '\t', '\n', '\r':
				return i
			}
		}
		return len(b)
	}
}
