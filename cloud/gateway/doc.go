// Package gateway is the cloud's one public port: an http.Handler that
// routes /<chain>/ (JSON-RPC over HTTP POST) and /<chain>/ws (the same
// methods over a WebSocket) to that chain's node, so a dApp needs one
// address whatever chain it uses.
//
// The gateway routes only to what Routes.Lookup returns for a valid chain
// name, and only to the node's two JSON-RPC paths, "/" and "/ws"; nothing
// in a request's path, query or headers can choose another host or path,
// so no chain endpoint reaches the control API. Requests are judged
// before they are forwarded: the chain name must be 1..63 characters of
// [a-z0-9-], the path may hold no dot segments and no encoded slash or
// backslash, and a body over the limit is refused with 413. The HTTP
// server's limits (connection cap, header and read timeouts) are those of
// rpc/jsonrpc.HTTPLimits, through NewHTTPServer and Listener.
package gateway
