package relay

import (
	"fmt"
	"reflect"

	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/modules/interchain/packet"
)

// The interchain module's method arguments and results, mirrored field by
// field: a call's arguments are their canonical encoding, and a query's
// JSON result is read back through the same type (readResult), so a
// mirror that drifts from the module fails loudly. TestWireMatchesModule
// compares each with the module's ABI.

// ClientArgs names a client; Now (Unix seconds, 0: the query's block
// time) is when its status is judged.
type ClientArgs struct {
	ClientID string
	Now      int64
}

// ClientInfo is a client's state and status, as the client query returns
// it.
type ClientInfo struct {
	ClientID        string
	ChainID         string
	Status          string // Active, Expired or Frozen
	LatestHeight    uint64
	LatestTimestamp int64 // Unix nanoseconds
	ExpiresAt       int64 // Unix seconds
	FrozenHeight    uint64
	ClientState     []byte
}

// SeqArgs name one packet of a client.
type SeqArgs struct {
	ClientID string
	Sequence uint64
}

// SeqsArgs name some packets of a client (at most 1000).
type SeqsArgs struct {
	ClientID  string
	Sequences []uint64
}

// Entry is one provable key and its value.
type Entry struct {
	Key   []byte
	Value []byte
	Found bool
}

// AckEntry is an acknowledgement's commitment and the acknowledgement.
type AckEntry struct {
	Entry           Entry
	Acknowledgement packet.Acknowledgement
}

// PendingArgs page through a client's sent packets not yet acknowledged
// or timed out.
type PendingArgs struct {
	ClientID      string
	StartSequence uint64
	Limit         uint64
}

// Counterparty is a client's registered counterparty.
type Counterparty struct {
	ClientID     string
	MerklePrefix [][]byte
}

// CreateClientArgs are create_client's.
type CreateClientArgs struct {
	ClientState    []byte
	ConsensusState []byte
}

// UpdateClientArgs are update_client's.
type UpdateClientArgs struct {
	ClientID string
	Header   []byte
}

// UpdateResult is update_client's result.
type UpdateResult struct {
	Height uint64
	Status string
}

// RegisterArgs are register_counterparty's.
type RegisterArgs struct {
	ClientID                 string
	CounterpartyClientID     string
	CounterpartyMerklePrefix [][]byte
}

// RecvPacketArgs are recv_packet's.
type RecvPacketArgs struct {
	Packet          packet.Packet
	ProofCommitment []byte
	ProofHeight     uint64
}

// AckArgs are acknowledge's.
type AckArgs struct {
	Packet          packet.Packet
	Acknowledgement packet.Acknowledgement
	ProofAcked      []byte
	ProofHeight     uint64
}

// TimeoutArgs are timeout's.
type TimeoutArgs struct {
	Packet          packet.Packet
	ProofUnreceived []byte
	ProofHeight     uint64
}

// TransferArgs are transfer's (ICS-20): tests and the bench send with it.
type TransferArgs struct {
	SourceClient     string
	Denom            string
	Amount           codec.U128
	Receiver         string
	Memo             string
	TimeoutTimestamp uint64
}

// The results of recv_packet, acknowledge and timeout.
const (
	resultSuccess = "SUCCESS"
	resultNoop    = "NOOP"
)

// The client statuses the module reports.
const (
	statusActive  = "Active"
	statusExpired = "Expired"
	statusFrozen  = "Frozen"
)

// readResult decodes a query's JSON result into out through out's codec
// type: JSON to canonical bytes to the Go value, so a field the mirror
// lacks or names differently is an error, not a zero.
func readResult(js []byte, out any) error {
	rt := reflect.TypeOf(out)
	if rt == nil || rt.Kind() != reflect.Pointer {
		return fmt.Errorf("read a result into %T: want a pointer", out)
	}
	t, err := codec.TypeOfReflect(rt.Elem())
	if err != nil {
		return err
	}
	b, err := codec.FromJSON(t, js)
	if err != nil {
		return err
	}
	return codec.Unmarshal(b, out)
}
