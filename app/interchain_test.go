package app

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/moduleid"
	"github.com/vsys/vsys/internal/testkit/chain"
	"github.com/vsys/vsys/modules/interchain"
	"github.com/vsys/vsys/modules/interchain/lightclient"
	"github.com/vsys/vsys/modules/interchain/lightclient/lctest"
	"github.com/vsys/vsys/modules/interchain/transfer"
)

// TestInterchainThroughTheApp: a default chain runs the interchain
// module: a signed tx creates a light client, a query lists it, and a
// transfer through a client with no counterparty fails with the
// module's own result code, its funds untouched.
func TestInterchainThroughTheApp(t *testing.T) {
	h := newHarness(t)
	vals := lctest.NewValidators("other", 4, 10)
	at := time.Unix(chain.GenesisTime, 0).UTC()
	cs := lightclient.ClientState{ChainID: "other", TrustLevel: lightclient.DefaultTrustLevel, TrustingPeriod: time.Hour,
		UnbondingPeriod: 2 * time.Hour, MaxClockDrift: 10 * time.Second, LatestHeight: 5}
	res := h.ok(alice, 5_000_000, contractCall(interchain.Address, "create_client", interchain.CreateClientArgs{
		ClientState:    lightclient.EncodeClientState(cs),
		ConsensusState: lightclient.EncodeConsensusState(lctest.ConsensusState(lctest.Block{ChainID: "other", Height: 5, Time: at, AppHash: []byte("root"), Vals: vals})),
	}))
	var id string
	require.NoError(t, codec.Unmarshal(res.Data, &id))
	require.Equal(t, "07-tendermint-0", id)

	out, _, err := h.app.Call(t.Context(), 0, interchain.Address, "clients", mustMarshal(interchain.ClientsArgs{Now: at.Unix() + 10}), 1_000_000)
	require.NoError(t, err)
	var infos []interchain.ClientInfo
	require.NoError(t, codec.Unmarshal(out, &infos))
	require.Len(t, infos, 1)
	require.Equal(t, "Active", infos[0].Status)
	require.Equal(t, at.Add(time.Hour).Unix(), infos[0].ExpiresAt)

	before := h.balance(addr(alice), "VSYS")
	r := h.block(h.sign(alice, 5_000_000, contractCall(interchain.Address, "transfer", interchain.TransferArgs{
		SourceClient: id, Denom: "VSYS", Amount: codec.NewU128(5), Receiver: addr(bob).String(), TimeoutTimestamp: uint64(at.Unix() + 600)})))[0]
	require.Equal(t, moduleid.NameInterchain, r.Codespace, r.Log)
	require.Equal(t, uint32(3), r.Code, r.Log)
	require.Equal(t, 1, before.Cmp(h.balance(addr(alice), "VSYS")), "the fee was paid")
	require.True(t, h.balance(transfer.EscrowAddress(id), "VSYS").IsZero(), "the escrow was undone with the call")
}
