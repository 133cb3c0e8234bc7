package chain

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/cometbft/cometbft/abci/example/kvstore"
	abci "github.com/cometbft/cometbft/abci/types"

	"github.com/vsys/vsys/app/genesis"
)

// TestDrivesAnABCIApp: the driver runs CometBFT's example app through
// InitChain and blocks, heights advancing and each block's app hash
// checked against Info.
func TestDrivesAnABCIApp(t *testing.T) {
	c := Init(t, kvstore.NewInMemoryApplication(), Options{Genesis: genesis.Default()})
	if c.Height() != 1 || c.ChainID() != DefaultChainID {
		t.Fatalf("after Init: height %d, chain %q", c.Height(), c.ChainID())
	}
	if code := c.Check([]byte("a=1")).Code; code != 0 {
		t.Fatalf("CheckTx: code %d", code)
	}
	res := c.Block([]byte("a=1"), []byte("b=2"))
	if len(res) != 2 || res[0].Code != 0 || res[1].Code != 0 {
		t.Fatalf("block results %v", res)
	}
	var proposer []byte
	c.FinalizeWith(func(r *abci.RequestFinalizeBlock) { proposer = []byte("p"); r.ProposerAddress = proposer })
	if c.Height() != 3 || proposer == nil {
		t.Fatalf("height %d after FinalizeWith", c.Height())
	}
}

// lyingInfo reports an app hash that is not the one FinalizeBlock gave.
type lyingInfo struct{ *kvstore.Application }

func (l lyingInfo) Info(ctx context.Context, req *abci.RequestInfo) (*abci.ResponseInfo, error) {
	res, err := l.Application.Info(ctx, req)
	if err == nil {
		res.LastBlockAppHash = []byte("not the hash")
	}
	return res, err
}

// fatalTB records Fatalf instead of ending the test.
type fatalTB struct {
	testing.TB
	msg string
}

type fatal struct{}

func (f *fatalTB) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	panic(fatal{})
}

// TestCatchesAppHashMismatch: an app whose committed hash is not what
// FinalizeBlock returned fails the test that drives it.
func TestCatchesAppHashMismatch(t *testing.T) {
	tb := &fatalTB{TB: t}
	func() {
		defer func() {
			if r := recover(); r != nil {
				if _, ok := r.(fatal); !ok {
					panic(r)
				}
			}
		}()
		Init(tb, lyingInfo{kvstore.NewInMemoryApplication()}, Options{Genesis: genesis.Default()})
	}()
	if !strings.Contains(tb.msg, "is not what Commit saved") {
		t.Fatalf("want an app hash failure, got %q", tb.msg)
	}
}
