// Package token is the native token module, a native contract at the
// reserved address address.Module(1). It keeps the chain's native coin
// (which pays fees and is allocated at genesis) and user-issued tokens in
// the V SYSTEMS style: an issuer creates a token with a fixed maximum
// supply, issues up to it, holders send and burn. Amounts are u128 and
// every sum is checked for overflow.
//
// State, under the module's own prefix:
//
//	't' symbol            -> Info
//	'b' address symbol    -> u128 balance (absent = zero)
//
// Balances of one account are contiguous, so an account's holdings are one
// prefix scan.
package token
