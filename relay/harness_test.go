package relay_test

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/moduleid"
	"github.com/vsys/vsys/core/tx"
	"github.com/vsys/vsys/internal/testkit"
	"github.com/vsys/vsys/internal/testkit/nodekit"
	"github.com/vsys/vsys/modules/interchain"
	"github.com/vsys/vsys/modules/interchain/packet"
	"github.com/vsys/vsys/modules/interchain/transfer"
	"github.com/vsys/vsys/modules/token"
	"github.com/vsys/vsys/relay"
	"github.com/vsys/vsys/rpc/client"
)

// side is one real chain of a test: a node started in-process with
// CometBFT, its dev key (which the relayer signs with) and its native
// coin.
type side struct {
	ep     relay.Endpoint
	c      *client.Client
	dev    ed25519.PrivateKey
	native string
	home   string // the node's home (its validator key signs forks in tests)
}

// twoChains starts two real one-validator chains, "relay-a" and
// "relay-b", at nodekit's 100 ms blocks.
func twoChains(t *testing.T) (a, b side) {
	t.Helper()
	start := func(id string) side {
		home := nodekit.InitHome(t, id, nil)
		n := nodekit.Start(t, home)
		s := side{ep: relay.Endpoint{Name: id, RPC: n.RPCAddr, CometRPC: home.CometRPC, Key: nodekit.DevKey(t, home)}, c: nodekit.Client(n)}
		s.dev, s.home = s.ep.Key, home.Dir
		st, err := s.c.Status(t.Context())
		require.NoError(t, err)
		s.native = st.NativeToken
		return s
	}
	return start("relay-a"), start("relay-b")
}

// connect makes a fresh pair of clients between a and b with p.
func connect(t *testing.T, a, b side, p relay.ClientParams) relay.Connected {
	t.Helper()
	ca, err := relay.Dial(t.Context(), a.ep)
	require.NoError(t, err)
	cb, err := relay.Dial(t.Context(), b.ep)
	require.NoError(t, err)
	out, err := relay.Connect(t.Context(), ca, cb, p)
	require.NoError(t, err)
	return out
}

func newRelayer(t *testing.T, a, b side, conn relay.Connected, edit func(*relay.Config)) *relay.Relayer {
	t.Helper()
	cfg := relay.Config{A: a.ep, B: b.ep, AClient: conn.AClient, BClient: conn.BClient, RecvMargin: time.Second}
	if edit != nil {
		edit(&cfg)
	}
	r, err := relay.New(t.Context(), cfg)
	require.NoError(t, err)
	return r
}

// send makes calls as key on s and requires them to succeed.
func send(t *testing.T, s side, key ed25519.PrivateKey, calls ...tx.Call) *client.Sent {
	t.Helper()
	sent, err := s.c.Send(t.Context(), key, calls, client.SendOptions{})
	require.NoError(t, err)
	require.Zero(t, sent.Tx.Code, sent.Tx.Log)
	return sent
}

func mustCall(t *testing.T, contract address.Address, method string, args any) tx.Call {
	t.Helper()
	b, err := codec.Marshal(args)
	require.NoError(t, err)
	return tx.Call{Contract: contract, Method: method, Args: b}
}

// fund gives a fresh account n on s some native coin for fees.
func fund(t *testing.T, s side, n byte, amount uint64) ed25519.PrivateKey {
	t.Helper()
	k := testkit.Key(n)
	send(t, s, s.dev, mustCall(t, address.Module(moduleid.Token), "send", token.SendArgs{Token: s.native, To: testkit.Addr(k), Amount: codec.NewU128(amount)}))
	return k
}

// transferCall is an ICS-20 transfer through client of amount of denom
// to receiver, timing out at timeout (Unix seconds).
func transferCall(t *testing.T, client, denom string, amount uint64, receiver address.Address, timeout uint64) tx.Call {
	return mustCall(t, interchain.Address, "transfer", relay.TransferArgs{SourceClient: client, Denom: denom, Amount: codec.NewU128(amount),
		Receiver: receiver.String(), TimeoutTimestamp: timeout})
}

func balance(t *testing.T, s side, who address.Address, denom string) uint64 {
	t.Helper()
	acc, err := s.c.GetAccount(t.Context(), who, 0)
	require.NoError(t, err)
	for _, c := range acc.Balances {
		if c.Token == denom {
			return c.Amount.Lo
		}
	}
	return 0
}

// voucher is the denom on the chain behind dstClient of base sent from
// the other chain (ibc/ + sha256 of its trace).
func voucher(dstClient, base string) string {
	return transfer.Denom{Base: base, Trace: []transfer.Hop{{Port: transfer.PortID, Client: dstClient}}}.LocalDenom()
}

func pending(t *testing.T, s side, clientID string) []packet.Packet {
	t.Helper()
	var out []packet.Packet
	res, err := s.c.Call(t.Context(), interchain.Name, "pending", map[string]any{"client_id": clientID, "start_sequence": "0", "limit": "1000"}, 0)
	require.NoError(t, err)
	ty, err := codec.TypeOf(out)
	require.NoError(t, err)
	b, err := codec.FromJSON(ty, res.Result)
	require.NoError(t, err)
	require.NoError(t, codec.Unmarshal(b, &out))
	return out
}

func escrow(t *testing.T, s side, denom string) uint64 {
	t.Helper()
	res, err := s.c.Call(t.Context(), interchain.Name, "total_escrow", map[string]any{"denom": denom}, 0)
	require.NoError(t, err)
	var v string
	require.NoError(t, json.Unmarshal(res.Result, &v))
	u, err := codec.ParseU128(v)
	require.NoError(t, err)
	return u.Lo
}

// relayUntil runs rounds until done holds; the round count is a guard
// that turns a relayer that makes no progress into a failure.
func relayUntil(t *testing.T, r *relay.Relayer, done func() bool) relay.Stats {
	t.Helper()
	var total relay.Stats
	for i := 0; !done(); i++ {
		require.Less(t, i, 300, "relayer made no progress; so far %+v", total)
		st, err := r.Round(t.Context())
		require.NoError(t, err)
		total.Recv, total.Ack, total.Timeout, total.Noop = total.Recv+st.Recv, total.Ack+st.Ack, total.Timeout+st.Timeout, total.Noop+st.Noop
		if st.Packets() == 0 {
			time.Sleep(100 * time.Millisecond) // a block
		}
	}
	return total
}

// waitTime waits until s's block time is past t (a guard bounds it).
func waitTime(t *testing.T, s side, after time.Time) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	for {
		st, err := s.c.Status(ctx)
		require.NoError(t, err)
		if st.LatestBlockTime.After(after) {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}
