package bench

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/vsys/vsys/app/genesis"
	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/keys"
	"github.com/vsys/vsys/core/moduleid"
	"github.com/vsys/vsys/core/tx"
	"github.com/vsys/vsys/node"
	"github.com/vsys/vsys/node/config"
	"github.com/vsys/vsys/relay"
	"github.com/vsys/vsys/rpc/client"
)

// Options configure a run.
type Options struct {
	BlockInterval time.Duration // both chains'; default 1 s
	RoundTrips    int           // packets sent one at a time; default 20
	Burst         int           // packets of the throughput burst; default 1000
	Senders       int           // accounts the burst is sent from, one tx each; default 20
	// Rate, if positive, adds a sustained run after the burst: transfers
	// offered at Rate a second for Window (default 30 s), from the senders
	// in turn.
	Rate   float64
	Window time.Duration
	// Batch is the relayer's --batch; default Burst.
	Batch    int
	Dir      string       // where the homes go; default a temp dir, removed after
	Log      io.Writer    // progress; nil: none
	RelayLog *slog.Logger // the relayer's own lines; nil: none
}

// Result is what a run measured.
type Result struct {
	BlockInterval time.Duration   `json:"block_interval"`
	RoundTrips    []time.Duration `json:"round_trips"`
	RoundTripP50  time.Duration   `json:"round_trip_p50"`
	RoundTripP99  time.Duration   `json:"round_trip_p99"`
	Burst         int             `json:"burst"`
	// BurstSent is how long the burst's txs took to commit on A; Received
	// and Acked are from then until the last packet's receipt on B and its
	// acknowledgement back on A.
	BurstSent     time.Duration `json:"burst_sent"`
	BurstReceived time.Duration `json:"burst_received"`
	BurstAcked    time.Duration `json:"burst_acked"`
	// PacketsPerSecond is Burst over BurstAcked: packets carried both
	// ways (recv on B, ack on A) per second by one relayer.
	PacketsPerSecond float64 `json:"packets_per_second"`
	// Sustained is the run at a steady offered rate (Options.Rate); nil
	// without one.
	Sustained *Sustained `json:"sustained,omitempty"`
}

func (o *Options) defaults() {
	if o.BlockInterval <= 0 {
		o.BlockInterval = time.Second
	}
	if o.RoundTrips <= 0 {
		o.RoundTrips = 20
	}
	if o.Burst <= 0 {
		o.Burst = 1000
	}
	if o.Senders <= 0 {
		o.Senders = 20
	}
	if o.Batch <= 0 {
		o.Batch = o.Burst
	}
	if o.Window <= 0 {
		o.Window = 30 * time.Second
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
}

// chain is one of the two chains.
type chain struct {
	node *node.Node
	ep   relay.Endpoint
	c    *client.Client
}

// senderKey is burst sender i's key, derived so genesis can fund it.
func senderKey(i int) ed25519.PrivateKey {
	seed := sha256.Sum256(fmt.Appendf(nil, "vsys relay bench sender %d", i))
	return ed25519.NewKeyFromSeed(seed[:])
}

func startChain(dir, id string, o Options) (*chain, error) {
	base, err := node.FreeBasePort(3)
	if err != nil {
		return nil, err
	}
	ac := config.Default()
	ac.RPC.Address = fmt.Sprintf("127.0.0.1:%d", base)
	ac.Consensus.BlockInterval = o.BlockInterval.String()
	ac.Metrics.Enabled = false
	ac.Log.Level = "error"
	var accounts []genesis.Account
	for i := range o.Senders + 1 {
		accounts = append(accounts, genesis.Account{Address: address.FromPubKey(senderKey(i).Public().(ed25519.PublicKey)), Balance: codec.NewU128(1 << 50)})
	}
	home := filepath.Join(dir, id)
	if _, err := node.Init(home, node.InitOptions{ChainID: id, DevBalance: codec.NewU128(1 << 50), Accounts: accounts, App: ac,
		CometRPCAddr: fmt.Sprintf("tcp://127.0.0.1:%d", base+1), P2PAddr: fmt.Sprintf("tcp://127.0.0.1:%d", base+2)}); err != nil {
		return nil, err
	}
	n, err := node.Start(home, node.Options{LogOutput: io.Discard})
	if err != nil {
		return nil, err
	}
	kr, err := keys.Open(home, keys.BackendTest, nil)
	if err != nil {
		_ = n.Stop()
		return nil, err
	}
	dev, err := kr.Signer(node.DevKeyName)
	if err != nil {
		_ = n.Stop()
		return nil, err
	}
	c := &chain{node: n, c: client.New(n.RPCAddr),
		ep: relay.Endpoint{Name: id, RPC: n.RPCAddr, CometRPC: fmt.Sprintf("http://127.0.0.1:%d", base+1), Key: dev}}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := c.c.WaitHeight(ctx, 2); err != nil {
		_ = n.Stop()
		return nil, fmt.Errorf("%s did not start: %w", id, err)
	}
	return c, nil
}

// Run starts two chains, connects them, runs a relayer and measures.
func Run(ctx context.Context, o Options) (*Result, error) {
	o.defaults()
	dir := o.Dir
	if dir == "" {
		d, err := os.MkdirTemp("", "vsys-bench-relay-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(d)
		dir = d
	}
	a, err := startChain(dir, "bench-a", o)
	if err != nil {
		return nil, err
	}
	defer func() { _ = a.node.Stop() }()
	b, err := startChain(dir, "bench-b", o)
	if err != nil {
		return nil, err
	}
	defer func() { _ = b.node.Stop() }()

	ca, err := relay.Dial(ctx, a.ep)
	if err != nil {
		return nil, err
	}
	cb, err := relay.Dial(ctx, b.ep)
	if err != nil {
		return nil, err
	}
	conn, err := relay.Connect(ctx, ca, cb, relay.DefaultClientParams)
	if err != nil {
		return nil, fmt.Errorf("connect: %w", err)
	}
	fmt.Fprintf(o.Log, "connected %s (%s) and %s (%s)\n", conn.AChain, conn.AClient, conn.BChain, conn.BClient)
	r, err := relay.New(ctx, relay.Config{A: a.ep, B: b.ep, AClient: conn.AClient, BClient: conn.BClient,
		Batch: o.Batch, Interval: 50 * time.Millisecond, Log: o.RelayLog})
	if err != nil {
		return nil, err
	}
	rctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- r.Run(rctx) }()
	defer func() {
		stop()
		if err := <-done; err != nil {
			fmt.Fprintf(o.Log, "relayer: %v\n", err)
		}
	}()

	res := &Result{BlockInterval: o.BlockInterval, Burst: o.Burst}
	m := &measure{a: a, b: b, ra: ca, conn: conn, native: mustNative(ctx, a.c)}
	for i := range o.RoundTrips {
		d, err := m.roundTrip(ctx, senderKey(o.Senders))
		if err != nil {
			return nil, fmt.Errorf("round trip %d: %w", i, err)
		}
		res.RoundTrips = append(res.RoundTrips, d)
		fmt.Fprintf(o.Log, "round trip %d: %v\n", i+1, d.Round(time.Millisecond))
	}
	sorted := slices.Clone(res.RoundTrips)
	slices.Sort(sorted)
	res.RoundTripP50, res.RoundTripP99 = percentile(sorted, 0.5), percentile(sorted, 0.99)
	if err := m.burst(ctx, o, res); err != nil {
		return nil, err
	}
	if o.Rate > 0 {
		if res.Sustained, err = m.sustain(ctx, o); err != nil {
			return nil, fmt.Errorf("sustained: %w", err)
		}
	}
	return res, nil
}

// percentile is the nearest-rank percentile of sorted.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p+0.5) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

func mustNative(ctx context.Context, c *client.Client) string {
	st, err := c.Status(ctx)
	if err != nil {
		return "VSYS"
	}
	return st.NativeToken
}

// transferCall sends 1 native coin through client to a fixed receiver.
func transferCall(client, denom string, timeout time.Time) (tx.Call, error) {
	args, err := codec.Marshal(relay.TransferArgs{SourceClient: client, Denom: denom, Amount: codec.NewU128(1),
		Receiver: receiver().String(), TimeoutTimestamp: uint64(timeout.Unix())})
	return tx.Call{Contract: address.Module(moduleid.Interchain), Method: "transfer", Args: args}, err
}

// receiver is who gets the vouchers on B.
func receiver() address.Address { return address.FromPubKey(senderKey(0).Public().(ed25519.PublicKey)) }

var errStalled = errors.New("no progress")
