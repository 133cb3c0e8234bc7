package wire

import (
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/modules/interchain/packet"
)

// ClientArgs name a client; Now (Unix seconds, 0: the query's block time)
// is the time its status is judged at, since a read-only query at a past
// height has no block time of its own.
type ClientArgs struct {
	ClientID string
	Now      int64
}

// ClientInfo is a client's state and status.
type ClientInfo struct {
	ClientID     string `json:"client_id"`
	ChainID      string `json:"chain_id"`
	Status       string `json:"status"` // Active, Expired or Frozen
	LatestHeight uint64 `json:"latest_height"`
	// LatestTimestamp is the counterparty's time at the latest height, in
	// Unix nanoseconds; ExpiresAt (Unix seconds) is when the client
	// expires unless updated: the relayer's refresh horizon.
	LatestTimestamp int64  `json:"latest_timestamp"`
	ExpiresAt       int64  `json:"expires_at"`
	FrozenHeight    uint64 `json:"frozen_height"`
	// ClientState is the encoded client state (lightclient.EncodeClientState).
	ClientState []byte `json:"client_state"`
}

// SeqArgs name one packet of a client.
type SeqArgs struct {
	ClientID string
	Sequence uint64
}

// SeqsArgs name some packets of a client, at most 1000.
type SeqsArgs struct {
	ClientID  string
	Sequences []uint64
}

// Entry is one provable key and its value (empty when absent: prove its
// absence with the same key).
type Entry struct {
	Key   []byte `json:"key"`
	Value []byte `json:"value"`
	Found bool   `json:"found"`
}

// AckEntry is an acknowledgement: its provable commitment and the
// acknowledgement itself, which acknowledge takes.
type AckEntry struct {
	Entry
	Acknowledgement packet.Acknowledgement `json:"acknowledgement"`
}

// PendingArgs page through a client's packets that are sent and not yet
// acknowledged or timed out.
type PendingArgs struct {
	ClientID      string
	StartSequence uint64
	Limit         uint64 // 0: 100; at most 1000
}

// Counterparty is ibc-go's v2 CounterpartyInfo: the client on the other
// chain that tracks this chain, and the merkle prefix under which that
// chain's packet paths are proven. A vsys counterparty's prefix is one
// element, the store prefix of its interchain module
// (router.StorePrefix of its address: 'c' ‖ address), since its app hash
// is the root of one IAVL tree; the key proven is that element followed
// by the path (ibc-go's BuildMerklePath).
type Counterparty struct {
	ClientID     string   `json:"client_id"`
	MerklePrefix [][]byte `json:"merkle_prefix"`
}

// CreateClientArgs are create_client's: the encoded client state and the
// consensus state at its latest height (lightclient.EncodeClientState,
// EncodeConsensusState), which the creator trusts.
type CreateClientArgs struct {
	ClientState    []byte
	ConsensusState []byte
}

// UpdateClientArgs are update_client's: a header (lightclient.EncodeHeader).
type UpdateClientArgs struct {
	ClientID string
	Header   []byte
}

// UpdateResult says what an update did: the client's latest height and
// status after it (Frozen when the header contradicted a stored one).
type UpdateResult struct {
	Height uint64
	Status string
}

// RegisterArgs are register_counterparty's (ibc-go
// MsgRegisterCounterparty).
type RegisterArgs struct {
	ClientID                 string
	CounterpartyClientID     string
	CounterpartyMerklePrefix [][]byte
}

// RecvPacketArgs are recv_packet's: the proof is of the packet's
// commitment on the source chain, at proof height (the height of the
// client's consensus state whose root it verifies against).
type RecvPacketArgs struct {
	Packet          packet.Packet
	ProofCommitment []byte
	ProofHeight     uint64
}

// AckArgs are acknowledge's: the acknowledgement the destination wrote
// and a proof of its commitment there.
type AckArgs struct {
	Packet          packet.Packet
	Acknowledgement packet.Acknowledgement
	ProofAcked      []byte
	ProofHeight     uint64
}

// TimeoutArgs are timeout's: a proof that the destination has no receipt
// for the packet, at a height whose time is at or past the timeout.
type TimeoutArgs struct {
	Packet          packet.Packet
	ProofUnreceived []byte
	ProofHeight     uint64
}

// TransferArgs are transfer's (ibc-go MsgTransfer in its v2 form): send
// amount of denom, a symbol of this chain's ledger, to receiver on the
// chain behind source client.
type TransferArgs struct {
	SourceClient     string
	Denom            string
	Amount           codec.U128
	Receiver         string
	Memo             string
	TimeoutTimestamp uint64
}
