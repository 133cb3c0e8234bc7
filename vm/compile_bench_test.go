package vm_test

import (
	"context"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/vsys/vsys/vm"
	"github.com/vsys/vsys/vm/wasm"
)

// BenchmarkCompileWorst compiles, on wazero's compiler engine, the most
// expensive modules that still fit every limit of the default schedule
// (each shape grown until one more function would be refused), and
// reports the CPU time of one compile and its upload gas.
//
//	go test -run '^$' -bench CompileWorst -benchtime 1x ./vm
func BenchmarkCompileWorst(b *testing.B) {
	s := wasm.DefaultSchedule()
	v, err := vm.New(context.Background(), vm.Config{Schedule: s})
	if err != nil {
		b.Fatal(err)
	}
	defer v.Close(context.Background())
	for _, sh := range worstShapes(&s) {
		m := largest(b, v, sh.gen)
		code := m.Bytes()
		cost, err := v.CompileGas(code)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(sh.name, func(b *testing.B) {
			var cpu time.Duration
			for i := 0; i < b.N; i++ {
				w, err := vm.New(context.Background(), vm.Config{Schedule: s})
				if err != nil {
					b.Fatal(err)
				}
				c0 := cpuTime()
				if _, err := w.Check(context.Background(), code); err != nil {
					b.Fatal(err)
				}
				cpu += cpuTime() - c0
				w.Close(context.Background())
			}
			b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/compile")
			b.ReportMetric(float64(len(code)), "bytes")
			b.ReportMetric(float64(cost), "upload-gas")
		})
	}
}

type shape struct {
	name string
	gen  func(n int) *wmod // n functions
}

func worstShapes(s *wasm.Schedule) []shape {
	fill := func(n int, body []byte, locals []wasm.ValType) *wmod {
		m := &wmod{Pages: 1}
		for i := range n {
			f := wfunc{Body: body, Locals: locals}
			if i == 0 {
				f.Export = "f"
			}
			m.Funcs = append(m.Funcs, f)
		}
		return m
	}
	seq := func(k int) []byte { return rep(k, []byte{0x02, 0x40, 0x01, 0x0B}) }
	var shapes []shape
	for _, k := range []int{4, 16, 64, 256} {
		k := k
		shapes = append(shapes, shape{fmt.Sprintf("functions of %d blocks", 2*k+1), func(n int) *wmod { return fill(n, seq(k), nil) }})
	}
	// A chain of blocks, then reads of a local defined before it: each read
	// walks the chain.
	chain := func(blocks, reads int) []byte {
		return cat(i32c(5), localSet(0), rep(blocks, []byte{0x02, 0x40, 0x0B}), rep(reads, localGet(0), []byte{0x1A}))
	}
	one := []wasm.ValType{wasm.I32}
	shapes = append(shapes,
		shape{"chain reads (200 blocks, 2,000 reads)", func(n int) *wmod { return fill(n, chain(200, 2000), one) }},
		shape{"chain reads (400 blocks, 2,500 reads)", func(n int) *wmod { return fill(n, chain(400, 2500), one) }},
		shape{fmt.Sprintf("br_table of %d", s.MaxBrTableTargets), func(n int) *wmod { return fill(n, brTable(int(s.MaxBrTableTargets)).Funcs[0].Body, nil) }},
		shape{fmt.Sprintf("nesting %d", s.MaxNesting), func(n int) *wmod { return fill(n, nested(int(s.MaxNesting)).Funcs[0].Body, nil) }},
		shape{"1,000 locals, 64 blocks", func(n int) *wmod {
			locals := make([]wasm.ValType, s.MaxLocals)
			for i := range locals {
				locals[i] = wasm.I64
			}
			var b []byte
			for i := range 64 {
				b = append(b, 0x02, 0x40)
				b = append(b, localGet(uint32(i*15))...)
				b = append(b, localSet(uint32(i*15+7))...)
				b = append(b, 0x0B)
			}
			return fill(n, b, locals)
		}},
	)
	return shapes
}

// largest is the module of the most functions gen can make that the
// schedule accepts.
func largest(tb testing.TB, v *vm.VM, gen func(int) *wmod) *wmod {
	ok := func(n int) bool { _, err := v.CompileGas(gen(n).Bytes()); return err == nil }
	if !ok(1) {
		tb.Fatal("one function does not fit")
	}
	hi := sort.Search(10_000, func(n int) bool { return n > 0 && !ok(n) })
	return gen(hi - 1)
}
