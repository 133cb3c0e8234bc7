package packet

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
)

// The commitments are ibc-go's (04-channel/v2/types/commitment.go): each
// hashes a fixed-length preimage, so a relayer cannot shift bytes between
// fields and keep the hash.

// CommitPacket is what the source chain stores for a packet it sent:
// sha256(0x02 ‖ sha256(dest client) ‖ sha256(timeout, 8 bytes big-endian)
// ‖ sha256(hash(payload 1) ‖ … ‖ hash(payload n))).
func CommitPacket(p Packet) []byte {
	buf := make([]byte, 0, 1+3*sha256.Size)
	buf = append(buf, 2)
	dest := sha256.Sum256([]byte(p.DestClient))
	buf = append(buf, dest[:]...)
	timeout := sha256.Sum256(binary.BigEndian.AppendUint64(nil, p.TimeoutTimestamp))
	buf = append(buf, timeout[:]...)
	var apps []byte
	for _, pl := range p.Payloads {
		apps = append(apps, hashPayload(pl)...)
	}
	app := sha256.Sum256(apps)
	buf = append(buf, app[:]...)
	h := sha256.Sum256(buf)
	return h[:]
}

// hashPayload is sha256(sha256(source port) ‖ sha256(dest port) ‖
// sha256(version) ‖ sha256(encoding) ‖ sha256(value)).
func hashPayload(p Payload) []byte {
	buf := make([]byte, 0, 5*sha256.Size)
	for _, f := range [][]byte{[]byte(p.SourcePort), []byte(p.DestPort), []byte(p.Version), []byte(p.Encoding), p.Value} {
		h := sha256.Sum256(f)
		buf = append(buf, h[:]...)
	}
	h := sha256.Sum256(buf)
	return h[:]
}

// ErrorAck is the one application acknowledgement of a packet whose
// receive failed: sha256("UNIVERSAL_ERROR_ACKNOWLEDGEMENT"), ibc-go's
// ErrorAcknowledgement. A failed receive changes nothing on the
// destination but the receipt and this acknowledgement.
var ErrorAck = func() []byte { h := sha256.Sum256([]byte("UNIVERSAL_ERROR_ACKNOWLEDGEMENT")); return h[:] }()

// Acknowledgement is ibc-go's v2 Acknowledgement: one application
// acknowledgement per payload, or the single ErrorAck.
type Acknowledgement struct {
	AppAcks [][]byte `json:"app_acks"`
}

// Success reports whether the receive succeeded (the acknowledgement is
// not the error acknowledgement).
func (a Acknowledgement) Success() bool {
	return len(a.AppAcks) > 0 && !bytes.Equal(a.AppAcks[0], ErrorAck)
}

// Validate is ibc-go's Acknowledgement.Validate: non-empty, no empty app
// acknowledgement, and the error acknowledgement only alone.
func (a Acknowledgement) Validate() error {
	if len(a.AppAcks) == 0 {
		return fmt.Errorf("%w: no app acknowledgements", ErrInvalidAck)
	}
	for i, ack := range a.AppAcks {
		if len(ack) == 0 {
			return fmt.Errorf("%w: app acknowledgement %d is empty", ErrInvalidAck, i)
		}
		if len(a.AppAcks) > 1 && bytes.Equal(ack, ErrorAck) {
			return fmt.Errorf("%w: the error acknowledgement among %d", ErrInvalidAck, len(a.AppAcks))
		}
	}
	return nil
}

// CommitAck is what the destination stores for an acknowledgement it
// wrote: sha256(0x02 ‖ sha256(app ack 1) ‖ … ‖ sha256(app ack n)).
func CommitAck(a Acknowledgement) []byte {
	buf := make([]byte, 0, 1+len(a.AppAcks)*sha256.Size)
	buf = append(buf, 2)
	for _, ack := range a.AppAcks {
		h := sha256.Sum256(ack)
		buf = append(buf, h[:]...)
	}
	h := sha256.Sum256(buf)
	return h[:]
}

// Receipt is the value of a packet receipt (ibc-go writes the byte 2).
var Receipt = []byte{2}
