package lightclient_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	lc "github.com/vsys/vsys/modules/interchain/lightclient"
	"github.com/vsys/vsys/modules/interchain/lightclient/lctest"
)

// field appends one protobuf length-delimited field, as a hostile
// encoder would.
func field(b []byte, num int, body []byte) []byte {
	b = binary.AppendUvarint(b, uint64(num)<<3|2)
	b = binary.AppendUvarint(b, uint64(len(body)))
	return append(b, body...)
}

func goldenHeader(t testing.TB) *lc.Header {
	t.Helper()
	vals := lctest.NewValidators("v", 9, 10)
	f := fixture{vals: vals}
	return lctest.Header(f.block(11, 5), 10, vals)
}

// goldenParts is the golden header, its encoding, and the CometBFT
// protobuf of its signed header and of its validator set (which is also
// its trusted set).
func goldenParts(t *testing.T) (h *lc.Header, enc, sh, vals []byte) {
	t.Helper()
	h = goldenHeader(t)
	enc, err := lc.EncodeHeader(h)
	require.NoError(t, err)
	sh, err = h.SignedHeader.ToProto().Marshal()
	require.NoError(t, err)
	vp, err := h.ValidatorSet.ToProto()
	require.NoError(t, err)
	vals, err = vp.Marshal()
	require.NoError(t, err)
	return h, enc, sh, vals
}

func TestHeaderEncodingGolden(t *testing.T) {
	h, enc, sh, vals := goldenParts(t)
	// ibc-go's Header: 1 signed_header, 2 validator_set, 3 trusted_height
	// (Height{revision_height: 2}), 4 trusted_validators, each CometBFT
	// message in CometBFT's own protobuf.
	want := field(nil, 1, sh)
	want = field(want, 2, vals)
	want = field(want, 3, []byte{0x10, 10})
	want = field(want, 4, vals)
	require.Equal(t, want, enc)

	// Keys and signatures are deterministic, so the bytes are pinned.
	sum := sha256.Sum256(enc)
	require.Equal(t, "fd8657173439b093e1b3b5ca80be2d93ab98b2d82e919c7f3ecea4d1539f6fc5", hexOf(sum[:]), "header encoding changed (%d bytes)", len(enc))

	back, err := lc.DecodeHeader(enc)
	require.NoError(t, err)
	again, err := lc.EncodeHeader(back)
	require.NoError(t, err)
	require.Equal(t, enc, again)
	require.Equal(t, h.SignedHeader.Hash(), back.SignedHeader.Hash())
	require.Equal(t, h.ConsensusState(), back.ConsensusState())
	require.EqualValues(t, 10, back.TrustedHeight)

	// The decoded header verifies as the original does.
	f := newFixture(t)
	_, _, err = lc.Update(f.cs, f.trusted, f.trusted, back, f.now)
	require.NoError(t, err)
}

func TestDecodeHeaderRefuses(t *testing.T) {
	h, enc, sh, vals := goldenParts(t)

	huge := lctest.NewValidators("many", lc.MaxValidators+1, 1)
	manyHeader := *h
	manyHeader.TrustedValidators = huge.Set
	many, err := lc.EncodeHeader(&manyHeader)
	require.NoError(t, err)

	cases := []struct {
		name string
		b    []byte
		want error
	}{
		{name: "empty", b: nil, want: lc.ErrBadHeader},
		{name: "over the byte limit", b: make([]byte, lc.MaxHeaderBytes+1), want: lc.ErrTooLarge},
		{name: "too many validators", b: many, want: lc.ErrTooLarge},
		{name: "truncated", b: enc[:len(enc)-3], want: lc.ErrBadHeader},
		{name: "unknown field", b: field(append([]byte(nil), enc...), 5, []byte{1}), want: lc.ErrBadHeader},
		{name: "repeated field", b: field(append([]byte(nil), enc...), 2, vals), want: lc.ErrBadHeader},
		{name: "field 0", b: append([]byte{0x02, 0x00}, enc...), want: lc.ErrBadHeader},
		{name: "varint where a message goes", b: append([]byte{0x08, 0x01}, enc[len(field(nil, 1, sh)):]...), want: lc.ErrBadHeader},
		{name: "group wire type", b: append([]byte{0x0b}, enc...), want: lc.ErrBadHeader},
		{name: "length past the end", b: append(binary.AppendUvarint([]byte{0x0a}, uint64(len(enc))), enc...), want: lc.ErrBadHeader},
		{name: "no signed header", b: field(field(field(nil, 2, vals), 3, []byte{0x10, 10}), 4, vals), want: lc.ErrBadHeader},
		{name: "no trusted validators", b: field(field(field(nil, 1, sh), 2, vals), 3, []byte{0x10, 10}), want: lc.ErrBadHeader},
		{name: "revision number 1", b: field(field(field(field(nil, 1, sh), 2, vals), 3, []byte{0x08, 1, 0x10, 10}), 4, vals), want: lc.ErrHeight},
		{name: "signed header garbage", b: field(field(field(field(nil, 1, []byte{0xff, 0xff}), 2, vals), 3, []byte{0x10, 10}), 4, vals), want: lc.ErrBadHeader},
		{name: "empty validator set", b: field(field(field(field(nil, 1, sh), 2, nil), 3, []byte{0x10, 10}), 4, vals), want: lc.ErrBadHeader},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := lc.DecodeHeader(c.b)
			require.ErrorIs(t, err, c.want)
		})
	}

	// A header with no trusted height field decodes (proto3 zero) but is
	// refused by ValidateBasic.
	zero, err := lc.DecodeHeader(field(field(field(nil, 1, sh), 2, vals), 4, vals))
	require.NoError(t, err)
	require.ErrorIs(t, zero.ValidateBasic(), lc.ErrHeight)
}

func TestDecodeMisbehaviourRefuses(t *testing.T) {
	h := goldenHeader(t)
	enc, err := lc.EncodeHeader(h)
	require.NoError(t, err)
	for name, b := range map[string][]byte{
		"one header":    field(nil, 2, enc),
		"bad header":    field(field(nil, 2, enc), 3, enc[:10]),
		"unknown field": field(field(field(nil, 2, enc), 3, enc), 4, enc),
		"too large":     make([]byte, 2*lc.MaxHeaderBytes+1),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := lc.DecodeMisbehaviour(b)
			require.Error(t, err)
			require.True(t, errors.Is(err, lc.ErrNotMisbehaviour) || errors.Is(err, lc.ErrBadHeader) || errors.Is(err, lc.ErrTooLarge), "%v", err)
		})
	}
	// ibc-go's deprecated client id (field 1), which relayers may still
	// fill in, is read and ignored; vsys never writes it.
	_, err = lc.DecodeMisbehaviour(field(field(field(nil, 1, []byte("07-tendermint-0")), 2, enc), 3, enc))
	require.NoError(t, err)
}

// FuzzDecodeHeader: any bytes either fail to decode with one of the
// package's sentinels, or decode to a header that re-encodes to bytes
// that decode to the same header again; verifying it never panics.
func FuzzDecodeHeader(f *testing.F) {
	h := goldenHeader(f)
	enc, err := lc.EncodeHeader(h)
	require.NoError(f, err)
	f.Add(enc)
	f.Add(enc[:len(enc)/2])
	f.Add(field(nil, 3, []byte{0x08, 1}))
	vals := lctest.NewValidators("v", 9, 10)
	cs := lc.ClientState{ChainID: chainID, TrustLevel: lc.DefaultTrustLevel, TrustingPeriod: 3600e9, UnbondingPeriod: 7200e9, MaxClockDrift: 10e9, LatestHeight: 10}
	trusted := lctest.ConsensusState(f0(vals))
	now := t0.Add(60e9)
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := lc.DecodeHeader(b)
		if err != nil {
			if !errors.Is(err, lc.ErrBadHeader) && !errors.Is(err, lc.ErrTooLarge) && !errors.Is(err, lc.ErrHeight) {
				t.Fatalf("error without a sentinel: %v", err)
			}
			return
		}
		enc, err := lc.EncodeHeader(h)
		if err != nil {
			t.Fatalf("decoded header does not encode: %v", err)
		}
		back, err := lc.DecodeHeader(enc)
		if err != nil {
			t.Fatalf("re-encoded header does not decode: %v", err)
		}
		again, err := lc.EncodeHeader(back)
		if err != nil || !bytes.Equal(enc, again) {
			t.Fatalf("encoding is not stable: %v", err)
		}
		_, _, _ = lc.Update(cs, trusted, trusted, h, now)
		_, _ = lc.CheckMisbehaviour(cs, trusted, trusted, trusted, &lc.Misbehaviour{Header1: h, Header2: h}, now)
	})
}
