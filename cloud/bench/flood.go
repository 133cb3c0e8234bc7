package bench

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/keys"
	"github.com/vsys/vsys/core/moduleid"
	"github.com/vsys/vsys/core/tx"
	"github.com/vsys/vsys/node"
	"github.com/vsys/vsys/rpc"
	"github.com/vsys/vsys/rpc/client"
	"github.com/vsys/vsys/rpc/jsonrpc"
)

// ErrLost is what Flood.Wait returns when the chain's nonces and the
// flood's count of accepted txs disagree: a tx the node took was never
// committed, or one it refused was.
var ErrLost = errors.New("accepted txs and committed nonces disagree")

// FloodOptions configure a Flood.
type FloodOptions struct {
	Accounts int           // funded senders, each its own nonce sequence; 0: 1
	Workers  int           // concurrent senders, each owning every Workers-th account, batching their txs; 0: 1
	Pause    time.Duration // a worker's pause after each batch; 0: none, as fast as the node answers
	Seed     string        // derives the accounts' keys; give two floods of one chain different seeds
}

// Flood sends signed native transfers to one chain's JSON-RPC from many
// funded accounts, each worker as fast as the node answers, and counts
// what the node accepted and what it pushed back (mempool full, the tx
// rate limit, the nonce gap limit). A tx counts as accepted once
// vsys_sendRawTransaction returned its hash; Wait then checks that every
// accepted tx was committed.
type Flood struct {
	c       *client.Client
	chainID string
	price   codec.U128
	call    tx.Call // every flood tx's one call: 1 unit to sink
	accts   []*account
	o       FloodOptions

	accepted, pushback, resent atomic.Int64
	lastPush                   atomic.Value // string: the last pushback's message

	stop chan struct{}
	wg   sync.WaitGroup
	mu   sync.Mutex
	err  error
}

// account is one sender; only its worker touches it while the flood runs.
type account struct {
	key    ed25519.PrivateKey
	addr   address.Address
	next   uint64    // nonce of the next tx: txs accepted so far, plus the start nonce
	raw    []byte    // the tx at next, signed once and offered until accepted
	unsure time.Time // since when raw's fate is open (a transport error); zero: it is not
	last   []byte    // hash of the last accepted tx
}

// floodGas is each transfer's gas limit: a native transfer uses about
// 22k, so this leaves room without holding much of a block's gas.
const floodGas = 100_000

// pushbackPause is a worker's pause after a batch refused whole.
const pushbackPause = 10 * time.Millisecond

// sendTimeout bounds one vsys_sendRawTransaction.
const sendTimeout = 10 * time.Second

// NewFlood funds o.Accounts accounts from the dev account of the node
// home devHome (its test keyring) on the chain at rpcAddr, and returns a
// flood ready to Start.
func NewFlood(ctx context.Context, rpcAddr, devHome string, o FloodOptions) (*Flood, error) {
	o.Accounts, o.Workers = max(o.Accounts, 1), max(o.Workers, 1)
	kr, err := keys.Open(devHome, keys.BackendTest, nil)
	if err != nil {
		return nil, fmt.Errorf("flood: dev keyring: %w", err)
	}
	dev, err := kr.Signer(node.DevKeyName)
	if err != nil {
		return nil, fmt.Errorf("flood: dev key: %w", err)
	}
	f := &Flood{c: client.New(rpcAddr), o: o}
	st, err := f.c.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("flood: status: %w", err)
	}
	f.chainID, f.price = st.ChainID, st.MinGasPrice
	if f.price.IsZero() {
		f.price = codec.NewU128(1)
	}
	if f.call, err = transfer(sink, codec.NewU128(1)); err != nil {
		return nil, err
	}
	for i := range o.Accounts {
		seed := sha256.Sum256(fmt.Appendf(nil, "vsys-flood/%s/%d", o.Seed, i))
		key := ed25519.NewKeyFromSeed(seed[:])
		f.accts = append(f.accts, &account{key: key, addr: address.FromPubKey(key.Public().(ed25519.PublicKey))})
	}
	for i := 0; i < len(f.accts); i += tx.MaxCalls {
		var calls []tx.Call
		for _, a := range f.accts[i:min(i+tx.MaxCalls, len(f.accts))] {
			call, err := transfer(a.addr, codec.NewU128(1<<50))
			if err != nil {
				return nil, err
			}
			calls = append(calls, call)
		}
		sent, err := f.c.Send(ctx, dev, calls, client.SendOptions{})
		if err != nil {
			return nil, fmt.Errorf("flood: fund accounts: %w", err)
		}
		if sent.Tx.Status != "ok" {
			return nil, fmt.Errorf("flood: fund accounts: tx %s: %s", sent.Tx.Status, sent.Tx.Log)
		}
	}
	for _, a := range f.accts {
		acc, err := f.c.GetAccount(ctx, a.addr, 0)
		if err != nil {
			return nil, fmt.Errorf("flood: account %s: %w", a.addr, err)
		}
		a.next = acc.Nonce
	}
	return f, nil
}

// sink receives every flood transfer: one row in state, however long the
// flood.
var sink = address.Derive("cloud/bench", []byte("flood-sink"))

// transfer is a native token send of amount to to. The struct has the
// token module's SendArgs fields in order (the cloud does not import
// modules), so the encoding is the same.
func transfer(to address.Address, amount codec.U128) (tx.Call, error) {
	args, err := codec.Marshal(struct {
		Token  string
		To     address.Address
		Amount codec.U128
	}{"VSYS", to, amount})
	if err != nil {
		return tx.Call{}, fmt.Errorf("flood: encode transfer: %w", err)
	}
	return tx.Call{Contract: address.Module(moduleid.Token), Method: "send", Args: args}, nil
}

// Start starts the workers; after a Stop it starts them again, each
// account going on from its next nonce.
func (f *Flood) Start() {
	f.stop = make(chan struct{})
	for w := range f.o.Workers {
		var mine []*account
		for i := w; i < len(f.accts); i += f.o.Workers {
			mine = append(mine, f.accts[i])
		}
		if len(mine) == 0 {
			continue
		}
		f.wg.Add(1)
		go f.work(mine)
	}
}

// Stop stops the workers once each has settled its tx in flight, and
// returns the first error a worker met.
func (f *Flood) Stop() error {
	if f.stop == nil {
		return nil
	}
	select {
	case <-f.stop:
	default:
		close(f.stop)
	}
	f.wg.Wait()
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.err
}

// Accepted is the number of txs the node has accepted so far.
func (f *Flood) Accepted() int64 { return f.accepted.Load() }

// Pushback is the number of sends the node refused so far.
func (f *Flood) Pushback() int64 { return f.pushback.Load() }

// Resent is the number of sends repeated because the one before ended
// without the node's answer (a transport error).
func (f *Flood) Resent() int64 { return f.resent.Load() }

// LastPushback is the message of the last refusal, "" if none.
func (f *Flood) LastPushback() string {
	s, _ := f.lastPush.Load().(string)
	return s
}

// work sends, until Stop, one JSON-RPC batch after another holding the
// next tx of each of its accounts (the server runs a batch's calls in
// order, one round trip for them all): an account's tx the node accepted
// is followed by its next nonce in the next batch, one it refused is
// offered again.
func (f *Flood) work(mine []*account) {
	defer f.wg.Done()
	for {
		batch := mine
		select {
		case <-f.stop:
			// A tx whose fate is open must be settled before the count
			// is final: offer those alone until none is left.
			batch = slices.DeleteFunc(slices.Clone(mine), func(a *account) bool { return a.unsure.IsZero() })
			if len(batch) == 0 {
				return
			}
		default:
		}
		if err := f.sendBatch(batch); err != nil {
			f.mu.Lock()
			if f.err == nil {
				f.err = err
			}
			f.mu.Unlock()
			return
		}
		if f.o.Pause > 0 {
			select {
			case <-f.stop:
			case <-time.After(f.o.Pause):
			}
		}
	}
}

// unsettledFor bounds how long a worker resends a tx whose fate it does
// not know (the node went away mid-request) before it gives up.
const unsettledFor = time.Minute

// sendBatch offers each account's current tx once. A transport error
// leaves it open whether a tx reached the mempool, so the same bytes go
// again until the node answers for them: a cache hit, or a nonce already
// past, means it was accepted; while a tx is open, a refusal does not
// settle it (a full mempool refuses before it looks in its cache).
func (f *Flood) sendBatch(mine []*account) error {
	elems := make([]jsonrpc.BatchElem, len(mine))
	for i, a := range mine {
		if a.raw == nil {
			t, err := tx.Sign(tx.Body{ChainID: f.chainID, Nonce: a.next, GasLimit: floodGas, GasPrice: f.price, Calls: []tx.Call{f.call}}, a.key)
			if err != nil {
				return fmt.Errorf("flood: sign: %w", err)
			}
			a.raw = t.Bytes()
		}
		elems[i] = jsonrpc.BatchElem{Method: rpc.MethodSendRawTransaction, Params: []any{rpc.HexBytes(a.raw)}}
	}
	ctx, cancel := context.WithTimeout(context.Background(), sendTimeout)
	defer cancel()
	batchErr := f.c.RPC().BatchCall(ctx, elems)
	refused := 0
	for i, a := range mine {
		err := errors.Join(batchErr, elems[i].Error)
		var je *jsonrpc.Error
		accepted := err == nil
		if batchErr == nil && errors.As(err, &je) {
			accepted = strings.Contains(je.Message, "already exists in cache") ||
				(strings.Contains(je.Message, "bad nonce") && f.committedPast(ctx, a))
		} else {
			je = nil
		}
		switch {
		case accepted:
			sum := sha256.Sum256(a.raw)
			a.next, a.last, a.raw, a.unsure = a.next+1, sum[:], nil, time.Time{}
			f.accepted.Add(1)
			continue
		case je != nil && a.unsure.IsZero():
			f.pushback.Add(1)
			f.lastPush.Store(je.Message)
			refused++
			continue
		case a.unsure.IsZero():
			a.unsure = time.Now()
		case time.Since(a.unsure) > unsettledFor:
			return fmt.Errorf("flood: tx %d of %s unsettled for %v: %w", a.next, a.addr, unsettledFor, err)
		}
		f.resent.Add(1)
	}
	switch {
	case batchErr != nil:
		// The node is away: do not spin.
		time.Sleep(50 * time.Millisecond)
	case refused == len(mine):
		// Refused whole, as a client told "retry later" would: back off
		// a little rather than spend the host's CPU on refusals.
		time.Sleep(pushbackPause)
	}
	return nil
}

// committedPast reports whether the chain has committed a's tx at a.next.
func (f *Flood) committedPast(ctx context.Context, a *account) bool {
	acc, err := f.c.GetAccount(ctx, a.addr, 0)
	return err == nil && acc.Nonce > a.next
}

// Wait waits, after Stop, until the chain has committed every accepted
// tx: each account's nonce equals the count of its accepted txs, and the
// last of them is committed ok. It returns the accepted total, or an
// error wrapping ErrLost when the nonces have not caught up by timeout
// (or went past: a tx counted as refused was committed).
func (f *Flood) Wait(ctx context.Context, timeout time.Duration) (int64, error) {
	end := time.Now().Add(timeout)
	for {
		behind, why := 0, ""
		for _, a := range f.accts {
			acc, err := f.c.GetAccount(ctx, a.addr, 0)
			switch {
			case err != nil:
				behind, why = behind+1, err.Error()
			case acc.Nonce > a.next:
				return 0, fmt.Errorf("%w: account %s has nonce %d, but only txs below %d were accepted", ErrLost, a.addr, acc.Nonce, a.next)
			case acc.Nonce < a.next:
				behind, why = behind+1, fmt.Sprintf("account %s at nonce %d, %d accepted", a.addr, acc.Nonce, a.next)
			}
		}
		if behind == 0 {
			break
		}
		if time.Now().After(end) {
			return 0, fmt.Errorf("%w: %d of %d accounts behind after %v (%s)", ErrLost, behind, len(f.accts), timeout, why)
		}
		time.Sleep(100 * time.Millisecond)
	}
	// The tx index is written after the commit that bumps the nonce (by
	// CometBFT's indexer service), so a last tx may be briefly unknown.
	for _, a := range f.accts {
		for a.last != nil {
			t, err := f.c.GetTransaction(ctx, a.last)
			if err != nil {
				return 0, fmt.Errorf("flood: last tx of %s: %w", a.addr, err)
			}
			if t != nil && t.Status != "ok" {
				return 0, fmt.Errorf("flood: last tx of %s: %s: %s", a.addr, t.Status, t.Log)
			}
			if t != nil {
				break
			}
			if time.Now().After(end) {
				return 0, fmt.Errorf("%w: last tx of %s at nonce %d not found by hash", ErrLost, a.addr, a.next-1)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	return f.Accepted(), nil
}
