package packet

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Limits, as ibc-go sets them.
const (
	// MaxPayloadsSize bounds the values of one packet's payloads together
	// (ibc-go 04-channel MaximumPayloadsSize, 256 KiB).
	MaxPayloadsSize = 256 << 10
	// MaxTimeoutDelta is how far past the block time a packet's timeout
	// may be (ibc-go 04-channel/v2 MaxTimeoutDelta).
	MaxTimeoutDelta = 24 * time.Hour
	// MaxPayloads bounds the payloads of one packet. ibc-go has no such
	// number (its tx size bounds it); a state machine here needs one so
	// a packet's cost is bounded before its payloads are looked at.
	MaxPayloads = 16
	// maxIDLen and maxPortLen are ibc-go's identifier bounds (24-host
	// DefaultMaxCharacterLength, DefaultMaxPortCharacterLength).
	maxIDLen   = 64
	maxPortLen = 128
)

// Sentinel errors callers test for.
var (
	// ErrInvalidPacket: a packet's fields are malformed (no payloads, zero
	// sequence or timeout, bad client id).
	ErrInvalidPacket = errors.New("invalid packet")
	// ErrInvalidPayload: a payload is malformed, or the payloads are too
	// large together.
	ErrInvalidPayload = errors.New("invalid payload")
	// ErrInvalidAck: an acknowledgement is malformed.
	ErrInvalidAck = errors.New("invalid acknowledgement")
)

// Payload is one application's part of a packet: which application sends
// it (SourcePort) and which receives it (DestPort), the application
// version and encoding of Value, and Value itself.
type Payload struct {
	SourcePort string `json:"source_port"`
	DestPort   string `json:"dest_port"`
	Version    string `json:"version"`
	Encoding   string `json:"encoding"`
	Value      []byte `json:"value"`
}

// Packet is ibc-go's v2 Packet: a sequence per source client, the client
// on each side (each names the light client of the other chain), a
// timeout in Unix seconds of the destination's block time, and payloads.
type Packet struct {
	Sequence         uint64    `json:"sequence"`
	SourceClient     string    `json:"source_client"`
	DestClient       string    `json:"dest_client"`
	TimeoutTimestamp uint64    `json:"timeout_timestamp"`
	Payloads         []Payload `json:"payloads"`
}

// isValidID is ibc-go's 24-host IsValidID.
var isValidID = regexp.MustCompile(`^[a-zA-Z0-9\.\_\+\-\#\[\]\<\>]+$`).MatchString

func validateID(what, id string, minLen, maxLen int) error {
	if strings.TrimSpace(id) == "" || len(id) < minLen || len(id) > maxLen || !isValidID(id) {
		return fmt.Errorf("%s %q: want %d to %d of a-z A-Z 0-9 . _ + - # [ ] < >", what, id, minLen, maxLen)
	}
	return nil
}

// ValidateClientID checks id as ibc-go's ChannelIdentifierValidator does
// (a v2 packet's client ids take the place of channel ids).
func ValidateClientID(id string) error { return validateID("client id", id, 8, maxIDLen) }

// ValidatePort checks a port id as ibc-go's PortIdentifierValidator does.
func ValidatePort(id string) error { return validateID("port", id, 2, maxPortLen) }

// Validate is ibc-go's Payload.ValidateBasic.
func (p Payload) Validate() error {
	if err := ValidatePort(p.SourcePort); err != nil {
		return fmt.Errorf("%w: source %w", ErrInvalidPayload, err)
	}
	if err := ValidatePort(p.DestPort); err != nil {
		return fmt.Errorf("%w: destination %w", ErrInvalidPayload, err)
	}
	switch {
	case strings.TrimSpace(p.Version) == "":
		return fmt.Errorf("%w: empty version", ErrInvalidPayload)
	case strings.TrimSpace(p.Encoding) == "":
		return fmt.Errorf("%w: empty encoding", ErrInvalidPayload)
	case len(p.Value) == 0:
		return fmt.Errorf("%w: empty value", ErrInvalidPayload)
	}
	return nil
}

// ValidatePayloads checks the payloads a packet will carry: at least one,
// at most MaxPayloads, each valid, and MaxPayloadsSize bytes of values in
// all.
func ValidatePayloads(ps []Payload) error {
	if len(ps) == 0 {
		return fmt.Errorf("%w: no payloads", ErrInvalidPayload)
	}
	if len(ps) > MaxPayloads {
		return fmt.Errorf("%w: %d payloads, at most %d", ErrInvalidPayload, len(ps), MaxPayloads)
	}
	total := 0
	for i, p := range ps {
		if err := p.Validate(); err != nil {
			return fmt.Errorf("payload %d: %w", i, err)
		}
		total += len(p.Value)
	}
	if total > MaxPayloadsSize {
		return fmt.Errorf("%w: %d bytes of payload values, at most %d", ErrInvalidPayload, total, MaxPayloadsSize)
	}
	return nil
}

// Validate is ibc-go's Packet.ValidateBasic.
func (p Packet) Validate() error {
	if err := ValidatePayloads(p.Payloads); err != nil {
		return err
	}
	if err := ValidateClientID(p.SourceClient); err != nil {
		return fmt.Errorf("%w: source %w", ErrInvalidPacket, err)
	}
	if err := ValidateClientID(p.DestClient); err != nil {
		return fmt.Errorf("%w: destination %w", ErrInvalidPacket, err)
	}
	if p.Sequence == 0 {
		return fmt.Errorf("%w: sequence 0", ErrInvalidPacket)
	}
	if p.TimeoutTimestamp == 0 {
		return fmt.Errorf("%w: timeout 0", ErrInvalidPacket)
	}
	return nil
}
