package lightclient

import (
	"fmt"

	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	"github.com/cometbft/cometbft/types"
)

// Field numbers of ibc-go's ibc.lightclients.tendermint.v1.Header and
// Misbehaviour, and of ibc.core.client.v1.Height.
const (
	headerSignedHeader      = 1
	headerValidatorSet      = 2
	headerTrustedHeight     = 3
	headerTrustedValidators = 4

	heightRevisionNumber = 1
	heightRevisionHeight = 2

	misbehaviourClientID = 1 // deprecated in ibc-go; never written, ignored on read
	misbehaviourHeader1  = 2
	misbehaviourHeader2  = 3
)

// EncodeHeader writes h as ibc-go's 07-tendermint Header protobuf: the
// CometBFT SignedHeader and ValidatorSets in their own protobuf, the
// trusted height as Height{revision_number: 0, revision_height}. The
// bytes are those ibc-go's gogoproto Marshal writes for the same header.
func EncodeHeader(h *Header) ([]byte, error) {
	if h == nil || h.SignedHeader == nil || h.ValidatorSet == nil || h.TrustedValidators == nil {
		return nil, fmt.Errorf("%w: encode: missing signed header or validator set", ErrBadHeader)
	}
	sh, err := h.SignedHeader.ToProto().Marshal()
	if err != nil {
		return nil, fmt.Errorf("%w: encode signed header: %w", ErrBadHeader, err)
	}
	vals, err := marshalValidators(h.ValidatorSet)
	if err != nil {
		return nil, err
	}
	trusted, err := marshalValidators(h.TrustedValidators)
	if err != nil {
		return nil, err
	}
	var out []byte
	out = appendBytesField(out, headerSignedHeader, sh)
	out = appendBytesField(out, headerValidatorSet, vals)
	// gogoproto writes a non-nullable message even when it is empty.
	out = appendBytesField(out, headerTrustedHeight, appendVarintField(nil, heightRevisionHeight, h.TrustedHeight))
	out = appendBytesField(out, headerTrustedValidators, trusted)
	return out, nil
}

func marshalValidators(v *types.ValidatorSet) ([]byte, error) {
	p, err := v.ToProto()
	if err != nil {
		return nil, fmt.Errorf("%w: encode validator set: %w", ErrBadHeader, err)
	}
	b, err := p.Marshal()
	if err != nil {
		return nil, fmt.Errorf("%w: encode validator set: %w", ErrBadHeader, err)
	}
	return b, nil
}

// DecodeHeader reads EncodeHeader's bytes (or ibc-go's) from hostile
// input: at most MaxHeaderBytes, at most MaxValidators per set, every
// field present once, a revision number of zero. It checks the encoding
// only; ValidateBasic and Update check the content.
func DecodeHeader(b []byte) (*Header, error) {
	if len(b) > MaxHeaderBytes {
		return nil, fmt.Errorf("%w: header is %d bytes, the limit is %d", ErrTooLarge, len(b), MaxHeaderBytes)
	}
	fields, err := parseFields(b, headerTrustedValidators)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadHeader, err)
	}
	var h Header
	var have [headerTrustedValidators + 1]bool
	for _, f := range fields {
		if f.typ != wireBytes {
			return nil, fmt.Errorf("%w: field %d is not a message", ErrBadHeader, f.num)
		}
		have[f.num] = true
		switch f.num {
		case headerSignedHeader:
			h.SignedHeader, err = unmarshalSignedHeader(f.body)
		case headerValidatorSet:
			h.ValidatorSet, err = unmarshalValidators(f.body)
		case headerTrustedHeight:
			h.TrustedHeight, err = unmarshalHeight(f.body)
		case headerTrustedValidators:
			h.TrustedValidators, err = unmarshalValidators(f.body)
		}
		if err != nil {
			return nil, err
		}
	}
	if !have[headerSignedHeader] || !have[headerValidatorSet] || !have[headerTrustedValidators] {
		return nil, fmt.Errorf("%w: missing signed header or validator set", ErrBadHeader)
	}
	return &h, nil
}

func unmarshalSignedHeader(b []byte) (*types.SignedHeader, error) {
	var p cmtproto.SignedHeader
	if err := p.Unmarshal(b); err != nil {
		return nil, fmt.Errorf("%w: signed header: %w", ErrBadHeader, err)
	}
	if p.Commit != nil && len(p.Commit.Signatures) > MaxValidators {
		return nil, fmt.Errorf("%w: commit has %d signatures, the limit is %d", ErrTooLarge, len(p.Commit.Signatures), MaxValidators)
	}
	sh, err := types.SignedHeaderFromProto(&p)
	if err != nil {
		return nil, fmt.Errorf("%w: signed header: %w", ErrBadHeader, err)
	}
	if sh.Header == nil || sh.Commit == nil {
		return nil, fmt.Errorf("%w: signed header without header or commit", ErrBadHeader)
	}
	return sh, nil
}

func unmarshalValidators(b []byte) (*types.ValidatorSet, error) {
	var p cmtproto.ValidatorSet
	if err := p.Unmarshal(b); err != nil {
		return nil, fmt.Errorf("%w: validator set: %w", ErrBadHeader, err)
	}
	if len(p.Validators) > MaxValidators {
		return nil, fmt.Errorf("%w: validator set has %d validators, the limit is %d", ErrTooLarge, len(p.Validators), MaxValidators)
	}
	v, err := types.ValidatorSetFromProto(&p)
	if err != nil {
		return nil, fmt.Errorf("%w: validator set: %w", ErrBadHeader, err)
	}
	return v, nil
}

func unmarshalHeight(b []byte) (uint64, error) {
	fields, err := parseFields(b, heightRevisionHeight)
	if err != nil {
		return 0, fmt.Errorf("%w: trusted height: %w", ErrBadHeader, err)
	}
	var height uint64
	for _, f := range fields {
		if f.typ != wireVarint {
			return 0, fmt.Errorf("%w: trusted height field %d is not a varint", ErrBadHeader, f.num)
		}
		if f.num == heightRevisionNumber && f.value != 0 {
			// vsys chains have no revisions; see docs/interchain.md.
			return 0, fmt.Errorf("%w: revision number %d, only 0 is supported", ErrHeight, f.value)
		}
		if f.num == heightRevisionHeight {
			height = f.value
		}
	}
	return height, nil
}

// Misbehaviour is two headers that cannot both be true of one chain: two
// different blocks at one height (a fork), or a higher block with a time
// not after a lower one's (a time violation). Header1's height is at
// least Header2's, as in ibc-go.
type Misbehaviour struct {
	Header1, Header2 *Header
}

// EncodeMisbehaviour writes m as ibc-go's 07-tendermint Misbehaviour
// protobuf (without the deprecated client id).
func EncodeMisbehaviour(m *Misbehaviour) ([]byte, error) {
	if m == nil {
		return nil, fmt.Errorf("%w: encode: nil misbehaviour", ErrNotMisbehaviour)
	}
	h1, err := EncodeHeader(m.Header1)
	if err != nil {
		return nil, fmt.Errorf("header 1: %w", err)
	}
	h2, err := EncodeHeader(m.Header2)
	if err != nil {
		return nil, fmt.Errorf("header 2: %w", err)
	}
	out := appendBytesField(nil, misbehaviourHeader1, h1)
	return appendBytesField(out, misbehaviourHeader2, h2), nil
}

// DecodeMisbehaviour reads EncodeMisbehaviour's bytes (or ibc-go's), at
// most 2*MaxHeaderBytes.
func DecodeMisbehaviour(b []byte) (*Misbehaviour, error) {
	if len(b) > 2*MaxHeaderBytes {
		return nil, fmt.Errorf("%w: misbehaviour is %d bytes, the limit is %d", ErrTooLarge, len(b), 2*MaxHeaderBytes)
	}
	fields, err := parseFields(b, misbehaviourHeader2)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNotMisbehaviour, err)
	}
	var m Misbehaviour
	for _, f := range fields {
		if f.typ != wireBytes {
			return nil, fmt.Errorf("%w: field %d is not a message", ErrNotMisbehaviour, f.num)
		}
		switch f.num {
		case misbehaviourHeader1:
			m.Header1, err = DecodeHeader(f.body)
		case misbehaviourHeader2:
			m.Header2, err = DecodeHeader(f.body)
		}
		if err != nil {
			return nil, fmt.Errorf("header %d: %w", f.num-1, err)
		}
	}
	if m.Header1 == nil || m.Header2 == nil {
		return nil, fmt.Errorf("%w: missing a header", ErrNotMisbehaviour)
	}
	return &m, nil
}
