package vm_test

import (
	"fmt"
	"testing"

	"github.com/vsys/vsys/vm"
)

// BenchmarkMemoryPage measures what a page of wasm memory costs the node:
// allocating, zeroing (the OS commits each 4 KiB on first write) and, when
// memory grows a few pages at a time, copying, for one instance of 512
// pages (32 MiB). CPU ns/page times the loop's gas per CPU second
// (BenchmarkLoopGasRate) is what the schedule's page price must at least
// be (docs/vm.md).
func BenchmarkMemoryPage(b *testing.B) {
	for _, step := range []uint32{512, 64, 16, 4, 1} {
		b.Run(fmt.Sprintf("grow-by-%d", step), func(b *testing.B) {
			cpu := cpuTime()
			for i := 0; i < b.N; i++ {
				vm.AllocPages(512, step)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/512, "ns/page")
			b.ReportMetric(float64((cpuTime()-cpu).Nanoseconds())/float64(b.N)/512, "cpu-ns/page")
		})
	}
}
