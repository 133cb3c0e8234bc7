package packet

import (
	"encoding/binary"
	"fmt"
)

// The paths of ibc-go's 24-host/v2 packet_keys.go, relative to the
// interchain module's store. The counterparty proves a path under its
// merkle prefix: on a vsys chain that is the module's store prefix
// ('c' ‖ its address), so the full IAVL key is prefix ‖ path.
const (
	commitmentTag = 1
	receiptTag    = 2
	ackTag        = 3
)

func seqKey(client string, tag byte, seq uint64) []byte {
	k := make([]byte, 0, len(client)+9)
	k = append(append(k, client...), tag)
	return binary.BigEndian.AppendUint64(k, seq)
}

// CommitmentKey is where a sent packet's commitment lives:
// client ‖ 0x01 ‖ sequence (8 bytes big-endian).
func CommitmentKey(client string, seq uint64) []byte { return seqKey(client, commitmentTag, seq) }

// CommitmentPrefix is the prefix of every commitment of client.
func CommitmentPrefix(client string) []byte { return append([]byte(client), commitmentTag) }

// ReceiptKey is where a received packet's receipt lives: client ‖ 0x02 ‖
// sequence, client being the receiving chain's (the packet's dest client).
func ReceiptKey(client string, seq uint64) []byte { return seqKey(client, receiptTag, seq) }

// AckKey is where an acknowledgement's commitment lives: client ‖ 0x03 ‖
// sequence, client being the packet's dest client.
func AckKey(client string, seq uint64) []byte { return seqKey(client, ackTag, seq) }

// NextSequenceSendKey is ibc-go's path of a client's next send sequence,
// "nextSequenceSend/" + "/" + client (ibc-go's format string doubles the
// slash; kept, so the paths are the same).
func NextSequenceSendKey(client string) []byte {
	return fmt.Appendf(nil, "%s/%s", "nextSequenceSend/", client)
}

// FullKey is the key a counterparty proves: its merkle prefix (the store
// prefix of its interchain module) followed by path.
func FullKey(prefix, path []byte) []byte {
	return append(append(make([]byte, 0, len(prefix)+len(path)), prefix...), path...)
}
