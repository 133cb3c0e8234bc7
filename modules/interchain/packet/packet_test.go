package packet_test

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/modules/interchain/packet"
)

// ibcGoPacket is the packet of ibc-go's TestCommitPacket
// (04-channel/v2/types/commitment_test.go): an ICS-20 transfer of
// 1000000 uatom, JSON-encoded by encoding/json as ibc-go encodes it.
func ibcGoPacket() packet.Packet {
	return packet.Packet{
		Sequence: 1, SourceClient: "07-tendermint-0", DestClient: "07-tendermint-1", TimeoutTimestamp: 100,
		Payloads: []packet.Payload{{
			SourcePort: "transfer", DestPort: "transfer", Version: "ics20-1", Encoding: "application/json",
			Value: []byte(`{"denom":"uatom","amount":"1000000","sender":"sender","receiver":"receiver","memo":"memo"}`),
		}},
	}
}

// TestCommitmentsMatchIBCGo: the commitments are ibc-go's own test
// vectors, so a packet committed here is the packet an ibc-go chain
// would prove.
func TestCommitmentsMatchIBCGo(t *testing.T) {
	require.Equal(t, "a096722aa6534040a0efbdae05765132a7b223ad306d6512f3734821bd046505",
		hex.EncodeToString(packet.CommitPacket(ibcGoPacket())))
	require.Equal(t, "f03b4667413e56aaf086663267913e525c442b56fa1af4fa3f3dab9f37044c5b",
		hex.EncodeToString(packet.CommitAck(packet.Acknowledgement{AppAcks: [][]byte{[]byte("some bytes")}})))
	require.Equal(t, "e2fb30dfbf7abdeaca82d426534d2b3a9d5444dd2a87fa16d38b77ba1a13ced7",
		hex.EncodeToString(packet.CommitAck(packet.Acknowledgement{AppAcks: [][]byte{packet.ErrorAck}})))
}

// TestCommitmentBindsEveryField: changing any committed field changes
// the commitment; the sequence and source client are not in it (they
// are in the key), as in ibc-go.
func TestCommitmentBindsEveryField(t *testing.T) {
	base := packet.CommitPacket(ibcGoPacket())
	for name, edit := range map[string]func(*packet.Packet){
		"dest client":  func(p *packet.Packet) { p.DestClient = "07-tendermint-2" },
		"timeout":      func(p *packet.Packet) { p.TimeoutTimestamp++ },
		"source port":  func(p *packet.Packet) { p.Payloads[0].SourcePort = "transfer2" },
		"dest port":    func(p *packet.Packet) { p.Payloads[0].DestPort = "transfer2" },
		"version":      func(p *packet.Packet) { p.Payloads[0].Version = "ics20-2" },
		"encoding":     func(p *packet.Packet) { p.Payloads[0].Encoding = "application/x-protobuf" },
		"value":        func(p *packet.Packet) { p.Payloads[0].Value = append(p.Payloads[0].Value, ' ') },
		"two payloads": func(p *packet.Packet) { p.Payloads = append(p.Payloads, p.Payloads[0]) },
	} {
		p := ibcGoPacket()
		edit(&p)
		require.NotEqual(t, base, packet.CommitPacket(p), name)
	}
	p := ibcGoPacket()
	p.Sequence, p.SourceClient = 9, "07-tendermint-9"
	require.Equal(t, base, packet.CommitPacket(p))
}

// TestKeysMatchIBCGo pins the store paths (24-host/v2 packet_keys.go).
func TestKeysMatchIBCGo(t *testing.T) {
	require.Equal(t, "07-tendermint-0\x01\x00\x00\x00\x00\x00\x00\x01\x02", string(packet.CommitmentKey("07-tendermint-0", 258)))
	require.Equal(t, "07-tendermint-0\x02\x00\x00\x00\x00\x00\x00\x00\x05", string(packet.ReceiptKey("07-tendermint-0", 5)))
	require.Equal(t, "07-tendermint-0\x03\x00\x00\x00\x00\x00\x00\x00\x05", string(packet.AckKey("07-tendermint-0", 5)))
	require.Equal(t, "nextSequenceSend//07-tendermint-0", string(packet.NextSequenceSendKey("07-tendermint-0")))
	require.True(t, bytes.HasPrefix(packet.CommitmentKey("07-tendermint-0", 7), packet.CommitmentPrefix("07-tendermint-0")))
	require.Equal(t, []byte{2}, packet.Receipt)
}

func TestValidate(t *testing.T) {
	require.NoError(t, ibcGoPacket().Validate())
	big := bytes.Repeat([]byte{1}, packet.MaxPayloadsSize/2+1)
	for name, c := range map[string]struct {
		edit func(*packet.Packet)
		want error
	}{
		"no payloads":   {func(p *packet.Packet) { p.Payloads = nil }, packet.ErrInvalidPayload},
		"empty value":   {func(p *packet.Packet) { p.Payloads[0].Value = nil }, packet.ErrInvalidPayload},
		"empty version": {func(p *packet.Packet) { p.Payloads[0].Version = " " }, packet.ErrInvalidPayload},
		"bad port":      {func(p *packet.Packet) { p.Payloads[0].DestPort = "a/b" }, packet.ErrInvalidPayload},
		"oversized": {func(p *packet.Packet) {
			p.Payloads[0].Value = big
			p.Payloads = append(p.Payloads, p.Payloads[0])
		}, packet.ErrInvalidPayload},
		"too many payloads": {func(p *packet.Packet) {
			for len(p.Payloads) <= packet.MaxPayloads {
				p.Payloads = append(p.Payloads, p.Payloads[0])
			}
		}, packet.ErrInvalidPayload},
		"short client": {func(p *packet.Packet) { p.DestClient = "abc" }, packet.ErrInvalidPacket},
		"long client":  {func(p *packet.Packet) { p.SourceClient = strings.Repeat("a", 65) }, packet.ErrInvalidPacket},
		"sequence 0":   {func(p *packet.Packet) { p.Sequence = 0 }, packet.ErrInvalidPacket},
		"timeout 0":    {func(p *packet.Packet) { p.TimeoutTimestamp = 0 }, packet.ErrInvalidPacket},
	} {
		p := ibcGoPacket()
		c.edit(&p)
		require.ErrorIs(t, p.Validate(), c.want, name)
	}
}

func TestAcknowledgementValidate(t *testing.T) {
	ok := packet.Acknowledgement{AppAcks: [][]byte{[]byte("x"), []byte("y")}}
	require.NoError(t, ok.Validate())
	require.True(t, ok.Success())
	failed := packet.Acknowledgement{AppAcks: [][]byte{packet.ErrorAck}}
	require.NoError(t, failed.Validate())
	require.False(t, failed.Success())
	for _, bad := range []packet.Acknowledgement{{}, {AppAcks: [][]byte{{}}}, {AppAcks: [][]byte{[]byte("x"), packet.ErrorAck}}} {
		require.ErrorIs(t, bad.Validate(), packet.ErrInvalidAck)
	}
}
