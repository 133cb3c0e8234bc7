package bench

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/vsys/vsys/app/genesis"
	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/node"
	"github.com/vsys/vsys/rpc/client"
)

// Options configure one run.
type Options struct {
	Binary        string        // vsysd to run as the node
	App           node.AppKind  // vsys or kvstore
	Accounts      int           // funded senders
	Txs           int           // transfers to submit
	Workers       int           // concurrent submitters
	Batch         int           // txs per JSON-RPC batch
	BlockInterval time.Duration // node's pause between blocks
	Timeout       time.Duration // give up waiting for commits after this
	Log           io.Writer     // progress lines; nil: none
	KeepHome      bool          // leave the node's home for inspection
	CPUProfile    string        // write the node's CPU profile under load here
	WasmToken     string        // with App vsys: send through this token contract (.wasm) instead of the native module
	Rows          int           // with App vsys: each tx inserts this many ~100-byte rows into its sender's table, not a transfer
	Validators    int           // > 1: run a network of this many validators (vsysd testnet) and load node0

	pprofPort int
	Live      bool // Log is a terminal: redraw progress in place
}

// Result is what one run measured.
type Result struct {
	App        node.AppKind  `json:"app"`
	Submitted  int           `json:"submitted"`
	Rejected   int           `json:"rejected"`
	Committed  int           `json:"committed"`
	Failed     int           `json:"failed"` // committed with a non-zero code (vsys only)
	Duration   time.Duration `json:"duration_ns"`
	TPS        float64       `json:"committed_tps"`
	P50        time.Duration `json:"latency_p50_ns"`
	P99        time.Duration `json:"latency_p99_ns"`
	PeakRSSKiB int64         `json:"peak_rss_kib"`
	Blocks     int           `json:"blocks"`
	MaxBlock   int           `json:"max_block_txs"`
	// Rows mode: rows committed per second, and the latency of
	// vsys_queryTable (100 rows by index) sampled while the writes ran.
	RowsPerSec float64       `json:"rows_per_sec,omitempty"`
	Queries    int           `json:"queries,omitempty"`
	QueryP50   time.Duration `json:"query_p50_ns,omitempty"`
	QueryP99   time.Duration `json:"query_p99_ns,omitempty"`
}

func (o *Options) defaults() {
	if o.Accounts <= 0 {
		o.Accounts = 100
	}
	if o.Txs <= 0 {
		o.Txs = 10_000
	}
	if o.Workers <= 0 {
		o.Workers = 4
	}
	if o.Batch <= 0 {
		o.Batch = 200
	}
	if o.BlockInterval == 0 {
		o.BlockInterval = time.Second
	}
	if o.Timeout == 0 {
		o.Timeout = 5 * time.Minute
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
}

// seedKey derives account i's key deterministically, so runs are repeatable.
func seedKey(i int) ed25519.PrivateKey {
	seed := sha256.Sum256(binary.BigEndian.AppendUint64([]byte("vsys-bench"), uint64(i)))
	return ed25519.NewKeyFromSeed(seed[:])
}

// Run performs one benchmark run against a fresh node.
func Run(ctx context.Context, o Options) (*Result, error) {
	o.defaults()
	home, err := os.MkdirTemp("", "vsys-bench-"+string(o.App)+"-")
	if err != nil {
		return nil, err
	}
	if !o.KeepHome {
		defer os.RemoveAll(home)
	}
	keys := make([]ed25519.PrivateKey, o.Accounts)
	deployer := seedKey(-1)
	accounts := []genesis.Account{{Address: address.FromPubKey(deployer.Public().(ed25519.PublicKey)), Balance: codec.NewU128(1 << 60)}}
	for i := range keys {
		keys[i] = seedKey(i)
		accounts = append(accounts, genesis.Account{
			Address: address.FromPubKey(keys[i].Public().(ed25519.PublicKey)),
			Balance: codec.NewU128(1 << 60),
		})
	}
	// One range of free ports: the single node's four (ports in
	// startNode) and, after them, the pprof endpoint's. A network finds
	// its own ranges.
	base, err := node.FreeBasePort(1)
	if err != nil {
		return nil, err
	}
	o.pprofPort = base + 4
	var c *client.Client
	var stop func()
	if o.Validators > 1 {
		c, stop, err = startNetwork(ctx, o, home, accounts)
	} else {
		c, stop, err = startNode(ctx, o, home, accounts, base)
	}
	if err != nil {
		return nil, err
	}
	defer stop()
	if o.Rows > 0 {
		fmt.Fprintf(o.Log, "[%s] creating a table for each of %d accounts\n", o.label(), o.Accounts)
		if err := createTables(ctx, c, keys); err != nil {
			return nil, fmt.Errorf("create tables: %w", err)
		}
	}
	var tok *address.Address
	if o.WasmToken != "" {
		fmt.Fprintf(o.Log, "[%s] deploying %s and funding %d accounts\n", o.label(), o.WasmToken, o.Accounts)
		a, err := deployToken(ctx, c, deployer, keys, o.WasmToken)
		if err != nil {
			return nil, fmt.Errorf("deploy %s: %w", o.WasmToken, err)
		}
		tok = &a
	}
	fmt.Fprintf(o.Log, "[%s] signing %d transfers from %d accounts\n", o.label(), o.Txs, o.Accounts)
	txs, err := makeTxs(o, keys, tok)
	if err != nil {
		return nil, err
	}
	var profiled chan error
	if o.CPUProfile != "" {
		profiled = make(chan error, 1)
		go func() { profiled <- saveProfile(ctx, pprofAddr(o, o.pprofPort), o.CPUProfile) }()
	}
	res, err := load(ctx, o, c, txs)
	if err != nil {
		return nil, err
	}
	if profiled != nil {
		if err := <-profiled; err != nil {
			return nil, fmt.Errorf("cpu profile: %w", err)
		}
	}
	res.PeakRSSKiB = peakRSSOf(home)
	return res, nil
}

// label names a run in reports: vsys, wasm (vsys through a token
// contract) or kvstore.
func (o *Options) label() string {
	switch {
	case o.WasmToken != "":
		return "wasm"
	case o.Rows > 0:
		return "rows"
	}
	return string(o.App)
}
