package app

import (
	"context"
	"crypto/sha256"
	"fmt"
	"maps"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/core/tx"
	"github.com/vsys/vsys/internal/testkit/wasmasm"
	"github.com/vsys/vsys/modules/wasm"
	wasmvm "github.com/vsys/vsys/vm/wasm"
)

// hopArgs are the args of the hop module's methods: grow memory by pages,
// then call path[0] with the rest of the path.
type hopArgs struct {
	Pages uint32
	Path  []address.Address
}

// hopModule is a contract built here rather than in Rust so that its
// memory is exactly what the test says: it declares initial pages, and
// each of its methods grows memory by args.pages and calls the next
// contract of args.path with the rest of the path; a failed call aborts
// with the callee's message. "hop" first writes "k" = pages (u32) to its
// storage, so a failure can be seen to revert it; "peek" is read-only.
func hopModule(initial uint32) []byte {
	const (
		fInputLen = iota
		fInputRead
		fCall
		fResultLen
		fResultRead
		fAbort
		fStorageSet
	)
	i32c, cat := wasmasm.I32Const, wasmasm.Cat
	call := func(f int) []byte { return wasmasm.Call(uint32(f)) }
	const in = 1024 // input: pages u32, count u32, count addresses
	// body is one method; method and n name the method it calls next.
	body := func(write bool, method, n int32) []byte {
		var store []byte
		if write {
			store = cat(i32c(32), i32c(1), i32c(in), i32c(4), call(fStorageSet)) // "k" = pages
		}
		return cat(
			call(fInputLen), []byte{0x21, 0}, // local 0 = input length
			i32c(in), call(fInputRead),
			i32c(in), []byte{0x28, 2, 0, 0x21, 1}, // local 1 = pages
			i32c(in+4), []byte{0x28, 2, 0, 0x21, 2}, // local 2 = count
			store,
			[]byte{0x20, 1, 0x40, 0}, i32c(-1), []byte{0x46, 0x04, 0x40, 0x00, 0x0B}, // grow; -1 traps
			[]byte{0x20, 2, 0x45, 0x04, 0x40, 0x0F, 0x0B}, // count == 0: return
			// copy path[0] to 64, then put pages and count-1 in front of path[1:]
			i32c(64), i32c(in+8), []byte{0x29, 3, 0, 0x37, 3, 0},
			i32c(72), i32c(in+16), []byte{0x29, 3, 0, 0x37, 3, 0},
			i32c(80), i32c(in+24), []byte{0x28, 2, 0, 0x36, 2, 0},
			i32c(in+20), []byte{0x20, 1, 0x36, 2, 0},
			i32c(in+24), []byte{0x20, 2}, i32c(1), []byte{0x6B, 0x36, 2, 0},
			// call(path[0], method, args = the rest, no funds)
			i32c(64), i32c(method), i32c(n),
			i32c(in+20), []byte{0x20, 0}, i32c(20), []byte{0x6B}, i32c(0), i32c(0), call(fCall),
			[]byte{0x04, 0x40}, // the call failed: abort with its message
			call(fResultLen), []byte{0x21, 0}, i32c(in), call(fResultRead), i32c(in), []byte{0x20, 0}, call(fAbort),
			[]byte{0x0B})
	}
	locals := []wasmvm.ValType{wasmvm.I32, wasmvm.I32, wasmvm.I32}
	const args = "struct{pages:u32,path:list<address>}"
	m := wasmasm.Module{
		Name:    "hop",
		Imports: []string{"input_len", "input_read", "call", "result_len", "result_read", "abort", "storage_set"},
		Pages:   initial,
		Funcs: []wasmasm.Func{
			{Export: "hop", Args: args, Doc: "grow, then call the next", Locals: locals, Body: body(true, 16, 3)},
			{Export: "peek", Args: args, ReadOnly: true, Doc: "grow, then call the next, read-only", Locals: locals, Body: body(false, 19, 4)},
		},
		Data: []wasmasm.Data{{At: 16, Bytes: []byte("hoppeek")}, {At: 32, Bytes: []byte("k")}}, // "hop" at 16, "peek" at 19
	}
	return m.Bytes()
}

// hopChain uploads the hop module with initial pages and instantiates n
// contracts of it, in one block.
func (h *harness) hopChain(initial uint32, n int) []address.Address {
	h.t.Helper()
	code := hopModule(initial)
	hash := h.upload(alice, code)
	require.Equal(h.t, sha256.Sum256(code), [32]byte(hash))
	var txs [][]byte
	for i := 0; i < n; i++ {
		txs = append(txs, h.sign(alice, 2_000_000, withFunds(wasmTx("instantiate",
			wasm.InstantiateArgs{CodeHash: hash, Label: fmt.Sprintf("hop-%d-%d", initial, i)}), contractFunds)))
	}
	var out []address.Address
	for i, res := range h.block(txs...) {
		require.Zero(h.t, res.Code, "instantiate %d: %s", i, res.Log)
		out = append(out, mustAddress(h.t, res.Data))
	}
	return out
}

func mustAddress(t testing.TB, data []byte) address.Address {
	t.Helper()
	var results [][]byte
	require.NoError(t, codec.Unmarshal(data, &results))
	var a address.Address
	require.NoError(t, codec.Unmarshal(results[0], &a))
	return a
}

// hop calls path[0].hop with the rest of path, growing pages at each hop.
func hop(path []address.Address, pages uint32) []byte {
	return mustMarshal(hopArgs{Pages: pages, Path: path[1:]})
}

// TestNestedCallMemoryBudget: wasm memory costs gas per page, initial and
// grown, and all the instances on one call stack share one budget of
// pages (max_call_memory_pages); past it the tx fails with a clear error
// and nothing it wrote remains. Pages of an instance that returned go
// back to the budget.
func TestNestedCallMemoryBudget(t *testing.T) {
	h := newRichHarness(t)
	p := h.app.Params()
	budget := p.MaxCallMemoryPages
	pageGas := p.WASM.Page
	require.Equal(t, uint32(1024), budget, "default budget: 64 MiB")
	c := h.hopChain(1, 100)

	run := func(path []address.Address, pages uint32, calls int) (uint32, string, int64) {
		t.Helper()
		var cs []tx.Call
		for i := 0; i < calls; i++ {
			cs = append(cs, tx.Call{Contract: path[0], Method: "hop", Args: hop(path, pages)})
		}
		res := h.block(h.sign(bob, 90_000_000, cs...))[0]
		return res.Code, res.Log, res.GasUsed
	}

	// 100 deep with no growth: 100 pages, well within the budget. This
	// also writes every contract's key once, so later runs pay the same
	// storage gas whatever they grow.
	code, log, _ := run(c, 0, 1)
	require.Zero(t, code, log)

	// Golden: 60 hops growing 16 pages each hold 60*17 = 1020 pages.
	code, log, gas60 := run(c[:60], 16, 1)
	require.Zero(t, code, log)
	require.Equal(t, int64(goldenHopGas), gas60, "golden gas of 60 hops of 16 pages")

	// Every page is charged: grown pages ...
	_, _, g0 := run(c[:10], 0, 1)
	_, _, g16 := run(c[:10], 16, 1)
	require.Equal(t, int64(10*16*pageGas), g16-g0, "16 grown pages a hop, 10 hops")
	// ... and initial ones.
	c9 := h.hopChain(9, 2)
	run(c9, 0, 1)
	_, _, g9 := run(c9, 0, 1)
	_, _, g1 := run(c[:2], 0, 1)
	require.Equal(t, int64(2*8*pageGas), g9-g1, "8 more initial pages, 2 instances")

	// 61 hops of 18 pages pass the budget: the tx fails with a clear
	// error, pays its gas, and no contract keeps the pages it wrote.
	before := [2]map[string]string{h.contractState(c[0]), h.contractState(c[60])}
	for _, st := range before { // both hold pages 0; the failed tx wrote 17
		require.Contains(t, slices.Collect(maps.Values(st)), "\x00\x00\x00\x00")
		require.NotContains(t, slices.Collect(maps.Values(st)), "\x11\x00\x00\x00")
	}
	code, log, _ = run(c[:61], 17, 1)
	require.Equal(t, CodeMemoryBudget, code, log)
	require.Contains(t, log, "memory budget exceeded")
	require.Contains(t, log, fmt.Sprintf("limit %d", budget))
	require.Equal(t, before, [2]map[string]string{h.contractState(c[0]), h.contractState(c[60])})

	// A grow the tx cannot pay for runs out of gas: the whole limit is paid.
	res := h.block(h.sign(bob, 200_000, tx.Call{Contract: c[0], Method: "hop", Args: hop(c[:1], 100)}))[0]
	require.Equal(t, CodeOutOfGas, res.Code, res.Log)
	require.Contains(t, res.Log, "memory.grow pages")
	require.Equal(t, int64(200_000), res.GasUsed)

	// Pages come back when an instance returns: two calls of 1020 pages
	// each fit in one tx, one after the other.
	code, log, _ = run(c[:60], 16, 2)
	require.Zero(t, code, log)

	// Queries have the same budget.
	_, _, err := h.app.Call(context.Background(), 0, c[0], "peek", hop(c[:61], 16), 90_000_000)
	require.ErrorIs(t, err, router.ErrMemoryBudget)
	_, _, err = h.app.Call(context.Background(), 0, c[0], "peek", hop(c[:60], 16), 90_000_000)
	require.NoError(t, err)
}

// goldenHopGas is 60 hops of 17 pages: 1,020 pages at 10,000 gas are
// 10,200,000 of it, and each hop's one memory.grow 60,000 more.
const goldenHopGas = 14259848 // 59 nested calls pay host_call (2,000) each

// TestNestedCallMemoryBounded: the attack of issue 9, 100 nested
// instances of 32 MiB each in one vsys_call, now allocates about the
// budget, not 100 x 32 MiB. Measured as bytes allocated during the call
// (runtime.MemStats.TotalAlloc), which does not depend on timing.
func TestNestedCallMemoryBounded(t *testing.T) {
	h := newRichHarness(t)
	budget := uint64(h.app.Params().MaxCallMemoryPages) << 16
	c := h.hopChain(512, 100)
	alloc, peak, err := measureCall(func() error {
		_, _, err := h.app.Call(context.Background(), 0, c[0], "peek", hop(c, 0), 90_000_000)
		return err
	})
	t.Logf("100 nested 512-page instances: %v; allocated %d MiB, peak heap in use +%d MiB", err, alloc>>20, peak>>20)
	require.ErrorIs(t, err, router.ErrMemoryBudget)
	require.Less(t, alloc, budget+budget/2, "allocated during the call")

	// The most a 100-deep call may hold: 100 instances of 10 pages.
	c = h.hopChain(1, 100)
	var used uint64
	alloc, peak, err = measureCall(func() error {
		var err error
		_, used, err = h.app.Call(context.Background(), 0, c[0], "peek", hop(c, 9), 90_000_000)
		return err
	})
	require.NoError(t, err)
	t.Logf("100 nested 10-page instances (1,000 pages): %d gas; allocated %d MiB, peak heap in use +%d MiB", used, alloc>>20, peak>>20)
	require.Less(t, alloc, budget+budget/2, "allocated during the call")
}

// measureCall runs fn and returns the bytes allocated while it ran and the
// peak of the heap in use above what it was before, sampled every
// millisecond and once after fn (what a call shorter than a sample left
// before the collector ran). The bytes allocated bound the peak.
func measureCall(fn func() error) (alloc, peak uint64, err error) {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base, total := ms.HeapInuse, ms.TotalAlloc
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var s runtime.MemStats
		for {
			runtime.ReadMemStats(&s)
			if s.HeapInuse > base && s.HeapInuse-base > peak {
				peak = s.HeapInuse - base
			}
			select {
			case <-stop:
				return
			case <-time.After(time.Millisecond):
			}
		}
	}()
	err = fn()
	close(stop)
	wg.Wait()
	runtime.ReadMemStats(&ms)
	if ms.HeapInuse > base { // a call shorter than a sample: what it left
		peak = max(peak, ms.HeapInuse-base)
	}
	return ms.TotalAlloc - total, peak, err
}
