package vm_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/gas"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/modules/wasm"
	"github.com/vsys/vsys/vm"
)

// deploy uploads and instantiates an assembled module with no init.
func (c *chain) deploy(tb testing.TB, m *wmod, label string) address.Address {
	tb.Helper()
	var hash []byte
	c.call(tb, wasm.Address, "upload", wasm.UploadArgs{Code: m.Bytes()}, &hash)
	var addr address.Address
	c.call(tb, wasm.Address, "instantiate", wasm.InstantiateArgs{CodeHash: hash, Label: label}, &addr)
	return addr
}

// runGas calls method with a gas limit and returns the gas used and the
// error.
func (c *chain) runGas(tb testing.TB, to address.Address, method string, limit uint64) (uint64, error) {
	tb.Helper()
	b, _ := codec.Marshal(struct{}{})
	env := &router.Env{Block: router.Block{Height: 2, Time: time.Unix(1_700_000_000, 0), ChainID: "test"}, Origin: alice, Gas: gas.NewMeter(limit)}
	_, err := c.r.Call(env, c.kv, alice, to, method, b, nil)
	return env.Gas.Used(), err
}

const mib16 = 16 << 20

// bulkModule has 32 MiB of memory and methods that copy or fill 16 MiB
// once, and copy 16 MiB forever.
func bulkModule() *wmod {
	cp := cat(i32c(0), i32c(mib16), i32c(mib16), memoryCopy)
	return &wmod{Pages: 512, Funcs: []wfunc{
		{Export: "copy_once", Body: cp},
		{Export: "fill_once", Body: cat(i32c(0), i32c(7), i32c(mib16), memoryFill)},
		{Export: "copy_forever", Body: forever(cp)},
		{Export: "nothing"},
	}}
}

// TestBulkCopyPricedByTheByte: a 16 MiB memory.copy costs gas in proportion
// to its length, so a 1M-gas tx looping 16 MiB copies runs out of gas
// before a single copy completes (issue 9: it ran 9,500 copies, 4.5 s of
// block time, for a flat 105 gas each).
func TestBulkCopyPricedByTheByte(t *testing.T) {
	c := newChain(t, vm.Config{}, false)
	addr := c.deploy(t, bulkModule(), "bulk")
	base, err := c.runGas(t, addr, "nothing", 50_000_000)
	require.NoError(t, err)
	s := c.vm.Schedule()
	for _, m := range []string{"copy_once", "fill_once"} {
		used, err := c.runGas(t, addr, m, 50_000_000)
		require.NoError(t, err)
		require.GreaterOrEqual(t, used-base, uint64(mib16/1024)*s.BulkKiB, m)
	}
	const limit = 1_000_000
	used, err := c.runGas(t, addr, "copy_forever", limit)
	require.ErrorIs(t, err, gas.ErrOutOfGas)
	require.Equal(t, uint64(limit), used)
	require.Greater(t, uint64(mib16/1024)*s.BulkKiB, uint64(limit), "one 16 MiB copy costs more than the whole tx")
}

func codecMarshal(v any) ([]byte, error) { return codec.Marshal(v) }

func testEnv(limit uint64) *router.Env {
	return &router.Env{Block: router.Block{Height: 2, Time: time.Unix(1_700_000_000, 0), ChainID: "test"}, Origin: alice, Gas: gas.NewMeter(limit)}
}
