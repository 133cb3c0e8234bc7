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
//
// The module is the one writer of that state. Its ledger is unexported;
// the Module is the router.Bank that the app wires into the router, the
// billing and staking modules and itself, and everyone else reaches
// balances through the router.Ledger and router.Minter it opens. Genesis
// writes the native coin and the genesis balances.
package token
