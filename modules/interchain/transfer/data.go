package transfer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/vsys/vsys/core/codec"
)

// The ICS-20 constants, ibc-go's.
const (
	// PortID is the port the transfer application is bound to, on both
	// sides of every transfer.
	PortID = "transfer"
	// Version is the one application version spoken (ibc-go's V1).
	Version = "ics20-1"
	// EncodingJSON is the payload encoding sent; the only one received.
	EncodingJSON = "application/json"
	// MaxMemoLength bounds a memo (ibc-go MaximumMemoLength).
	MaxMemoLength = 32768
)

// Sentinel errors callers test for.
var (
	// ErrInvalidData: packet data that does not decode or validate.
	ErrInvalidData = errors.New("invalid transfer packet data")
	// ErrInvalidDenom: a denom the transfer app cannot send or trace.
	ErrInvalidDenom = errors.New("invalid transfer denom")
	// ErrInvalidAck: an acknowledgement that is neither the success nor
	// the error acknowledgement.
	ErrInvalidAck = errors.New("invalid transfer acknowledgement")
)

// PacketData is ibc-go's FungibleTokenPacketData: the denom's full path
// on the sending chain ("VSYS", "transfer/07-tendermint-0/VSYS"), the
// amount in decimal, and bech32 sender and receiver. encoding/json
// writes it field by field in this order, omitting empty fields, as
// ibc-go does (json.Marshal of the same struct tags).
type PacketData struct {
	Denom    string `json:"denom,omitempty"`
	Amount   string `json:"amount,omitempty"`
	Sender   string `json:"sender,omitempty"`
	Receiver string `json:"receiver,omitempty"`
	Memo     string `json:"memo,omitempty"`
}

// Encode is the payload value: the JSON of d.
func (d PacketData) Encode() []byte {
	b, _ := json.Marshal(d) // five strings: cannot fail
	return b
}

// Decode parses a payload value of version and encoding, refusing
// unknown fields as ibc-go does, and validates it.
func Decode(value []byte, version, encoding string) (PacketData, error) {
	var d PacketData
	if version != Version {
		return d, fmt.Errorf("%w: version %q, want %q", ErrInvalidData, version, Version)
	}
	if encoding != EncodingJSON && encoding != "" {
		return d, fmt.Errorf("%w: encoding %q, want %q", ErrInvalidData, encoding, EncodingJSON)
	}
	dec := json.NewDecoder(bytes.NewReader(value))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d); err != nil {
		return d, fmt.Errorf("%w: %v", ErrInvalidData, err)
	}
	if dec.More() {
		return d, fmt.Errorf("%w: trailing data", ErrInvalidData)
	}
	return d, d.Validate()
}

// Validate is ibc-go's ValidateBasic: a positive amount, a sender and a
// receiver, a memo within bounds, and a valid denom.
func (d PacketData) Validate() error {
	if _, err := d.amount(); err != nil {
		return err
	}
	switch {
	case strings.TrimSpace(d.Sender) == "":
		return fmt.Errorf("%w: blank sender", ErrInvalidData)
	case strings.TrimSpace(d.Receiver) == "":
		return fmt.Errorf("%w: blank receiver", ErrInvalidData)
	case len(d.Memo) > MaxMemoLength:
		return fmt.Errorf("%w: memo of %d bytes, at most %d", ErrInvalidData, len(d.Memo), MaxMemoLength)
	}
	return ParseDenom(d.Denom).Validate()
}

// amount parses the decimal amount: positive, within u128 (the ledger's
// range; ibc-go's is 256 bits, so a larger amount from an ibc-go chain is
// refused with an error acknowledgement and refunded there).
func (d PacketData) amount() (codec.U128, error) {
	a, err := codec.ParseU128(d.Amount)
	if err != nil {
		return a, fmt.Errorf("%w: amount %q: %v", ErrInvalidData, d.Amount, err)
	}
	if a.IsZero() {
		return a, fmt.Errorf("%w: amount must be positive", ErrInvalidData)
	}
	return a, nil
}

// SuccessAck is the transfer app's acknowledgement of a receive that
// succeeded: ibc-go's NewResultAcknowledgement([]byte{1}) in its JSON
// form.
var SuccessAck = []byte(`{"result":"AQ=="}`)
