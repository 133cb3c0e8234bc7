package vm_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/abi"
	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/gas"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/vm"
)

// runner is a contract that runs compiled code under a Go context of the
// test's choosing, as a query's path does.
type runner struct {
	v     *vm.VM
	code  *vm.Code
	goCtx context.Context
}

func (r runner) ABI() *abi.ABI { return r.code.ABI }
func (r runner) Call(ctx *router.Context, method string, args []byte) ([]byte, error) {
	return r.v.Run(r.goCtx, ctx, r.code, method, args)
}

// TestRunStopsWhenItsContextEnds: an endless loop with gas for minutes,
// with and without calls in it, stops with the context's error soon after
// the context ends, never as out of gas; without a context that can end,
// only gas stops it. (Stopping by zeroing the gas global hung here: a
// stop-the-world GC waits for compiled wasm, which has no safe point.)
func TestRunStopsWhenItsContextEnds(t *testing.T) {
	c := newChain(t, vm.Config{}, false)
	m := &wmod{Pages: 1, Funcs: []wfunc{
		{Export: "spin", Body: forever()},
		{Export: "spin_calls", Body: forever(call(2))},
		{}, // called by spin_calls
	}}
	code, err := c.vm.Check(context.Background(), m.Bytes())
	require.NoError(t, err)
	at := address.Derive("vm-test", []byte("runner"))
	run := func(goCtx context.Context, method string, limit uint64) (uint64, error) {
		c.r.Register("runner", at, runner{c.vm, code, goCtx})
		env := &router.Env{Block: router.Block{Height: 2, Time: time.Unix(1_700_000_000, 0), ChainID: "test"}, Gas: gas.NewMeter(limit)}
		_, err := c.r.Call(env, c.kv, alice, at, method, []byte{}, nil)
		return env.Gas.Used(), err
	}
	for _, method := range []string{"spin", "spin_calls"} {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		_, err := run(ctx, method, 1<<50)
		cancel()
		require.True(t, errors.Is(err, context.DeadlineExceeded), "%s: %v", method, err)
		require.False(t, errors.Is(err, gas.ErrOutOfGas), method)

		ctx, cancel = context.WithCancel(context.Background())
		cancel()
		_, err = run(ctx, method, 1<<50)
		require.ErrorIs(t, err, context.Canceled, method)
	}
	used, err := run(context.Background(), "spin", 1_000_000)
	require.ErrorIs(t, err, gas.ErrOutOfGas)
	require.Equal(t, uint64(1_000_000), used)
}
