// Package transfer is the interchain token transfer application (ICS-20
// semantics, ibc-go's apps/transfer in its IBC v2 form): the
// FungibleTokenPacketData it sends as JSON, the denom trace that names a
// voucher ("ibc/" + hex sha256 of "transfer/{client}/{base}"), and the
// App that escrows or burns on send, mints or releases on receive, and
// refunds exactly on an error acknowledgement or a timeout. The
// interchain module routes the "transfer" port to it; it reaches
// balances only through its call's router.Ledger and router.Vouchers.
package transfer
