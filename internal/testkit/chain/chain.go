package chain

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"

	"github.com/vsys/vsys/app/genesis"
	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/tx"
	"github.com/vsys/vsys/internal/testkit"
)

// DefaultChainID is the chain id of a Chain whose Options leave it empty.
const DefaultChainID = "test-chain"

// GenesisTime is the time of block 0; block h is h seconds later.
const GenesisTime = 1_700_000_000

// ValidatorKey is the key of the one genesis validator of Validators.
func ValidatorKey() ed25519.PrivateKey { return testkit.Key(200) }

// Validators is the genesis validator set of apps driven directly by
// tests: one validator, ValidatorKey, with power 10.
func Validators() []abci.ValidatorUpdate {
	return []abci.ValidatorUpdate{abci.Ed25519ValidatorUpdate(ValidatorKey().Public().(ed25519.PublicKey), 10)}
}

// Fund is a genesis account holding amount of the native coin.
func Fund(k ed25519.PrivateKey, amount uint64) genesis.Account {
	return genesis.Account{Address: testkit.Addr(k), Balance: codec.NewU128(amount)}
}

// Options are how Init starts a chain.
type Options struct {
	ChainID    string // DefaultChainID when empty
	Genesis    genesis.State
	Validators []abci.ValidatorUpdate // Validators() when nil
}

// Chain is an application at a height, with the nonces of the senders
// whose txs it signed.
type Chain struct {
	t       testing.TB
	app     abci.Application
	chainID string
	height  int64
	nonces  map[address.Address]uint64
	last    []*abci.ExecTxResult // the last block's results, for the dump
}

// Init runs InitChain with o's genesis and commits block 1, which writes
// the genesis state.
func Init(t testing.TB, app abci.Application, o Options) *Chain {
	t.Helper()
	if o.ChainID == "" {
		o.ChainID = DefaultChainID
	}
	if o.Validators == nil {
		o.Validators = Validators()
	}
	appState, err := json.Marshal(o.Genesis)
	if err != nil {
		t.Fatalf("chain: genesis: %v", err)
	}
	if _, err := app.InitChain(context.Background(), &abci.RequestInitChain{ChainId: o.ChainID, AppStateBytes: appState, Validators: o.Validators}); err != nil {
		t.Fatalf("chain: InitChain: %v", err)
	}
	c := Resume(t, app, o.ChainID, 0, nil)
	c.Block()
	return c
}

// Resume drives an application that has already committed height (one
// reopened from disk, say), signing with nonces (nil: none sent yet).
func Resume(t testing.TB, app abci.Application, chainID string, height int64, nonces map[address.Address]uint64) *Chain {
	t.Helper()
	if nonces == nil {
		nonces = map[address.Address]uint64{}
	}
	c := &Chain{t: t, app: app, chainID: chainID, height: height, nonces: nonces}
	testkit.OnFailure(t, "the last block's results", c.dumpResults)
	return c
}

// ChainID is the chain's id.
func (c *Chain) ChainID() string { return c.chainID }

// Height is the last committed height.
func (c *Chain) Height() int64 { return c.height }

// Nonces are the next nonce of each sender the chain signed for; the map
// is the chain's own, so a test may set a nonce to sign a stale tx.
func (c *Chain) Nonces() map[address.Address]uint64 { return c.nonces }

// Finalize finalizes and commits the next block with raw txs and returns
// FinalizeBlock's response. It checks that the app hash FinalizeBlock
// returned is what the application reports as committed.
func (c *Chain) Finalize(txs ...[]byte) *abci.ResponseFinalizeBlock {
	c.t.Helper()
	return c.FinalizeWith(nil, txs...)
}

// FinalizeWith is Finalize with edit applied to the request (a proposer,
// the last commit's votes) before it is sent.
func (c *Chain) FinalizeWith(edit func(*abci.RequestFinalizeBlock), txs ...[]byte) *abci.ResponseFinalizeBlock {
	c.t.Helper()
	ctx := context.Background()
	c.height++
	req := &abci.RequestFinalizeBlock{Height: c.height, Time: time.Unix(GenesisTime+c.height, 0), Txs: txs}
	if edit != nil {
		edit(req)
	}
	res, err := c.app.FinalizeBlock(ctx, req)
	if err != nil {
		c.t.Fatalf("chain: FinalizeBlock %d: %v", c.height, err)
	}
	c.last = res.TxResults
	if _, err := c.app.Commit(ctx, &abci.RequestCommit{}); err != nil {
		c.t.Fatalf("chain: Commit %d: %v", c.height, err)
	}
	info, err := c.app.Info(ctx, &abci.RequestInfo{})
	if err != nil {
		c.t.Fatalf("chain: Info: %v", err)
	}
	if info.LastBlockHeight != c.height || !bytes.Equal(info.LastBlockAppHash, res.AppHash) {
		c.t.Fatalf("chain: block %d: FinalizeBlock's app hash %X is not what Commit saved (height %d, %X)",
			c.height, res.AppHash, info.LastBlockHeight, info.LastBlockAppHash)
	}
	return res
}

// Block is Finalize's tx results.
func (c *Chain) Block(txs ...[]byte) []*abci.ExecTxResult {
	c.t.Helper()
	return c.Finalize(txs...).TxResults
}

// Check runs CheckTx.
func (c *Chain) Check(raw []byte) *abci.ResponseCheckTx {
	c.t.Helper()
	res, err := c.app.CheckTx(context.Background(), &abci.RequestCheckTx{Tx: raw})
	if err != nil {
		c.t.Fatalf("chain: CheckTx: %v", err)
	}
	return res
}

// Sign builds a tx of calls from k with its next nonce (which it
// advances), gas price 1 and gasLimit.
func (c *Chain) Sign(k ed25519.PrivateKey, gasLimit uint64, calls ...tx.Call) []byte {
	c.t.Helper()
	a := testkit.Addr(k)
	t, err := tx.Sign(tx.Body{ChainID: c.chainID, Nonce: c.nonces[a], GasLimit: gasLimit, GasPrice: codec.NewU128(1), Calls: calls}, k)
	if err != nil {
		c.t.Fatalf("chain: sign: %v", err)
	}
	c.nonces[a]++
	return t.Bytes()
}

// dumpResults is the last block's results, one tx a line.
func (c *Chain) dumpResults() string {
	var b strings.Builder
	fmt.Fprintf(&b, "height %d, %d txs\n", c.height, len(c.last))
	for i, r := range c.last {
		fmt.Fprintf(&b, "tx %d: code %d, gas %d/%d: %s\n", i, r.Code, r.GasUsed, r.GasWanted, r.Log)
	}
	return b.String()
}
