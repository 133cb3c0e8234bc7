// Package rpc is the vsys JSON-RPC API as data: the table of the vsys_*
// methods (Methods), and the parameter and result types of the methods
// and their JSON forms. It imports only leaf packages (address, codec,
// abi, the database's key layout), so both the server (rpc/server) and a
// dApp's Go client (rpc/client) use it without the client pulling in the
// node. docs/rpc.md lists the methods.
package rpc
