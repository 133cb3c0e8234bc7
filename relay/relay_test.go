package relay_test

import (
	"context"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/tx"
	"github.com/vsys/vsys/internal/testkit"
	"github.com/vsys/vsys/modules/interchain"
	"github.com/vsys/vsys/modules/interchain/lightclient"
	"github.com/vsys/vsys/modules/interchain/lightclient/fetch"
	"github.com/vsys/vsys/modules/interchain/lightclient/lctest"
	"github.com/vsys/vsys/relay"
)

// TestRelay runs the relayer between two real chains (in-process nodes
// with real CometBFT, IAVL and light clients): each subtest connects its
// own pair of clients, so they share the nodes, not packets.
func TestRelay(t *testing.T) {
	a, b := twoChains(t)

	t.Run("transfer there and back", func(t *testing.T) {
		conn := connect(t, a, b, relay.DefaultClientParams)
		require.NotEqual(t, "", conn.AClient)
		require.Equal(t, "relay-b", conn.BChain)
		r := newRelayer(t, a, b, conn, nil)
		user := fund(t, a, 1, 1_000_000)
		userAddr, recvAddr := testkit.Addr(user), testkit.Addr(testkit.Key(2))
		before := balance(t, a, userAddr, a.native)
		escrowBefore := escrow(t, a, a.native)

		timeout := uint64(time.Now().Add(time.Hour).Unix())
		sent := send(t, a, user, transferCall(t, conn.AClient, a.native, 1000, recvAddr, timeout))
		v := voucher(conn.BClient, a.native)
		st := relayUntil(t, r, func() bool { return len(pending(t, a, conn.AClient)) == 0 })
		require.Equal(t, 1, st.Recv, "%+v", st)
		require.Equal(t, 1, st.Ack, "%+v", st)
		require.Equal(t, uint64(1000), balance(t, b, recvAddr, v), "the voucher")
		require.Equal(t, uint64(1000), escrow(t, a, a.native)-escrowBefore, "escrowed on A = vouchers on B")
		fee := uint64(sent.Tx.GasUsed) // at nodekit's gas price of 1
		require.Equal(t, before-1000-fee, balance(t, a, userAddr, a.native), "the sender paid the amount and its fee, nothing else")

		// Back: the receiver (funded on B for its fee) sends the vouchers
		// home; they are burned on B and released from escrow on A.
		back := fund(t, b, 2, 1_000_000)
		send(t, b, back, transferCall(t, conn.BClient, v, 1000, userAddr, timeout))
		st = relayUntil(t, r, func() bool { return len(pending(t, b, conn.BClient)) == 0 })
		require.Equal(t, 1, st.Recv, "%+v", st)
		require.Equal(t, 1, st.Ack, "%+v", st)
		require.Zero(t, balance(t, b, recvAddr, v), "the vouchers are burned")
		require.Equal(t, escrowBefore, escrow(t, a, a.native), "the escrow is released")
		require.Equal(t, before-fee, balance(t, a, userAddr, a.native), "the amount is back")
	})

	t.Run("killed mid-round, every packet exactly once", func(t *testing.T) {
		conn := connect(t, a, b, relay.DefaultClientParams)
		user := fund(t, a, 3, 1_000_000)
		recvAddr := testkit.Addr(testkit.Key(4))
		timeout := uint64(time.Now().Add(time.Hour).Unix())
		const packets = 12
		var calls []tx.Call
		for i := range packets {
			calls = append(calls, transferCall(t, conn.AClient, a.native, uint64(100+i), recvAddr, timeout))
		}
		escrowBefore := escrow(t, a, a.native)
		send(t, a, user, calls...)
		want := uint64(packets*100 + packets*(packets-1)/2)

		// Relayers stopped at random points: mid-read, mid-proof, with a tx
		// sent and not yet seen committed. Small batches make the work span
		// several txs, so a stop can fall between them.
		seed := time.Now().UnixNano()
		t.Logf("seed %d", seed)
		rng := rand.New(rand.NewPCG(uint64(seed), 0))
		for range 6 {
			r := newRelayer(t, a, b, conn, func(c *relay.Config) { c.MaxCallsPerTx = 3 })
			ctx, cancel := context.WithCancel(t.Context())
			stop := time.AfterFunc(time.Duration(rng.IntN(600))*time.Millisecond, cancel)
			require.NoError(t, r.Run(ctx), "a cancelled relayer stops cleanly")
			stop.Stop()
			cancel()
		}
		r := newRelayer(t, a, b, conn, nil)
		relayUntil(t, r, func() bool { return len(pending(t, a, conn.AClient)) == 0 })
		require.Equal(t, want, balance(t, b, recvAddr, voucher(conn.BClient, a.native)), "every packet received exactly once")
		require.Equal(t, want, escrow(t, a, a.native)-escrowBefore)
		for i := range packets {
			var e relay.Entry
			require.NoError(t, r.B.Query(t.Context(), 0, "receipt", relay.SeqArgs{ClientID: conn.BClient, Sequence: uint64(i + 1)}, &e))
			require.True(t, e.Found, "receipt %d", i+1)
		}
	})

	t.Run("a packet that times out is refunded", func(t *testing.T) {
		conn := connect(t, a, b, relay.DefaultClientParams)
		user := fund(t, a, 5, 1_000_000)
		userAddr, recvAddr := testkit.Addr(user), testkit.Addr(testkit.Key(6))
		before := balance(t, a, userAddr, a.native)
		st, err := b.c.Status(t.Context())
		require.NoError(t, err)
		timeout := st.LatestBlockTime.Add(2 * time.Second)
		sent := send(t, a, user, transferCall(t, conn.AClient, a.native, 500, recvAddr, uint64(timeout.Unix())))
		require.Greater(t, before-500-uint64(sent.Tx.GasUsed)+1, balance(t, a, userAddr, a.native), "sent, and the packet's deposit held")

		waitTime(t, b, timeout) // no relayer ran: B never received it
		r := newRelayer(t, a, b, conn, nil)
		stats := relayUntil(t, r, func() bool { return len(pending(t, a, conn.AClient)) == 0 })
		require.Equal(t, 1, stats.Timeout, "%+v", stats)
		require.Zero(t, stats.Recv, "%+v", stats)
		require.Equal(t, before-uint64(sent.Tx.GasUsed), balance(t, a, userAddr, a.native), "refunded exactly")
		require.Zero(t, balance(t, b, recvAddr, voucher(conn.BClient, a.native)))
	})

	t.Run("an idle relayer refreshes its clients before they expire", func(t *testing.T) {
		p := relay.ClientParams{TrustingPeriod: 3 * time.Second, UnbondingPeriod: 4 * time.Second, MaxClockDrift: 10 * time.Second}
		conn := connect(t, a, b, p)
		r := newRelayer(t, a, b, conn, nil)
		firstA, err := r.A.ClientInfo(t.Context(), conn.AClient)
		require.NoError(t, err)
		firstB, err := r.B.ClientInfo(t.Context(), conn.BClient)
		require.NoError(t, err)
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error, 1)
		go func() { done <- r.Run(ctx) }()
		// No packets at all: past both clients' first expiry, only the
		// refresh rule can have kept them alive.
		waitTime(t, a, time.Unix(max(firstA.ExpiresAt, firstB.ExpiresAt)+1, 0))
		waitTime(t, b, time.Unix(max(firstA.ExpiresAt, firstB.ExpiresAt)+1, 0))
		cancel()
		require.NoError(t, <-done)
		for _, c := range []struct {
			chain *relay.Chain
			first relay.ClientInfo
		}{{r.A, firstA}, {r.B, firstB}} {
			ci, err := c.chain.ClientInfo(t.Context(), c.first.ClientID)
			require.NoError(t, err)
			require.Equal(t, "Active", ci.Status, ci.ClientID)
			require.Greater(t, ci.LatestHeight, c.first.LatestHeight, ci.ClientID)
			require.Greater(t, ci.ExpiresAt, c.first.ExpiresAt, ci.ClientID)
		}
	})

	t.Run("an expired client stops the path with a clear error", func(t *testing.T) {
		p := relay.ClientParams{TrustingPeriod: 2 * time.Second, UnbondingPeriod: 3 * time.Second, MaxClockDrift: 10 * time.Second}
		conn := connect(t, a, b, p)
		reg := prometheus.NewRegistry()
		r := newRelayer(t, a, b, conn, func(c *relay.Config) { c.Metrics = relay.NewMetrics(reg) })
		var ci relay.ClientInfo
		require.NoError(t, r.A.Query(t.Context(), 0, "client", relay.ClientArgs{ClientID: conn.AClient}, &ci))
		waitTime(t, a, time.Unix(ci.ExpiresAt+1, 0))
		waitTime(t, b, time.Unix(ci.ExpiresAt+1, 0))

		err := r.Run(t.Context()) // returns: it does not retry forever
		require.ErrorIs(t, err, relay.ErrClientExpired)
		var ce *relay.ClientError
		require.ErrorAs(t, err, &ce)
		require.Contains(t, []string{conn.AClient, conn.BClient}, ce.ClientID)
		require.Contains(t, err.Error(), "recover_client")
		require.Equal(t, 0.0, gauge(t, reg, "vsys_relay_client_active", ce.ClientID))
	})

	t.Run("a frozen client stops the path", func(t *testing.T) { testFrozen(t, a, b) })
}

// testFrozen: misbehaviour signed with B's real validator key (B's real
// header and a fork of it) freezes A's client of B; the relayer then
// stops with ErrClientFrozen instead of retrying.
func testFrozen(t *testing.T, a, b side) {
	conn := connect(t, a, b, relay.DefaultClientParams)
	reg := prometheus.NewRegistry()
	r := newRelayer(t, a, b, conn, func(c *relay.Config) { c.Metrics = relay.NewMetrics(reg) })
	ci, err := r.A.ClientInfo(t.Context(), conn.AClient)
	require.NoError(t, err)
	src, err := fetch.New(t.Context(), b.ep.CometRPC, "relay-b")
	require.NoError(t, err)
	latest, err := src.LatestHeight(t.Context())
	require.NoError(t, err)
	real, err := src.Header(t.Context(), latest, ci.LatestHeight)
	require.NoError(t, err)
	key, err := lctest.LoadKey(filepath.Join(b.home, "config", "priv_validator_key.json"))
	require.NoError(t, err)
	fork := *real
	fork.SignedHeader = lctest.Fork(real.SignedHeader, lctest.WithKeys(real.ValidatorSet, key), []byte("forged"))
	mb, err := lightclient.EncodeMisbehaviour(&lightclient.Misbehaviour{Header1: real, Header2: &fork})
	require.NoError(t, err)
	send(t, a, a.dev, mustCall(t, interchain.Address, "submit_misbehaviour", interchain.MisbehaviourArgs{ClientID: conn.AClient, Misbehaviour: mb}))

	err = r.Run(t.Context())
	require.ErrorIs(t, err, relay.ErrClientFrozen)
	var ce *relay.ClientError
	require.ErrorAs(t, err, &ce)
	require.Equal(t, conn.AClient, ce.ClientID)
	require.Equal(t, "relay-a", ce.Chain)
	require.Equal(t, 0.0, gauge(t, reg, "vsys_relay_client_active", conn.AClient))
}

// gauge is the value of a gauge series of reg labelled client=id.
func gauge(t *testing.T, reg *prometheus.Registry, name, id string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	require.NoError(t, err)
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "client" && l.GetValue() == id {
					return m.GetGauge().GetValue()
				}
			}
		}
	}
	t.Fatalf("no %s{client=%q}", name, id)
	return 0
}
