// Package interchain is the interchain module (id 6, router name
// "interchain"): IBC v2 ("Eureka") on a vsys chain. It keeps a light
// client of each counterparty chain (package lightclient), the
// counterparty each client speaks to, and the packet layer — send,
// receive with a membership proof of the sender's commitment, write and
// prove back an acknowledgement, time out with a non-membership proof of
// the receipt — with every packet delivered exactly once. Applications
// are bound to ports: "transfer" is the token transfer app (package
// transfer); a contract's port is its address.
//
// Packets, commitments and store paths are ibc-go's byte for byte
// (package packet); docs/interchain.md is the specification, including
// which keys a relayer proves and at which store version.
package interchain
