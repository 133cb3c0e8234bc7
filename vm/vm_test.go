package vm_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/gas"
	"github.com/vsys/vsys/core/router"
	wasmmodule "github.com/vsys/vsys/modules/wasm"
	"github.com/vsys/vsys/vm"
	"github.com/vsys/vsys/vm/wasm"
)

// run calls method and returns its result or error text, and the gas used.
func (c *chain) run(t *testing.T, to address.Address, method string, args any) (string, uint64) {
	t.Helper()
	b, err := codec.Marshal(args)
	require.NoError(t, err)
	env := &router.Env{Block: router.Block{Height: 2, Time: time.Unix(1_700_000_000, 0), ChainID: "test"}, Origin: alice, Gas: gas.NewMeter(50_000_000)}
	out, err := c.r.Call(env, c.kv, alice, to, method, b, nil)
	if err != nil {
		return "error: " + err.Error(), env.Gas.Used()
	}
	return string(out), env.Gas.Used()
}

// dump is the whole state, to compare two chains.
func (c *chain) dump(t *testing.T) []byte {
	t.Helper()
	it, err := c.kv.Iterator(nil, nil, true)
	require.NoError(t, err)
	defer it.Close()
	var b bytes.Buffer
	for ; it.Valid(); it.Next() {
		b.Write(it.Key())
		b.WriteByte(0)
		b.Write(it.Value())
		b.WriteByte(0)
	}
	return b.Bytes()
}

// tokenSession is a run of calls on the token contract, ending in errors
// as well as successes.
func tokenSession(t *testing.T, c *chain) []string {
	tok := c.deployToken(t)
	bob := address.Derive("vm-test", []byte("bob"))
	var out []string
	for _, call := range []struct {
		method string
		args   any
	}{
		{"send", tokenSend{To: bob, Amount: codec.NewU128(10)}},
		{"balance", struct{ Address address.Address }{bob}},
		{"send", tokenSend{To: bob, Amount: codec.MaxU128}}, // more than alice has
		{"destroy", struct{ Amount codec.U128 }{codec.NewU128(5)}},
		{"info", struct{}{}},
		{"issue", struct{ Amount codec.U128 }{codec.MaxU128}}, // past the cap
	} {
		res, _ := c.run(t, tok, call.method, call.args)
		out = append(out, res)
	}
	return out
}

// TestMeteringChangesNothingButGas: the example token contract gives the
// same results and leaves the same state instrumented and as uploaded.
func TestMeteringChangesNothingButGas(t *testing.T) {
	metered, plain := newChain(t, vm.Config{}, false), newChain(t, vm.Config{}, true)
	a, b := tokenSession(t, metered), tokenSession(t, plain)
	require.Equal(t, b, a)
	require.Contains(t, a[2], "error:", "the over-balance send fails in both")
	require.Equal(t, plain.dump(t), metered.dump(t))
}

// TestScheduleChangeRecompiles: a VM with other prices, sharing the disk
// cache, never runs code metered with the old prices.
func TestScheduleChangeRecompiles(t *testing.T) {
	dir := t.TempDir()
	gasOf := func(s wasm.Schedule) uint64 {
		c := newChain(t, vm.Config{Schedule: s, CacheDir: dir}, false)
		tok := c.deployToken(t)
		_, used := c.run(t, tok, "balance", struct{ Address address.Address }{alice})
		return used
	}
	s := wasm.DefaultSchedule()
	base := gasOf(s)
	require.Equal(t, base, gasOf(s), "same schedule, same gas (second run loads the disk cache)")
	s.Version++
	s.Instr *= 2
	require.Greater(t, gasOf(s), base, "doubled instruction cost must show, cache or not")
}

// TestUploadTwiceStoresOnce: identical code is stored once; the second
// upload returns the same hash and only reads.
func TestUploadTwiceStoresOnce(t *testing.T) {
	c := newChain(t, vm.Config{}, false)
	wasmCode := artifact(t, "counter")
	first, g1 := c.run(t, wasmmodule.Address, "upload", wasmmodule.UploadArgs{Code: wasmCode})
	second, g2 := c.run(t, wasmmodule.Address, "upload", wasmmodule.UploadArgs{Code: wasmCode})
	require.Equal(t, first, second)
	require.Less(t, g2, g1/10, "the second upload writes nothing")
}
