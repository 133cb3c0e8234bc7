package e2e

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/keys"
	"github.com/vsys/vsys/core/tx"
	"github.com/vsys/vsys/internal/testkit"
	"github.com/vsys/vsys/modules/database"
	"github.com/vsys/vsys/modules/token"
	"github.com/vsys/vsys/node"
	"github.com/vsys/vsys/rpc"
	"github.com/vsys/vsys/rpc/client"
)

// Network is a local network of vsysd validator processes.
type Network struct {
	Bin   string
	Dir   string
	Nodes []node.TestnetNode
	procs []*proc
	mu    sync.Mutex
}

type proc struct {
	cmd  *exec.Cmd
	done chan struct{} // closed when the process has exited
}

// NewNetwork writes an n-validator testnet into dir.
func NewNetwork(bin, dir string, n int, blockInterval string) (*Network, error) {
	// Ports from the test kit: locked against other test processes
	// and outside the kernel's ephemeral range (node.FreeBasePort's
	// listen-and-close can lose its ports to a concurrent package).
	base, err := testkit.ReservePortRange(10 * n)
	if err != nil {
		return nil, err
	}
	nodes, err := node.InitTestnet(dir, node.TestnetOptions{ChainID: "e2e-net", Validators: n, BasePort: base,
		BlockInterval: blockInterval, DevBalance: codec.NewU128(1 << 62)})
	if err != nil {
		return nil, err
	}
	return &Network{Bin: bin, Dir: dir, Nodes: nodes, procs: make([]*proc, n)}, nil
}

// Start starts node i.
func (nw *Network) Start(i int) error {
	nw.mu.Lock()
	defer nw.mu.Unlock()
	log, err := os.OpenFile(filepath.Join(nw.Nodes[i].Home, "node.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	cmd := exec.Command(nw.Bin, "start", "--home", nw.Nodes[i].Home)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		return err
	}
	p := &proc{cmd: cmd, done: make(chan struct{})}
	nw.procs[i] = p
	go func() { _ = cmd.Wait(); log.Close(); close(p.done) }()
	return nil
}

// Signal sends sig to node i (SIGKILL and SIGTERM also wait for it to exit).
func (nw *Network) Signal(i int, sig syscall.Signal) error {
	nw.mu.Lock()
	p := nw.procs[i]
	nw.mu.Unlock()
	if p == nil {
		return fmt.Errorf("node %d is not running", i)
	}
	if err := p.cmd.Process.Signal(sig); err != nil {
		return err
	}
	if sig == syscall.SIGKILL || sig == syscall.SIGTERM {
		<-p.done
		nw.mu.Lock()
		nw.procs[i] = nil
		nw.mu.Unlock()
	}
	return nil
}

// StopAll stops every running node.
func (nw *Network) StopAll() {
	for i := range nw.Nodes {
		_ = nw.Signal(i, syscall.SIGTERM)
	}
}

// Client is a JSON-RPC client of node i.
func (nw *Network) Client(i int) *client.Client { return client.New(nw.Nodes[i].RPCAddr) }

// Height is node i's latest readable height, or -1 if it does not answer.
func (nw *Network) Height(ctx context.Context, i int) int64 {
	c, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	h, err := nw.Client(i).BlockNumber(c)
	if err != nil {
		return -1
	}
	return h
}

// WaitHeight waits until node i reaches h.
func (nw *Network) WaitHeight(ctx context.Context, i int, h int64, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if nw.Height(ctx, i) >= h {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("node %d did not reach height %d in %s (at %d)", i, h, timeout, nw.Height(ctx, i))
}

// SameAppHash checks that every node reports the same app hash for block
// h (the state after h-1, as each node computed and agreed on it).
func (nw *Network) SameAppHash(ctx context.Context, h int64) (bool, error) {
	var first []byte
	for i := range nw.Nodes {
		b, err := nw.Client(i).GetBlock(ctx, h)
		if err != nil {
			return false, fmt.Errorf("node %d block %d: %w", i, h, err)
		}
		if i == 0 {
			first = b.AppHash
		} else if !bytes.Equal(first, b.AppHash) {
			return false, nil
		}
	}
	return true, nil
}

// Load sends txs (a transfer and a table row each) from node0's dev key
// through the nodes in turn, one at a time, and counts those it saw
// committed.
type Load struct {
	nw    *Network
	key   ed25519.PrivateKey
	To    address.Address
	mu    sync.Mutex
	Total uint64
	stop  chan struct{}
	done  chan struct{}
	once  sync.Once
}

// StartLoad begins the load.
func (nw *Network) StartLoad() (*Load, error) {
	kr, err := keys.Open(nw.Nodes[0].Home, keys.BackendTest, nil)
	if err != nil {
		return nil, err
	}
	k, err := kr.Signer(node.DevKeyName)
	if err != nil {
		return nil, err
	}
	l := &Load{nw: nw, key: k, To: address.Derive("e2e", []byte("sink")), stop: make(chan struct{}), done: make(chan struct{})}
	// A table the load writes rows into, beside its transfers.
	args, err := codec.Marshal(database.CreateTableArgs{Name: "e2e", Schema: database.Schema{
		Columns: []database.Column{{Name: "id", Type: "u64"}, {Name: "note", Type: "string"}}, PrimaryKey: []string{"id"}}})
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	sent, err := nw.Client(0).Send(ctx, k, []tx.Call{{Contract: database.Address, Method: "create_table", Args: args}}, client.SendOptions{})
	if err != nil {
		return nil, fmt.Errorf("create the load's table: %w", err)
	}
	if sent.Tx.Status != "ok" {
		return nil, fmt.Errorf("create the load's table: %s", sent.Tx.Log)
	}
	go l.run()
	return l, nil
}

func (l *Load) run() {
	defer close(l.done)
	for i := 0; ; i++ {
		select {
		case <-l.stop:
			return
		default:
		}
		c := l.nw.Client(i % len(l.nw.Nodes))
		// Every tx moves 1 unit to the sink and writes one row: the token
		// module and the database, in one tx, under every perturbation.
		args, _ := codec.Marshal(token.SendArgs{Token: "VSYS", To: l.To, Amount: codec.NewU128(1)})
		row, _ := codec.Marshal(struct {
			ID   uint64
			Note string
		}{uint64(i), "load"})
		me := address.FromPubKey(l.key.Public().(ed25519.PublicKey))
		insert, _ := codec.Marshal(database.RowArgs{Owner: me, Table: "e2e", Row: row})
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		sent, err := c.Send(ctx, l.key, []tx.Call{{Contract: token.Address, Method: "send", Args: args},
			{Contract: database.Address, Method: "insert", Args: insert}}, client.SendOptions{})
		cancel()
		if err == nil && sent.Tx != nil && sent.Tx.Status == "ok" {
			l.mu.Lock()
			l.Total++
			l.mu.Unlock()
		} else {
			time.Sleep(100 * time.Millisecond)
		}
	}
}

// Stop ends the load.
func (l *Load) Stop() {
	l.once.Do(func() { close(l.stop) })
	<-l.done
}

// CommittedCount is how many txs the load has seen committed.
func (l *Load) CommittedCount() uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.Total
}

// Lost is how many of the first total transfers the load saw committed
// node i's state lacks: each moved 1 unit to the sink, so the sink's
// balance must be at least total (it may be more: a tx can commit after
// its sender gave up waiting).
func (l *Load) Lost(ctx context.Context, i int, total uint64) (uint64, error) {
	acc, err := l.nw.Client(i).GetAccount(ctx, l.To, 0)
	if err != nil {
		return 0, err
	}
	var bal codec.U128
	for _, b := range acc.Balances {
		if b.Token == "VSYS" {
			bal = b.Amount
		}
	}
	var lost uint64
	if bal.Hi == 0 && bal.Lo < total {
		lost = total - bal.Lo
	}
	// And each wrote a row.
	me := address.FromPubKey(l.key.Public().(ed25519.PublicKey))
	q := rpc.QueryRequest{TableRef: rpc.TableRef{Owner: me, Table: "e2e"}, Limit: 1000}
	res, err := l.nw.Client(i).QueryAll(ctx, q)
	if err != nil {
		return lost, err
	}
	if rows := uint64(len(res.Rows)); rows < total {
		lost = max(lost, total-rows)
	}
	return lost, nil
}
