// Package tx owns the vsys transaction: its canonical binary encoding,
// its sign bytes, its hash and its signature check. It knows nothing of
// state; the app's ante step decides whether a valid tx may run.
//
// A tx is a value of the vsys type system (see docs/transactions.md):
//
//	struct{
//	  body: struct{
//	    chain_id: string, pubkey: bytes, nonce: u64, gas_limit: u64, gas_price: u128,
//	    calls: list<struct{contract: address, method: string, args: bytes,
//	                        funds: list<struct{token: string, amount: u128}>}>},
//	  signature: bytes}
//
// encoded canonically, so one tx has exactly one byte string, and the body's
// bytes are a prefix of the tx's bytes: signing and verifying never
// re-encode anything.
package tx
