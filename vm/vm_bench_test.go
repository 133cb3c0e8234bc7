package vm_test

import (
	"context"
	"testing"
	"time"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/gas"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/core/state"
	"github.com/vsys/vsys/internal/testkit"
	wasmmodule "github.com/vsys/vsys/modules/wasm"
	"github.com/vsys/vsys/vm"
	"github.com/vsys/vsys/vm/wasm"
)

func artifact(tb testing.TB, name string) []byte { return testkit.Artifact(tb, name) }

var alice = address.Derive("vm-bench", []byte("alice"))

// chain is a router with the wasm module over a real IAVL store.
type chain struct {
	r  *router.Router
	kv state.KV
	vm *vm.VM
}

func newChain(tb testing.TB, cfg vm.Config, unmetered bool) *chain {
	tb.Helper()
	store := testkit.OpenStore(tb)
	if cfg.Schedule.Version == 0 {
		cfg.Schedule = wasm.DefaultSchedule()
	}
	v, err := vm.New(context.Background(), cfg)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { v.Close(context.Background()) })
	if unmetered {
		vm.SetUnmetered(v)
	}
	r := router.New(gas.DefaultCosts(), router.Limits{MaxCallDepth: 8, MaxEventBytes: 64 << 10})
	m := wasmmodule.New(v)
	r.Register(wasmmodule.Name, wasmmodule.Address, m)
	r.SetResolver(m.Resolve)
	return &chain{r: r, kv: store.Working(), vm: v}
}

func (c *chain) call(tb testing.TB, to address.Address, method string, args any, out any) {
	tb.Helper()
	b, err := codec.Marshal(args)
	if err != nil {
		tb.Fatal(err)
	}
	env := &router.Env{Block: router.Block{Height: 2, Time: time.Unix(1_700_000_000, 0), ChainID: "bench"}, Origin: alice, Gas: gas.NewMeter(100_000_000)}
	res, err := c.r.Call(env, c.kv, alice, to, method, b, nil)
	if err != nil {
		tb.Fatalf("%s: %v", method, err)
	}
	if out != nil {
		if err := codec.Unmarshal(res, out); err != nil {
			tb.Fatal(err)
		}
	}
}

type tokenInit struct {
	Name, Symbol string
	Decimals     uint8
	MaxSupply    codec.U128
}
type tokenSend struct {
	To     address.Address
	Amount codec.U128
}

// deployToken uploads and instantiates contracts/token and issues alice a
// balance.
func (c *chain) deployToken(tb testing.TB) address.Address {
	var hash []byte
	c.call(tb, wasmmodule.Address, "upload", wasmmodule.UploadArgs{Code: artifact(tb, "token")}, &hash)
	init, _ := codec.Marshal(tokenInit{Name: "Bench", Symbol: "BEN", MaxSupply: codec.MaxU128})
	var tok address.Address
	c.call(tb, wasmmodule.Address, "instantiate", wasmmodule.InstantiateArgs{CodeHash: hash, Label: "bench", Args: init}, &tok)
	c.call(tb, tok, "issue", struct{ Amount codec.U128 }{codec.NewU128(1 << 60)}, nil)
	return tok
}

// BenchmarkSendMetered and BenchmarkSendUnmetered run the token
// contract's send on the same VM, instrumented and as uploaded: the ratio
// is what gas metering costs.
func BenchmarkSendMetered(b *testing.B)   { benchSend(b, false) }
func BenchmarkSendUnmetered(b *testing.B) { benchSend(b, true) }

func benchSend(b *testing.B, unmetered bool) {
	c := newChain(b, vm.Config{}, unmetered)
	tok := c.deployToken(b)
	to := address.Derive("vm-bench", []byte("bob"))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c.call(b, tok, "send", tokenSend{To: to, Amount: codec.NewU128(1)}, nil)
	}
}

// BenchmarkFirstCallCompile and BenchmarkFirstCallDiskCache time a node's
// first call of a contract after a restart: compiling it, or loading what
// wazero compiled before from the cache under the node's home.
func BenchmarkFirstCallCompile(b *testing.B)   { benchFirstCall(b, false) }
func BenchmarkFirstCallDiskCache(b *testing.B) { benchFirstCall(b, true) }

func benchFirstCall(b *testing.B, disk bool) {
	src := artifact(b, "token")
	dir := b.TempDir()
	if disk { // warm the cache as a previous run of the node would have
		v, err := vm.New(context.Background(), vm.Config{Schedule: wasm.DefaultSchedule(), CacheDir: dir})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := v.Check(context.Background(), src); err != nil {
			b.Fatal(err)
		}
		v.Close(context.Background())
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cfg := vm.Config{Schedule: wasm.DefaultSchedule()}
		if disk {
			cfg.CacheDir = dir
		}
		v, err := vm.New(context.Background(), cfg)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := v.Check(context.Background(), src); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		v.Close(context.Background())
		b.StartTimer()
	}
}
