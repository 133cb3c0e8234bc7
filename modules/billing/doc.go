// Package billing owns a chain's economics: storage deposits (every byte
// a write adds to state locks storage_price_per_byte of the native coin
// from its payer, and freeing it returns the deposit), the bill of every
// account and contract (bytes by category, deposit, fees, gas), optional
// byte quotas, and the distribution of each block's fees to its proposer
// and validators. The router calls Charge for every billed write; the app
// calls RecordFee and Distribute on the module it wired. Deposits and fees
// move only through the router.Bank the module is built with.
package billing
