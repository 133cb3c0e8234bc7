// Package api is the cloud's control API: JSON-RPC 2.0 (rpc/jsonrpc) over
// HTTP POST, methods cloud_createChain, cloud_listChains,
// cloud_chainStatus, cloud_stopChain, cloud_startChain, cloud_deleteChain
// and cloud_logs, behind the operator token.
//
// Every request must carry `Authorization: Bearer <token>`; one without
// it, or with another token, gets HTTP 401 before its body is read. The
// token is compared in constant time, so the time of a refusal says
// nothing about how much of a guess was right.
//
// The package holds the wire types, the server (over a [Backend], which
// the control plane implements) and the [Client]. Errors that callers
// test travel as JSON-RPC codes and come back from the client as the
// same sentinels ([ErrNotFound], [ErrExists], ...), wrapped.
package api
