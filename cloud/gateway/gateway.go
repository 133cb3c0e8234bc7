package gateway

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strconv"
	"time"

	"github.com/vsys/vsys/rpc/jsonrpc"
)

// Routes maps a chain name to its node's JSON-RPC address ("host:port").
// The control plane implements it; it is called once per request, from
// many goroutines at once.
type Routes interface {
	Lookup(chain string) (addr string, ok bool)
}

// RoutesFunc adapts a function to Routes.
type RoutesFunc func(chain string) (string, bool)

// Lookup calls f.
func (f RoutesFunc) Lookup(chain string) (string, bool) { return f(chain) }

// MaxChainName is the longest chain name: a DNS label's length, so a
// name can also be a host name or a Kubernetes object's name.
const MaxChainName = 63

// Options are the gateway's limits.
type Options struct {
	// MaxBodyBytes limits a forwarded request body; 0:
	// jsonrpc.DefaultMaxBodyBytes, the node's own default, so the
	// gateway refuses early what the node would refuse anyway.
	MaxBodyBytes int64
	// HTTP are the limits of the server NewHTTPServer and Listener build;
	// each zero field takes jsonrpc.DefaultHTTPLimits' value, so a
	// gateway never serves without timeouts or a connection cap.
	HTTP jsonrpc.HTTPLimits
	// Transport carries requests to the nodes; nil: a transport that
	// ignores proxy environment variables (a node is local, or named by
	// the control plane; a proxy in between is never wanted).
	Transport http.RoundTripper
	// ErrorLog receives proxy errors (a node down, a broken upstream
	// connection); nil: they are dropped, and the client gets a 502.
	ErrorLog func(chain string, err error)
}

// Gateway is the routing handler. Create it with New.
type Gateway struct {
	routes Routes
	opts   Options
	proxy  *httputil.ReverseProxy
}

// route is what ServeHTTP resolved, handed to the proxy's Rewrite in the
// request's context: Rewrite builds the outgoing URL from it alone.
type route struct {
	chain string
	addr  string
	path  string // "/" or "/ws"
}

// New returns a gateway over r with o's limits.
func New(r Routes, o Options) *Gateway {
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = jsonrpc.DefaultMaxBodyBytes
	}
	o.HTTP = withDefaults(o.HTTP)
	if o.Transport == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.Proxy = nil
		o.Transport = t
	}
	g := &Gateway{routes: r, opts: o}
	g.proxy = &httputil.ReverseProxy{
		Rewrite:      g.rewrite,
		Transport:    o.Transport,
		ErrorHandler: g.proxyError,
	}
	return g
}

func withDefaults(l jsonrpc.HTTPLimits) jsonrpc.HTTPLimits {
	d := jsonrpc.DefaultHTTPLimits()
	if l.MaxConnections <= 0 {
		l.MaxConnections = d.MaxConnections
	}
	for _, f := range []struct{ v, def *time.Duration }{
		{&l.ReadHeaderTimeout, &d.ReadHeaderTimeout}, {&l.ReadTimeout, &d.ReadTimeout},
		{&l.WriteTimeout, &d.WriteTimeout}, {&l.IdleTimeout, &d.IdleTimeout},
	} {
		if *f.v <= 0 {
			*f.v = *f.def
		}
	}
	return l
}

// Error codes of the gateway's own answers, in the JSON-RPC server-error
// range beside rpc/jsonrpc's.
const (
	// CodeUnknownChain: no chain of that name is routed here.
	CodeUnknownChain = -32097
	// CodeChainUnavailable: the chain is known but its node did not answer.
	CodeChainUnavailable = -32096
)

// ServeHTTP routes one request.
func (g *Gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	chain, path, err := parsePath(r.URL)
	if err != nil {
		writeError(w, http.StatusNotFound, jsonrpc.CodeInvalidRequest, err.Error())
		return
	}
	addr, ok := g.routes.Lookup(chain)
	if !ok || addr == "" {
		writeError(w, http.StatusNotFound, CodeUnknownChain, "unknown chain "+strconv.Quote(chain))
		return
	}
	if r.ContentLength > g.opts.MaxBodyBytes {
		writeError(w, http.StatusRequestEntityTooLarge, jsonrpc.CodeInvalidRequest,
			"body exceeds the limit of "+strconv.FormatInt(g.opts.MaxBodyBytes, 10)+" bytes")
		return
	}
	if r.Body != nil && r.Body != http.NoBody {
		r.Body = http.MaxBytesReader(w, r.Body, g.opts.MaxBodyBytes)
	}
	rt := &route{chain: chain, addr: addr, path: path}
	g.proxy.ServeHTTP(w, r.WithContext(withRoute(r.Context(), rt)))
}

// rewrite points the outgoing request at the route ServeHTTP chose, and
// nowhere else: the client's path and query are replaced, not joined.
func (g *Gateway) rewrite(pr *httputil.ProxyRequest) {
	rt := routeOf(pr.In.Context())
	pr.Out.URL = &url.URL{Scheme: "http", Host: rt.addr, Path: rt.path}
	// The node's WebSocket origin check compares Origin with Host: keep
	// the gateway's Host, the one a browser page's origin names.
	pr.Out.Host = pr.In.Host
	pr.SetXForwarded()
}

func (g *Gateway) proxyError(w http.ResponseWriter, r *http.Request, err error) {
	rt := routeOf(r.Context())
	if errors.As(err, new(*http.MaxBytesError)) {
		writeError(w, http.StatusRequestEntityTooLarge, jsonrpc.CodeInvalidRequest,
			"body exceeds the limit of "+strconv.FormatInt(g.opts.MaxBodyBytes, 10)+" bytes")
		return
	}
	if g.opts.ErrorLog != nil {
		g.opts.ErrorLog(rt.chain, err)
	}
	writeError(w, http.StatusBadGateway, CodeChainUnavailable, "chain "+strconv.Quote(rt.chain)+" is not answering")
}

// NewHTTPServer returns an http.Server serving g with its HTTP limits;
// serve it on g.Listener(ln) for the connection cap.
func (g *Gateway) NewHTTPServer() *http.Server { return jsonrpc.NewHTTPServer(g, g.opts.HTTP) }

// Listener returns ln with the gateway's connection cap.
func (g *Gateway) Listener(ln net.Listener) net.Listener { return g.opts.HTTP.Listener(ln) }

// writeError answers with a JSON-RPC error response (id null), the shape
// a JSON-RPC client decodes whatever the HTTP status.
func writeError(w http.ResponseWriter, status, code int, msg string) {
	body, _ := json.Marshal(struct {
		JSONRPC string         `json:"jsonrpc"`
		ID      any            `json:"id"`
		Error   *jsonrpc.Error `json:"error"`
	}{"2.0", nil, &jsonrpc.Error{Code: code, Message: msg}})
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

type routeKey struct{}

func withRoute(ctx context.Context, rt *route) context.Context {
	return context.WithValue(ctx, routeKey{}, rt)
}

// routeOf is the route ServeHTTP stored; the proxy is only reached
// through ServeHTTP, so it is always there.
func routeOf(ctx context.Context) *route {
	rt, _ := ctx.Value(routeKey{}).(*route)
	if rt == nil {
		return &route{}
	}
	return rt
}
