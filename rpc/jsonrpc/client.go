package jsonrpc

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultTimeout is the timeout of the http.Client that NewClient makes
// when given none.
const DefaultTimeout = 30 * time.Second

// maxResponseBytes bounds a response body the client reads.
const maxResponseBytes = 256 << 20

// defaultTransport is shared by the clients NewClient makes, so that they
// share one pool of keep-alive connections. A load generator keeps many
// requests in flight to one host, hence the large idle pool per host.
var defaultTransport = sync.OnceValue(func() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 1024
	t.MaxIdleConnsPerHost = 1024
	t.IdleConnTimeout = 90 * time.Second
	return t
})

// Client calls a JSON-RPC 2.0 server over HTTP POST. It is safe for
// concurrent use.
type Client struct {
	url  string
	http *http.Client
	id   atomic.Uint64
}

// NewClient returns a client of the server at url. A nil httpClient means
// one with DefaultTimeout and a keep-alive pool shared by all such
// clients, keeping up to 1024 idle connections per host.
func NewClient(url string, httpClient *http.Client) *Client {
	if httpClient == nil {
		httpClient = &http.Client{Timeout: DefaultTimeout, Transport: defaultTransport()}
	}
	return &Client{url: url, http: httpClient}
}

// BatchElem is one call of a batch.
type BatchElem struct {
	// Method is the method to call.
	Method string
	// Params is encoded with encoding/json, and must encode to a JSON
	// array or object; nil sends no params.
	Params any
	// Result, if not nil, is where the result is decoded (a pointer, or a
	// *json.RawMessage for the raw JSON).
	Result any
	// Error is set by BatchCall if this call failed: an *Error if the
	// server answered with an error, else a client-side error (params
	// that do not encode, a result that does not decode, no response).
	Error error
}

// Call calls method with params (encoded with encoding/json into a JSON
// array or object; nil sends none) and decodes the result into result,
// which may be nil to discard it or a *json.RawMessage to keep it raw.
// An error response is returned as an *Error (possibly wrapped, so use
// errors.As); transport failures and malformed responses are other
// errors.
func (c *Client) Call(ctx context.Context, method string, params any, result any) error {
	p, err := encodeParams(params)
	if err != nil {
		return err
	}
	id := c.id.Add(1)
	status, data, err := c.post(ctx, appendRequest(nil, method, p, id))
	if err != nil {
		return err
	}
	var resp response
	if len(bytes.TrimSpace(data)) == 0 {
		if !success(status) {
			return httpError(status, data)
		}
		return fmt.Errorf("jsonrpc: %s: empty response (HTTP %d)", method, status)
	}
	if err := json.Unmarshal(data, &resp); err != nil {
		if !success(status) {
			return httpError(status, data)
		}
		return fmt.Errorf("jsonrpc: %s: invalid response: %w", method, err)
	}
	if !success(status) {
		if resp.Error != nil {
			return fmt.Errorf("jsonrpc: HTTP %d: %w", status, resp.Error)
		}
		return httpError(status, data)
	}
	if !idIs(resp.ID, id) && (resp.Error == nil || !isNull(resp.ID)) {
		// Only a Parse error or an Invalid Request may have id null.
		return fmt.Errorf("jsonrpc: %s: response id %s is not the request's %d", method, resp.ID, id)
	}
	if resp.Error != nil {
		return resp.Error
	}
	if err := resp.decode(result); err != nil {
		return fmt.Errorf("jsonrpc: %s: %w", method, err)
	}
	return nil
}

// BatchCall sends elems as one batch and sets each element's Result or
// Error; the calls run on the server in order. The returned error is for
// the batch as a whole: a transport failure, a malformed response, or the
// server rejecting the batch (an *Error, wrapped, such as the batch
// limit's Invalid Request); the elements' Result and Error mean nothing
// then. An empty elems sends nothing.
func (c *Client) BatchCall(ctx context.Context, elems []BatchElem) error {
	if len(elems) == 0 {
		return nil
	}
	n := uint64(len(elems))
	base := c.id.Add(n) - n + 1
	body := append(make([]byte, 0, 128*len(elems)), '[')
	sent := 0
	for i := range elems {
		elems[i].Error = nil
		p, err := encodeParams(elems[i].Params)
		if err != nil {
			elems[i].Error = err
			continue
		}
		if sent > 0 {
			body = append(body, ',')
		}
		body = appendRequest(body, elems[i].Method, p, base+uint64(i))
		sent++
	}
	if sent == 0 {
		return nil
	}
	body = append(body, ']')

	status, data, err := c.post(ctx, body)
	if err != nil {
		return err
	}
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return fmt.Errorf("jsonrpc: empty response to a batch (HTTP %d)", status)
	}
	if data[0] != '[' || !success(status) {
		// The batch as a whole was rejected with one Response object.
		var resp response
		if json.Unmarshal(data, &resp) == nil && resp.Error != nil {
			return fmt.Errorf("jsonrpc: batch rejected (HTTP %d): %w", status, resp.Error)
		}
		if !success(status) {
			return httpError(status, data)
		}
		return fmt.Errorf("jsonrpc: invalid batch response: %.200s", data)
	}
	var resps []response
	if err := json.Unmarshal(data, &resps); err != nil {
		return fmt.Errorf("jsonrpc: invalid batch response: %w", err)
	}
	answered := make([]bool, len(elems))
	var orphan *Error // an error the server could not tie to a request
	for i := range resps {
		r := &resps[i]
		k, ok := idIndex(r.ID, base, len(elems))
		if !ok || answered[k] || elems[k].Error != nil {
			if orphan == nil && r.Error != nil && isNull(r.ID) {
				orphan = r.Error
			}
			continue
		}
		answered[k] = true
		if err := r.decode(elems[k].Result); err != nil {
			if _, isRPC := errors.AsType[*Error](err); !isRPC {
				err = fmt.Errorf("jsonrpc: %s: %w", elems[k].Method, err)
			}
			elems[k].Error = err
		}
	}
	for i := range elems {
		if !answered[i] && elems[i].Error == nil {
			if orphan != nil {
				elems[i].Error = orphan
			} else {
				elems[i].Error = fmt.Errorf("jsonrpc: %s: no response in the batch", elems[i].Method)
			}
		}
	}
	return nil
}

// response is a Response object as the client reads it.
type response struct {
	Result json.RawMessage `json:"result"`
	Error  *Error          `json:"error"`
	ID     json.RawMessage `json:"id"`
}

// decode returns the response's error, or decodes its result into
// result (if not nil).
func (r *response) decode(result any) error {
	if r.Error != nil {
		return r.Error
	}
	if r.Result == nil {
		return errors.New("response has neither result nor error")
	}
	if result == nil {
		return nil
	}
	if err := json.Unmarshal(r.Result, result); err != nil {
		return fmt.Errorf("decoding the result: %w", err)
	}
	return nil
}

// post sends body and returns the response's status and body.
func (c *Client) post(ctx context.Context, body []byte) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return 0, nil, fmt.Errorf("jsonrpc: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("jsonrpc: %w", err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	if resp.ContentLength > 0 && resp.ContentLength <= maxResponseBytes {
		buf.Grow(int(resp.ContentLength) + bytes.MinRead)
	}
	if _, err := buf.ReadFrom(io.LimitReader(resp.Body, maxResponseBytes+1)); err != nil {
		return 0, nil, fmt.Errorf("jsonrpc: reading the response: %w", err)
	}
	if buf.Len() > maxResponseBytes {
		return 0, nil, fmt.Errorf("jsonrpc: response exceeds %d bytes", maxResponseBytes)
	}
	return resp.StatusCode, buf.Bytes(), nil
}

// encodeParams encodes params, which must give a JSON array or object;
// nil (or what encodes to null) gives nil, for no params.
func encodeParams(params any) (json.RawMessage, error) {
	if params == nil {
		return nil, nil
	}
	b, err := json.Marshal(params)
	if err != nil {
		return nil, fmt.Errorf("jsonrpc: encoding params: %w", err)
	}
	switch b[0] {
	case '[', '{':
		return b, nil
	case 'n':
		return nil, nil
	}
	return nil, fmt.Errorf("jsonrpc: params must encode to a JSON array or object, not %.40s", b)
}

// appendRequest appends a Request object.
func appendRequest(dst []byte, method string, params json.RawMessage, id uint64) []byte {
	m, _ := json.Marshal(method) // a string always encodes
	dst = append(dst, `{"jsonrpc":"2.0","method":`...)
	dst = append(dst, m...)
	if params != nil {
		dst = append(dst, `,"params":`...)
		dst = append(dst, params...)
	}
	dst = append(dst, `,"id":`...)
	dst = strconv.AppendUint(dst, id, 10)
	return append(dst, '}')
}

// idIs reports whether the raw id is the number id.
func idIs(raw json.RawMessage, id uint64) bool {
	var buf [20]byte
	return bytes.Equal(bytes.TrimSpace(raw), strconv.AppendUint(buf[:0], id, 10))
}

// idIndex maps the raw id of a batch response to its element's index.
func idIndex(raw json.RawMessage, base uint64, n int) (int, bool) {
	id, err := strconv.ParseUint(string(bytes.TrimSpace(raw)), 10, 64)
	if err != nil || id < base || id-base >= uint64(n) {
		return 0, false
	}
	return int(id - base), true
}

func success(status int) bool { return status >= 200 && status < 300 }

func httpError(status int, body []byte) error {
	return fmt.Errorf("jsonrpc: HTTP %d %s: %.200s", status, http.StatusText(status), bytes.TrimSpace(body))
}
