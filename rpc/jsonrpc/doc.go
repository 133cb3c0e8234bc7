// Package jsonrpc is a JSON-RPC 2.0 server and client
// (https://www.jsonrpc.org/specification), over HTTP POST and WebSocket.
//
// It knows nothing about vsys: an application registers its methods on a
// [Server] with [Server.Register] and mounts the server (an http.Handler)
// and, if it wants, [Server.WebSocketHandler].
//
// # Protocol
//
// The server follows the specification exactly:
//
//   - A body is one Request object or a batch (an array of them). Bodies
//     that are not JSON, or not UTF-8 (RFC 8259 requires UTF-8), get a
//     Parse error (-32700) with id null.
//   - A Request object must have "jsonrpc": "2.0", a string "method", an
//     optional "params" that is an array or an object (null is neither),
//     and an optional "id" that is a string, a number or null. Anything
//     else gets an Invalid Request error (-32600). Member names are
//     case-sensitive. The error echoes the id if the id itself was valid,
//     and is null otherwise.
//   - A valid Request without an "id" member is a notification: its method
//     runs, but no response is sent, not even an error. ("id": null is a
//     request, not a notification.) A body of notifications only gets
//     HTTP 204 and an empty body.
//   - An empty batch gets a single Invalid Request error; a batch's
//     invalid entries each get their own Invalid Request error in the
//     response array.
//   - Ids are echoed byte for byte, so numbers of any size or precision
//     round-trip exactly.
//   - Unknown methods get Method not found (-32601), naming the method.
//
// Batch entries run one after another, in order, and the response array
// lists the responses in the order of the requests. Order matters to
// callers that batch transactions from one sender.
//
// # Handler errors
//
// A [Handler] returning an [*Error] (also wrapped, as found by errors.As)
// has that error sent as it is; handlers use this for Invalid params
// ([InvalidParams]) and for their own codes, either in the server-error
// range -32000..-32099 or positive. Any other error is sent as code
// [CodeServerError] (-32000) with the error's message. A handler that
// panics gets Internal error (-32603) with a generic message, the panic
// is logged through the logger set by [Server.SetLogger], and the server
// goes on serving.
//
// # HTTP
//
// Only POST is served; other HTTP methods get 405 with a JSON-RPC error
// body. Every JSON-RPC response, errors included, is sent with status 200
// and Content-Type application/json, except that a body over the limit
// ([Server.SetMaxBodyBytes], 10 MiB by default) gets 413 and an Invalid
// Request error, one that does not arrive within the read timeout 408, and
// one refused for lack of memory budget 503 (see Limits). Batches over [Server.SetMaxBatch] entries (1000 by
// default) get a single Invalid Request error naming the limit. The
// request's Content-Type is not checked.
//
// # Limits
//
// A body's buffer grows as its bytes arrive, never from what its
// Content-Length declares, and every growth is reserved from one budget
// shared by all bodies and WebSocket messages being read or served
// ([Server.SetMaxInFlightBytes], 128 MiB by default): a body that would go
// over it gets HTTP 503 and [CodeServerBusy]. WebSockets are capped
// ([Server.SetMaxWebSockets]); beyond the cap a handshake gets 503. The
// handlers of one body share a deadline ([Server.SetHandlerTimeout]); a
// handler error matching context.DeadlineExceeded is sent as
// [CodeDeadline]. Serve the Server with [NewHTTPServer] on
// [HTTPLimits.Listener] for read, write and idle timeouts and a cap on
// connections.
//
// # Client
//
// [Client] calls a server over HTTP: [Client.Call] for one request and
// [Client.BatchCall] for a batch. JSON-RPC errors come back as [*Error].
package jsonrpc
