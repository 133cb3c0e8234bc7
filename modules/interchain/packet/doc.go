// Package packet is the interchain packet layer's data: packets and their
// payloads, the checks every packet passes before it is sent or received,
// the commitments a chain writes and its counterparty proves, and the
// store paths they are written under. It follows ibc-go's IBC v2
// ("Eureka") byte for byte (modules/core/04-channel/v2/types and
// 24-host/v2), so that the bytes a vsys chain commits are the bytes an
// ibc-go chain would commit for the same packet. It is pure: the module,
// the relayer and tests share it without the state machine.
package packet
