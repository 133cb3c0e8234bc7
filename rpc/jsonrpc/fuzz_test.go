package jsonrpc

import (
	"bytes"
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"unicode/utf8"
)

// fuzzSeeds are bodies the fuzzers start from.
var fuzzSeeds = []string{
	``,
	`{"jsonrpc":"2.0","method":"subtract","params":[42,23],"id":1}`,
	`{"jsonrpc":"2.0","method":"subtract","params":{"subtrahend":23,"minuend":42},"id":"x"}`,
	`{"jsonrpc":"2.0","method":"update","params":[1,2,3,4,5]}`,
	`{"jsonrpc":"2.0","method":"foobar","id":null}`,
	`{"jsonrpc":"2.0","method":"foobar, "params":"bar","baz]`,
	`{"jsonrpc":"2.0","method":1,"params":"bar"}`,
	`[{"jsonrpc":"2.0","method":"sum","params":[1,2,4],"id":"1"},{"jsonrpc":"2.0","method"]`,
	`[]`,
	`[1]`,
	`[1,2,3]`,
	`[{"jsonrpc":"2.0","method":"sum","params":[1,2,4],"id":"1"},{"jsonrpc":"2.0","method":"notify_hello","params":[7]},` +
		`{"jsonrpc":"2.0","method":"subtract","params":[42,23],"id":"2"},{"foo":"boo"},` +
		`{"jsonrpc":"2.0","method":"foo.get","params":{"name":"myself"},"id":"5"},{"jsonrpc":"2.0","method":"get_data","id":"9"}]`,
	`[{"jsonrpc":"2.0","method":"notify_sum","params":[1,2,4]},{"jsonrpc":"2.0","method":"notify_hello","params":[7]}]`,
	`{"jsonrpc":"2.0","method":"echo","id":12345678901234567890}`,
	`{"jsonrpc":"2.0","method":"echo","id":1e400}`,
	`{"jsonrpc":"2.0","method":"echo","id":{}}`,
	`{"jsonrpc":"2.0","method":"echo","id":true,"params":null}`,
	`{"\u006asonrpc":"2\u002e0","\u006dethod":"ech\u006f","id":"\ud800"}`,
	`{"jsonrpc":"2.0","method":"echo","method":"panic","id":1,"id":[]}`,
	`{"jsonrpc":"2.0","method":"echo","params":{"a":[1,{"b":"]}\"\\"}],"c":null},"id":1}`,
	`[{"jsonrpc":"2.0","method":"panic","id":1},{"jsonrpc":"2.0","method":"fail","id":2},{"jsonrpc":"2.0","method":"rpcerr","id":3},` +
		`{"jsonrpc":"2.0","method":"badresult","id":4},{"jsonrpc":"2.0","method":"baddata","id":5},[],null,"x"]`,
	`[1,2,3,4,5,6,7,8,9]`,
	"{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"id\":\"\xff\"}",
	" \t\r\n{\"JSONRPC\":\"2.0\" , \"Method\":\"echo\"} ",
	`{"jsonrpc":"2.0","method":"wrapped","id":-0.5e-10}`,
}

// refRequest is what a Request object should parse to, found with
// encoding/json rather than the package's scanner.
type refRequest struct {
	valid        bool
	notification bool
	method       string
	params       json.RawMessage
	id           json.RawMessage // the id a response carries (nil if none)
}

func refParse(b []byte) refRequest {
	var r refRequest
	var m map[string]json.RawMessage
	trimmed := bytes.TrimLeft(b, " \t\r\n")
	if len(trimmed) == 0 || trimmed[0] != '{' || json.Unmarshal(b, &m) != nil {
		return r
	}
	id, hasID := m["id"]
	if hasID {
		switch id[0] {
		case '{', '[', 't', 'f':
			return r // an invalid id: the error's id is null
		}
		r.id = id
	}
	var version, method any
	_ = json.Unmarshal(m["jsonrpc"], &version)
	_ = json.Unmarshal(m["method"], &method)
	params, hasParams := m["params"]
	name, isString := method.(string)
	if version != "2.0" || !isString || hasParams && params[0] != '[' && params[0] != '{' {
		return r
	}
	r.valid, r.notification, r.method, r.params = true, !hasID, name, params
	return r
}

// FuzzParseRequest checks the scanner against encoding/json: on any input
// it must not panic, and on valid JSON it must split batches and find a
// Request object's members exactly as encoding/json does.
func FuzzParseRequest(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		req := parseRequest(data) // must not panic on anything
		_ = splitArray(data, 3)
		if !utf8.Valid(data) || !json.Valid(data) {
			return
		}
		if isBatch(data) {
			var want []json.RawMessage
			if err := json.Unmarshal(data, &want); err != nil {
				t.Fatalf("a valid array does not decode: %v", err)
			}
			got := splitArray(data, math.MaxInt-1)
			if len(got) != len(want) {
				t.Fatalf("split into %d elements, want %d", len(got), len(want))
			}
			for i := range got {
				if !bytes.Equal(got[i], want[i]) {
					t.Fatalf("element %d is %q, want %q", i, got[i], want[i])
				}
			}
			if limited := splitArray(data, 2); len(limited) > 3 || len(limited) != min(len(want), 3) {
				t.Fatalf("split with limit 2 gave %d elements of %d", len(limited), len(want))
			}
			return
		}
		want := refParse(data)
		if (req.err == nil) != want.valid {
			t.Fatalf("valid %v (%v), want %v", req.err == nil, req.err, want.valid)
		}
		if req.err != nil && req.err.Code != CodeInvalidRequest {
			t.Fatalf("error code %d", req.err.Code)
		}
		if !bytes.Equal(req.id, want.id) || (req.id == nil) != (want.id == nil) {
			t.Fatalf("id %q, want %q", req.id, want.id)
		}
		if want.valid {
			if req.method != want.method || !bytes.Equal(req.params, want.params) ||
				(req.params == nil) != (want.params == nil) || req.notification() != want.notification {
				t.Fatalf("parsed %+v, want %+v", req, want)
			}
		}
	})
}

// fuzzResponse is a Response object as the fuzzer checks it.
type fuzzResponse struct {
	members map[string]json.RawMessage
	id      json.RawMessage // nil for null
	code    int             // the error's code, 0 if a result
}

func decodeFuzzResponse(t *testing.T, raw json.RawMessage) fuzzResponse {
	t.Helper()
	var r fuzzResponse
	if err := json.Unmarshal(raw, &r.members); err != nil || r.members == nil {
		t.Fatalf("response %s is not an object: %v", raw, err)
	}
	if string(r.members["jsonrpc"]) != `"2.0"` {
		t.Fatalf("response %s: jsonrpc is not \"2.0\"", raw)
	}
	id, hasID := r.members["id"]
	if !hasID {
		t.Fatalf("response %s has no id", raw)
	}
	if string(id) != "null" {
		r.id = id
	}
	result, hasResult := r.members["result"]
	errObj, hasErr := r.members["error"]
	if hasResult == hasErr || len(r.members) != 3 {
		t.Fatalf("response %s must have result or error, not both", raw)
	}
	if hasErr {
		var e struct {
			Code    *int    `json:"code"`
			Message *string `json:"message"`
		}
		if err := json.Unmarshal(errObj, &e); err != nil || e.Code == nil || e.Message == nil {
			t.Fatalf("response %s: bad error object: %v", raw, err)
		}
		r.code = *e.Code
	} else if !json.Valid(result) {
		t.Fatalf("response %s: bad result", raw)
	}
	return r
}

// FuzzServeHTTP posts random bodies. The server must never panic, and must
// answer with 204 and nothing, or with a valid Response object or array
// of them whose ids are null or request ids: exactly the ids of the
// body's requests that are not notifications, in order.
func FuzzServeHTTP(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	s, _ := testServer(f)
	const maxBatch = 8
	s.SetMaxBatch(maxBatch)
	f.Fuzz(func(t *testing.T, body []byte) {
		req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		out := rec.Body.Bytes()

		// What the body holds, found with encoding/json.
		validJSON := utf8.Valid(body) && json.Valid(body)
		var entries []json.RawMessage
		batch := validJSON && bytes.TrimLeft(body, " \t\r\n")[0] == '['
		if batch {
			if err := json.Unmarshal(body, &entries); err != nil {
				t.Fatal(err)
			}
		} else if validJSON {
			entries = []json.RawMessage{body}
		}
		var allIDs [][]byte // every request id, for the weak check
		for _, e := range entries {
			if r := refParse(e); r.id != nil {
				allIDs = append(allIDs, r.id)
			}
		}
		var wantIDs []json.RawMessage // the ids of the expected responses
		var wantCodes []int           // their error codes, or 1 for any outcome
		wholeError := 0               // the code of one error answering the whole body
		switch {
		case !validJSON:
			wholeError = CodeParseError
		case batch && (len(entries) == 0 || len(entries) > maxBatch):
			wholeError = CodeInvalidRequest
		default:
			for _, e := range entries {
				r := refParse(e)
				if r.notification {
					continue
				}
				if string(r.id) == "null" {
					r.id = nil
				}
				wantIDs = append(wantIDs, r.id)
				switch {
				case !r.valid:
					wantCodes = append(wantCodes, CodeInvalidRequest)
				case !slices.Contains(s.Methods(), r.method):
					wantCodes = append(wantCodes, CodeMethodNotFound)
				default:
					wantCodes = append(wantCodes, 1)
				}
			}
		}

		if wholeError == 0 && len(wantIDs) == 0 {
			if rec.Code != http.StatusNoContent || len(out) != 0 {
				t.Fatalf("want 204 and nothing, got %d %q", rec.Code, out)
			}
			return
		}
		if rec.Code != http.StatusOK || !json.Valid(out) || rec.Header().Get("Content-Type") != "application/json" {
			t.Fatalf("want 200 and JSON, got %d %q", rec.Code, out)
		}
		var resps []json.RawMessage
		if wholeError != 0 || !batch {
			resps = []json.RawMessage{out}
		} else if err := json.Unmarshal(out, &resps); err != nil {
			t.Fatalf("batch response %q is not an array: %v", out, err)
		}
		if wholeError != 0 {
			r := decodeFuzzResponse(t, out)
			if r.code != wholeError || r.id != nil {
				t.Fatalf("got %s, want error %d with id null", out, wholeError)
			}
			return
		}
		if len(resps) != len(wantIDs) {
			t.Fatalf("%d responses, want %d: %s", len(resps), len(wantIDs), out)
		}
		for i, raw := range resps {
			r := decodeFuzzResponse(t, raw)
			if r.id != nil && !slices.ContainsFunc(allIDs, func(id []byte) bool { return bytes.Equal(id, r.id) }) {
				t.Fatalf("response id %s is not a request id", r.id)
			}
			if !bytes.Equal(r.id, wantIDs[i]) || (r.id == nil) != (wantIDs[i] == nil) {
				t.Fatalf("response %d has id %s, want %s", i, r.id, wantIDs[i])
			}
			if wantCodes[i] != 1 && r.code != wantCodes[i] {
				t.Fatalf("response %d: code %d, want %d: %s", i, r.code, wantCodes[i], raw)
			}
		}
	})
}
