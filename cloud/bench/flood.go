package bench

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"fmt"
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
	Workers  int           // concurrent senders, each owning every Workers-th account; 0: 1
	Pause    time.Duration // a worker's pause after each send; 0: none, as fast as the node answers
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
	key  ed25519.PrivateKey
	addr address.Address
	next uint64 // nonce of the next tx: txs accepted so far, plus the start nonce
	last []byte // hash of the last accepted tx
}

// floodGas is each transfer's gas limit: a native transfer uses about
// 22k, so this leaves room without holding much of a block's gas.
const floodGas = 100_000

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

// work sends one tx for each of its accounts in turn until Stop: an
// account the node pushed back is tried again on its next turn.
func (f *Flood) work(mine []*account) {
	defer f.wg.Done()
	for i := 0; ; i = (i + 1) % len(mine) {
		select {
		case <-f.stop:
			return
		default:
		}
		if err := f.send(mine[i]); err != nil {
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
				return
			case <-time.After(f.o.Pause):
			}
		}
	}
}

// unsettledFor bounds how long a worker resends a tx whose fate it does
// not know (the node went away mid-request) before it gives up.
const unsettledFor = time.Minute

// send offers a's next tx until the node answers for it: accepted, or
// refused. A transport error leaves it open whether the tx reached the
// mempool, so the same bytes go again until the answer settles it: a
// cache hit or a nonce already past it means it was accepted.
func (f *Flood) send(a *account) error {
	call, err := transfer(sink, codec.NewU128(1))
	if err != nil {
		return err
	}
	t, err := tx.Sign(tx.Body{ChainID: f.chainID, Nonce: a.next, GasLimit: floodGas, GasPrice: f.price, Calls: []tx.Call{call}}, a.key)
	if err != nil {
		return fmt.Errorf("flood: sign: %w", err)
	}
	raw := t.Bytes()
	unsure := time.Time{}
	for {
		ctx, cancel := context.WithTimeout(context.Background(), sendTimeout)
		_, err := f.c.SendRawTransaction(ctx, raw)
		var je *jsonrpc.Error
		accepted := err == nil
		if errors.As(err, &je) && !accepted {
			accepted = strings.Contains(je.Message, "already exists in cache") ||
				(strings.Contains(je.Message, "bad nonce") && f.committedPast(ctx, a))
		}
		cancel()
		switch {
		case accepted:
			sum := sha256.Sum256(raw)
			a.next, a.last = a.next+1, sum[:]
			f.accepted.Add(1)
			return nil
		case je != nil && unsure.IsZero():
			f.pushback.Add(1)
			f.lastPush.Store(je.Message)
			return nil
		case unsure.IsZero():
			unsure = time.Now()
		case time.Since(unsure) > unsettledFor:
			return fmt.Errorf("flood: tx %d of %s unsettled for %v: %w", a.next, a.addr, unsettledFor, err)
		}
		f.resent.Add(1)
		time.Sleep(50 * time.Millisecond)
	}
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
