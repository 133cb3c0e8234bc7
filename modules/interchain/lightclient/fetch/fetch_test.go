package fetch_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/internal/testkit/nodekit"
	lc "github.com/vsys/vsys/modules/interchain/lightclient"
	"github.com/vsys/vsys/modules/interchain/lightclient/fetch"
	"github.com/vsys/vsys/modules/interchain/lightclient/lctest"
)

// TestHeadersFromALiveNode: a client created from a real node's header
// follows it with headers fetched from its CometBFT RPC, adjacent and
// skipping, through their wire encoding, with "now" taken from the
// headers (never the wall clock).
func TestHeadersFromALiveNode(t *testing.T) {
	home := nodekit.InitHome(t, "fetch-test", nil)
	n := nodekit.Start(t, home)
	// A guard against a node that stops making blocks, not a timed
	// assertion.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	require.NoError(t, nodekit.Client(n).WaitHeight(ctx, 7))

	src, err := fetch.New(ctx, home.CometRPC, "")
	require.NoError(t, err)
	require.Equal(t, "fetch-test", src.ChainID())
	latest, err := src.LatestHeight(ctx)
	require.NoError(t, err)
	require.GreaterOrEqual(t, latest, uint64(7))

	cs, cons, err := src.NewClient(ctx, 2, fetch.Params{TrustingPeriod: time.Hour, UnbondingPeriod: 2 * time.Hour, MaxClockDrift: 10 * time.Second})
	require.NoError(t, err)
	require.EqualValues(t, 2, cs.LatestHeight)
	require.NoError(t, lc.ValidateNew(cs, cons, cons.Timestamp.Add(time.Second)))

	trusted := cons
	for _, step := range []struct{ height, trusted uint64 }{{3, 2}, {6, 3}} {
		h, err := src.Header(ctx, step.height, step.trusted)
		require.NoError(t, err)
		enc, err := lc.EncodeHeader(h)
		require.NoError(t, err)
		h, err = lc.DecodeHeader(enc)
		require.NoError(t, err)
		now := h.SignedHeader.Time.Add(time.Second)
		var next lc.ConsensusState
		cs, next, err = lc.Update(cs, trusted, trusted, h, now)
		require.NoError(t, err, "update to %d from %d", step.height, step.trusted)
		require.Equal(t, step.height, cs.LatestHeight)
		// What the client stores is what the node's header says.
		want, _, err := src.ConsensusState(ctx, step.height)
		require.NoError(t, err)
		require.True(t, want.Equal(next))
		trusted = next
	}

	// Misbehaviour made with the node's own validator key: the real
	// header at 5 and a fork of it with another app hash, both verified
	// from the state at 3, freeze the client.
	key, err := lctest.LoadKey(filepath.Join(home.Dir, "config", "priv_validator_key.json"))
	require.NoError(t, err)
	at3, _, err := src.ConsensusState(ctx, 3)
	require.NoError(t, err)
	real5, err := src.Header(ctx, 5, 3)
	require.NoError(t, err)
	fork5 := *real5
	fork5.SignedHeader = lctest.Fork(real5.SignedHeader, lctest.WithKeys(real5.ValidatorSet, key), []byte("forged"))
	now := trusted.Timestamp.Add(time.Second)
	frozen, err := lc.CheckMisbehaviour(cs, trusted, at3, at3, &lc.Misbehaviour{Header1: real5, Header2: &fork5}, now)
	require.NoError(t, err)
	require.Equal(t, lc.Frozen, lc.ClientStatus(frozen, trusted, now))

	// The fork alone verifies as an update (it is properly signed), and
	// contradicts the state the client stores at 6: misbehaviour.
	real6, err := src.Header(ctx, 6, 3)
	require.NoError(t, err)
	fork6 := *real6
	fork6.SignedHeader = lctest.Fork(real6.SignedHeader, lctest.WithKeys(real6.ValidatorSet, key), []byte("forged"))
	_, _, err = lc.Update(cs, trusted, at3, &fork6, now)
	require.NoError(t, err)
	_, err = lc.CheckForMisbehaviour(&fork6, lc.Neighbours{Existing: &trusted})
	require.ErrorIs(t, err, lc.ErrMisbehaviour)
	dup, err := lc.CheckForMisbehaviour(real6, lc.Neighbours{Existing: &trusted})
	require.NoError(t, err)
	require.True(t, dup)

	_, err = src.Header(ctx, latest+1000, 2)
	require.ErrorIs(t, err, fetch.ErrNotYet)
	_, err = src.Header(ctx, 5, 5)
	require.ErrorIs(t, err, lc.ErrHeight)
}
