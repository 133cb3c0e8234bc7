package bench

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/node"
	"github.com/vsys/vsys/rpc"
	"github.com/vsys/vsys/rpc/client"
	"github.com/vsys/vsys/rpc/jsonrpc"
)

type tracker struct {
	mu        sync.Mutex
	submitted map[[32]byte]time.Time
	latencies []time.Duration
	rejected  int
	firstErr  error
}

// load submits txs and watches blocks until every accepted tx committed.
func load(ctx context.Context, o Options, c *client.Client, txs [][]byte) (*Result, error) {
	tr := &tracker{submitted: make(map[[32]byte]time.Time, len(txs))}
	res := &Result{App: node.AppKind(o.label())}
	start := time.Now()
	startHeight, err := c.BlockNumber(ctx)
	if err != nil {
		return nil, err
	}

	submitDone := submitAll(ctx, o, c, tr, txs)
	var queryLat []time.Duration
	sampled, stopSampling := make(chan struct{}), make(chan struct{})
	if o.Rows > 0 {
		go sampleQueries(ctx, c, &queryLat, sampled, stopSampling)
	} else {
		close(sampled)
	}

	deadline := time.Now().Add(o.Timeout)
	height := startHeight
	printed := int64(-1)
	var lastCommit time.Time
	submitting := true
	for {
		h, err := c.BlockNumber(ctx)
		if err != nil {
			return nil, err
		}
		for height < h {
			height++
			b, err := c.GetBlock(ctx, height)
			if err != nil {
				return nil, err
			}
			now := time.Now()
			res.Blocks++
			res.MaxBlock = max(res.MaxBlock, b.NumTxs)
			tr.mu.Lock()
			for _, th := range b.Txs {
				var k [32]byte
				copy(k[:], th)
				if t0, ok := tr.submitted[k]; ok {
					tr.latencies = append(tr.latencies, now.Sub(t0))
					delete(tr.submitted, k)
					res.Committed++
					lastCommit = now
				}
			}
			tr.mu.Unlock()
		}
		if submitting {
			select {
			case <-submitDone:
				submitting = false
			default:
			}
		}
		tr.mu.Lock()
		pending := len(tr.submitted)
		tr.mu.Unlock()
		switch {
		case o.Live:
			fmt.Fprintf(o.Log, "\r[%s] height %d  committed %d/%d  pending %d   ", o.label(), height, res.Committed, len(txs), pending)
		case height != printed:
			printed = height
			fmt.Fprintf(o.Log, "[%s] height %d  committed %d/%d  pending %d\n", o.label(), height, res.Committed, len(txs), pending)
		}
		if !submitting && pending == 0 {
			break
		}
		if time.Now().After(deadline) {
			fmt.Fprintln(o.Log)
			return nil, fmt.Errorf("%d txs not committed after %s", pending, o.Timeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
	fmt.Fprintln(o.Log)
	if tr.firstErr != nil && res.Committed == 0 {
		return nil, tr.firstErr
	}
	res.Submitted, res.Rejected = len(txs)-tr.rejected, tr.rejected
	res.Duration = lastCommit.Sub(start)
	if res.Duration > 0 {
		res.TPS = float64(res.Committed) / res.Duration.Seconds()
	}
	sort.Slice(tr.latencies, func(i, j int) bool { return tr.latencies[i] < tr.latencies[j] })
	res.P50, res.P99 = percentile(tr.latencies, 0.50), percentile(tr.latencies, 0.99)
	close(stopSampling)
	<-sampled
	if o.Rows > 0 {
		if err := checkRows(ctx, c, o); err != nil {
			return nil, err
		}
		res.RowsPerSec = res.TPS * float64(o.Rows)
		sort.Slice(queryLat, func(i, j int) bool { return queryLat[i] < queryLat[j] })
		res.Queries, res.QueryP50, res.QueryP99 = len(queryLat), percentile(queryLat, 0.50), percentile(queryLat, 0.99)
	}
	if o.App == node.AppVsys {
		res.Failed = countFailed(ctx, c, startHeight+1, height)
	}
	return res, nil
}

func submitBatch(ctx context.Context, c *client.Client, tr *tracker, batch [][]byte) {
	elems := make([]jsonrpc.BatchElem, len(batch))
	hashes := make([][32]byte, len(batch))
	results := make([]rpc.HexBytes, len(batch))
	for i, b := range batch {
		elems[i] = jsonrpc.BatchElem{Method: rpc.MethodSendRawTransaction, Params: []any{rpc.HexBytes(b)}, Result: &results[i]}
		hashes[i] = sha256.Sum256(b)
	}
	now := time.Now()
	tr.mu.Lock()
	for _, h := range hashes {
		tr.submitted[h] = now
	}
	tr.mu.Unlock()
	err := c.RPC().BatchCall(ctx, elems)
	tr.mu.Lock()
	defer tr.mu.Unlock()
	for i, e := range elems {
		if err != nil || e.Error != nil {
			if _, still := tr.submitted[hashes[i]]; still {
				delete(tr.submitted, hashes[i])
				tr.rejected++
				if tr.firstErr == nil {
					tr.firstErr = errors.Join(err, e.Error)
				}
			}
		}
	}
}

// countFailed counts committed txs with a non-zero code, by sampling each
// block's first and last tx (a full scan would itself be a load test).
func countFailed(ctx context.Context, c *client.Client, from, to int64) int {
	failed := 0
	for h := from; h <= to; h++ {
		b, err := c.GetBlock(ctx, h)
		if err != nil || b.NumTxs == 0 {
			continue
		}
		for _, th := range []rpc.HexBytes{b.Txs[0], b.Txs[len(b.Txs)-1]} {
			if t, err := c.GetTransaction(ctx, th); err == nil && t != nil && t.Code != 0 {
				failed++
			}
		}
	}
	return failed
}

func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(float64(len(sorted))*p))]
}

// submitAll submits txs from o.Workers goroutines and returns a channel
// closed when all are sent. Each worker owns the txs of a fixed set of
// accounts and sends them in nonce order, so no tx reaches CheckTx before
// its predecessor.
func submitAll(ctx context.Context, o Options, c *client.Client, tr *tracker, txs [][]byte) <-chan struct{} {
	var wg sync.WaitGroup
	for w := 0; w < o.Workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			var mine [][]byte
			for i := range txs {
				if (i%o.Accounts)%o.Workers == w {
					mine = append(mine, txs[i])
				}
			}
			for len(mine) > 0 && ctx.Err() == nil {
				n := min(o.Batch, len(mine))
				submitBatch(ctx, c, tr, mine[:n])
				mine = mine[n:]
			}
		}(w)
	}
	submitDone := make(chan struct{})
	go func() { wg.Wait(); close(submitDone) }()
	return submitDone
}

// sampleQueries times a vsys_queryTable (100 rows by index) every 20 ms
// while the chain takes the rows mode's writes, appending to lat, until
// stop is closed; it closes done when it has returned, after which lat
// may be read.
func sampleQueries(ctx context.Context, c *client.Client, lat *[]time.Duration, done chan<- struct{}, stop <-chan struct{}) {
	defer close(done)
	owner := address.FromPubKey(seedKey(0).Public().(ed25519.PublicKey))
	q := rpc.QueryRequest{TableRef: rpc.TableRef{Owner: owner, Table: "bench"}, Index: "by_owner",
		Prefix: map[string]any{"owner": rowOwner(0).String()}, Limit: 100}
	for {
		select {
		case <-stop:
			return
		case <-time.After(20 * time.Millisecond):
		}
		t0 := time.Now()
		if _, err := c.QueryTable(ctx, q); err == nil {
			*lat = append(*lat, time.Since(t0))
		}
	}
}
