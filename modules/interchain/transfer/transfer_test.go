package transfer_test

import (
	"crypto/sha256"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/modules/interchain/transfer"
)

// TestLocalDenomMatchesIBCGo: ATOM on Osmosis, the best-known voucher,
// is ibc/27394F… = sha256("transfer/channel-0/uatom") in upper-case hex.
func TestLocalDenomMatchesIBCGo(t *testing.T) {
	d := transfer.ParseDenom("transfer/channel-0/uatom")
	require.Equal(t, transfer.Denom{Base: "uatom", Trace: []transfer.Hop{{Port: "transfer", Client: "channel-0"}}}, d)
	require.Equal(t, "ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2", d.LocalDenom())
	require.Equal(t, "VSYS", transfer.ParseDenom("VSYS").LocalDenom())
}

// TestParseDenom follows ibc-go's ExtractDenomFromPath cases: hops are
// port/id pairs whose id is a client or channel id, from the left.
func TestParseDenom(t *testing.T) {
	for path, want := range map[string]transfer.Denom{
		"uatom":                         {Base: "uatom"},
		"gamm/pool/1":                   {Base: "gamm/pool/1"},
		"transfer/07-tendermint-0/VSYS": {Base: "VSYS", Trace: []transfer.Hop{{Port: "transfer", Client: "07-tendermint-0"}}},
		"transfer/07-tendermint-0":      {Base: "transfer/07-tendermint-0"},
		"transfer/channel-1/transfer/07-tendermint-2/gamm/pool/1": {Base: "gamm/pool/1",
			Trace: []transfer.Hop{{Port: "transfer", Client: "channel-1"}, {Port: "transfer", Client: "07-tendermint-2"}}},
		"transfer/notanid/VSYS": {Base: "transfer/notanid/VSYS"},
	} {
		d := transfer.ParseDenom(path)
		require.Equal(t, want, d, path)
		require.Equal(t, path, d.Path(), "round trip")
	}
	require.True(t, transfer.ParseDenom("transfer/07-tendermint-0/VSYS").HasPrefix("transfer", "07-tendermint-0"))
	require.False(t, transfer.ParseDenom("transfer/07-tendermint-0/VSYS").HasPrefix("transfer", "07-tendermint-1"))
	require.ErrorIs(t, transfer.ParseDenom("transfer/07-tendermint-0/transfer/07-tendermint-1").Validate(), transfer.ErrInvalidDenom, "no base")
}

// TestEscrowAddressIsIBCGos: sha256("ics20-1" ‖ 0 ‖ "transfer/" + client),
// first 20 bytes, as ibc-go's GetEscrowAddress.
func TestEscrowAddressIsIBCGos(t *testing.T) {
	h := sha256.Sum256(append([]byte("ics20-1\x00"), "transfer/07-tendermint-0"...))
	want, err := address.FromBytes(h[:20])
	require.NoError(t, err)
	require.Equal(t, want, transfer.EscrowAddress("07-tendermint-0"))
}

func TestPacketData(t *testing.T) {
	d := transfer.PacketData{Denom: "uatom", Amount: "1000000", Sender: "sender", Receiver: "receiver", Memo: "memo"}
	require.Equal(t, `{"denom":"uatom","amount":"1000000","sender":"sender","receiver":"receiver","memo":"memo"}`, string(d.Encode()))
	got, err := transfer.Decode(d.Encode(), transfer.Version, transfer.EncodingJSON)
	require.NoError(t, err)
	require.Equal(t, d, got)
	d.Memo = ""
	require.NotContains(t, string(d.Encode()), "memo", "empty fields are omitted, as ibc-go's json tags do")

	for name, c := range map[string]struct{ value, version, encoding string }{
		"unknown field": {`{"denom":"a","amount":"1","sender":"s","receiver":"r","extra":1}`, "ics20-1", "application/json"},
		"trailing":      {`{"denom":"a","amount":"1","sender":"s","receiver":"r"}{}`, "ics20-1", "application/json"},
		"zero amount":   {`{"denom":"a","amount":"0","sender":"s","receiver":"r"}`, "ics20-1", "application/json"},
		"huge amount":   {`{"denom":"a","amount":"340282366920938463463374607431768211456","sender":"s","receiver":"r"}`, "ics20-1", "application/json"},
		"no receiver":   {`{"denom":"a","amount":"1","sender":"s"}`, "ics20-1", "application/json"},
		"version":       {`{"denom":"a","amount":"1","sender":"s","receiver":"r"}`, "ics20-2", "application/json"},
		"encoding":      {`{"denom":"a","amount":"1","sender":"s","receiver":"r"}`, "ics20-1", "application/x-protobuf"},
	} {
		_, err := transfer.Decode([]byte(c.value), c.version, c.encoding)
		require.ErrorIs(t, err, transfer.ErrInvalidData, name)
	}
}
