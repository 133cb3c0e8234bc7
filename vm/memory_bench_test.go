package vm_test

import (
	"fmt"
	"syscall"
	"testing"

	"github.com/vsys/vsys/app/codec"
	"github.com/vsys/vsys/app/gas"
	"github.com/vsys/vsys/app/router"
	"github.com/vsys/vsys/modules/code"
	"github.com/vsys/vsys/vm"
)

// BenchmarkMemoryPage measures what a page of wasm memory costs the node:
// allocating, zeroing (the OS commits each 4 KiB on first write) and, when
// memory grows a page at a time, copying, for one instance of 512 pages
// (32 MiB). ns/page divided by the loop's ns/gas (BenchmarkLoopGas) is
// what the schedule's page price must at least be (docs/vm.md).
func BenchmarkMemoryPage(b *testing.B) {
	for _, step := range []uint32{512, 64, 16, 4, 1} {
		b.Run(fmt.Sprintf("grow-by-%d", step), func(b *testing.B) {
			cpu := cpuTime()
			for i := 0; i < b.N; i++ {
				vm.AllocPages(512, step)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/512, "ns/page")
			b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N)/512, "cpu-ns/page")
		})
	}
}

// BenchmarkLoopGas is the baseline the page price is measured against:
// ns per gas of a plain loop (contracts/adversarial loop_forever, run out
// of gas), the cheapest work per gas there is.
func BenchmarkLoopGas(b *testing.B) {
	c := newChain(b, vm.Config{}, false)
	var hash []byte
	c.call(b, code.Address, "upload", code.UploadArgs{Code: artifact(b, "adversarial")}, &hash)
	var adv [20]byte
	c.call(b, code.Address, "instantiate", code.InstantiateArgs{CodeHash: hash, Label: "loop"}, &adv)
	args, _ := codec.Marshal(struct{}{})
	const limit = 10_000_000
	b.ResetTimer()
	cpu := cpuTime()
	for i := 0; i < b.N; i++ {
		env := &router.Env{Gas: gas.NewMeter(limit)}
		if _, err := c.r.Call(env, c.kv, alice, adv, "loop_forever", args, nil); err == nil {
			b.Fatal("loop_forever returned")
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/limit, "ns/gas")
	b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N)/limit, "cpu-ns/gas")
}

// cpuTime is the process's user and system CPU time in nanoseconds: on a
// loaded machine it varies less than the wall clock, and it counts the
// kernel's work of committing pages and the garbage collector's.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
