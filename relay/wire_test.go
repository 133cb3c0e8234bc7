package relay

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/modules/interchain"
	"github.com/vsys/vsys/modules/interchain/packet"
)

// TestWireMatchesModule: every wire type the relayer uses has exactly the
// codec type the module's ABI declares for the method it is used with, so
// a relayer pairing a method with the wrong type fails here, not on a
// live chain.
func TestWireMatchesModule(t *testing.T) {
	a := interchain.New().ABI()
	cases := []struct {
		method       string
		args, result any
	}{
		{"client", ClientArgs{}, ClientInfo{}},
		{"next_sequence", ClientArgs{}, uint64(0)},
		{"counterparty", ClientArgs{}, Counterparty{}},
		{"receipt", SeqArgs{}, Entry{}},
		{"commitment", SeqArgs{}, Entry{}},
		{"unreceived", SeqsArgs{}, []uint64{}},
		{"acknowledgement", SeqArgs{}, AckEntry{}},
		{"pending", PendingArgs{}, []packet.Packet{}},
		{"create_client", CreateClientArgs{}, ""},
		{"update_client", UpdateClientArgs{}, UpdateResult{}},
		{"register_counterparty", RegisterArgs{}, nil},
		{"recv_packet", RecvPacketArgs{}, ""},
		{"acknowledge", AckArgs{}, ""},
		{"timeout", TimeoutArgs{}, ""},
		{"transfer", TransferArgs{}, uint64(0)},
	}
	for _, c := range cases {
		m, ok := a.Method(c.method)
		require.True(t, ok, c.method)
		at, err := codec.TypeOf(c.args)
		require.NoError(t, err)
		require.True(t, m.Args.Equal(at), "%s args: module %s, relay %s", c.method, m.Args, at)
		if c.result != nil {
			rt, err := codec.TypeOf(c.result)
			require.NoError(t, err)
			require.True(t, m.Result.Equal(rt), "%s result: module %s, relay %s", c.method, m.Result, rt)
		}
	}
}

// TestMerklePrefix: the prefix connect registers is the module's.
func TestMerklePrefix(t *testing.T) {
	require.Equal(t, interchain.MerklePrefix(), merklePrefix())
	require.Equal(t, router.StorePrefix(interchain.Address), merklePrefix()[0])
	require.Equal(t, interchain.Address, moduleAddress)
}

// TestReadResult: a query's JSON reads back through the mirror's type,
// and JSON of another shape is refused instead of read as zeros.
func TestReadResult(t *testing.T) {
	want := ClientInfo{ClientID: "07-tendermint-0", ChainID: "b", Status: statusActive, LatestHeight: 7, LatestTimestamp: -1, ExpiresAt: 99, ClientState: []byte{1, 2}}
	b, err := codec.Marshal(want)
	require.NoError(t, err)
	ty, err := codec.TypeOf(want)
	require.NoError(t, err)
	js, err := codec.ToJSON(ty, b)
	require.NoError(t, err)
	var got ClientInfo
	require.NoError(t, readResult(js, &got))
	require.Equal(t, want, got)
	require.Error(t, readResult([]byte(`{"client_id":"x"}`), &got))
}
