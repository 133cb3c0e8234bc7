package interchain

import (
	"encoding/binary"
	"fmt"
)

// The module's own records, beside the ibc-go paths of package packet.
// Every key here starts with a lower-case word and a slash, or with
// "next"; a client id starts with "07-", so the two never meet.

// ClientType is the only client type, and the prefix of every client id
// ("07-tendermint-0"), as ibc-go names them.
const ClientType = "07-tendermint"

var keyNextClient = []byte("nextClientSequence")

func clientID(n uint64) string { return fmt.Sprintf("%s-%d", ClientType, n) }

func clientKey(id, what string) []byte { return fmt.Appendf(nil, "clients/%s/%s", id, what) }

func clientStateKey(id string) []byte  { return clientKey(id, "clientState") }
func creatorKey(id string) []byte      { return clientKey(id, "creator") }
func counterpartyKey(id string) []byte { return clientKey(id, "counterparty") }

// consensusPrefix orders a client's consensus states by height (8 bytes
// big-endian), so the neighbours of a height are one seek away.
func consensusPrefix(id string) []byte { return clientKey(id, "consensusStates/") }

func consensusKey(id string, h uint64) []byte {
	return binary.BigEndian.AppendUint64(consensusPrefix(id), h)
}

// packetPrefix holds the packets a client sent and has not seen acked or
// timed out: the relayer reads them (pending), and they go with the
// commitment.
func packetPrefix(id string) []byte { return fmt.Appendf(nil, "packets/%s/", id) }

func packetKey(id string, seq uint64) []byte {
	return binary.BigEndian.AppendUint64(packetPrefix(id), seq)
}

// ackRecordKey holds the acknowledgement itself (the ibc-go path holds
// only its commitment), so a relayer reads it from state, not events.
func ackRecordKey(id string, seq uint64) []byte {
	return binary.BigEndian.AppendUint64(fmt.Appendf(nil, "acks/%s/", id), seq)
}

func recoveryKey(subject, substitute string) []byte {
	return fmt.Appendf(nil, "recovery/%s/%s", subject, substitute)
}
