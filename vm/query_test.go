package vm_test

import (
	"context"
	"errors"
	"syscall"
	"testing"
	"time"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/gas"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/modules/wasm"
	"github.com/vsys/vsys/vm"
)

// deployAdversarial uploads and instantiates contracts/adversarial.
func (c *chain) deployAdversarial(tb testing.TB) address.Address {
	var hash []byte
	c.call(tb, wasm.Address, "upload", wasm.UploadArgs{Code: artifact(tb, "adversarial")}, &hash)
	var adv address.Address
	c.call(tb, wasm.Address, "instantiate", wasm.InstantiateArgs{CodeHash: hash, Label: "adv"}, &adv)
	return adv
}

// loop runs adversarial.loop_forever under ctx, as a simulation does, with limit gas.
func (c *chain) loop(ctx context.Context, adv address.Address, limit uint64) (uint64, error) {
	env := &router.Env{Block: router.Block{Height: 2, Time: time.Unix(1_700_000_000, 0), ChainID: "bench"},
		Gas: gas.NewMeter(limit), Ctx: ctx}
	_, err := c.r.Call(env, c.kv, address.Zero, adv, "loop_forever", nil, nil)
	return env.Gas.Used(), err
}

// TestRunStopsWhenContextEnds: a query's infinite loop stops with the
// context's error (not out of gas, though the gas would last a minute)
// once its context is cancelled; a block's (no Ctx) is never stopped.
func TestRunStopsWhenContextEnds(t *testing.T) {
	c := newChain(t, vm.Config{}, false)
	adv := c.deployAdversarial(t)

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := c.loop(ctx, adv, 2_000_000_000)
		done <- err
	}()
	cancel()
	err := <-done
	if !errors.Is(err, context.Canceled) || errors.Is(err, gas.ErrOutOfGas) {
		t.Fatalf("want context.Canceled, got %v", err)
	}

	ctx, cancel = context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	if _, err := c.loop(ctx, adv, 2_000_000_000); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("want context.DeadlineExceeded, got %v", err)
	}

	// Without Ctx (blocks), the loop runs until its gas is gone.
	used, err := c.loop(nil, adv, 1_000_000) //nolint:staticcheck // SA1012: a nil Env.Ctx is how a block runs
	if !errors.Is(err, gas.ErrOutOfGas) || used != 1_000_000 {
		t.Fatalf("want out of gas after 1000000, got %d, %v", used, err)
	}
}

// BenchmarkLoopGasRate measures how fast the VM burns gas on a plain
// loop (adversarial.loop_forever run out of 10M gas): the gas/s it
// reports sizes rpc.query_gas_cap, which should last about as long as
// rpc.query_timeout.
func BenchmarkLoopGasRate(b *testing.B) {
	c := newChain(b, vm.Config{}, false)
	adv := c.deployAdversarial(b)
	const limit = 10_000_000
	cpu0 := cpuTime()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := c.loop(context.Background(), adv, limit); !errors.Is(err, gas.ErrOutOfGas) {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	total := float64(b.N) * limit
	b.ReportMetric(total/b.Elapsed().Seconds(), "gas/s")
	b.ReportMetric(b.Elapsed().Seconds()*1e9/total, "ns/gas")
	// On a busy machine wall time overstates the cost: CPU time is what
	// an idle node would take.
	b.ReportMetric(total/(cpuTime()-cpu0).Seconds(), "gas/cpu-s")
}

// cpuTime is the CPU time the process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
