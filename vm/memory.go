package vm

import (
	"github.com/tetratelabs/wazero/experimental"
)

// pageBytes is the size of a wasm page.
const pageBytes = 1 << 16

// Memory is priced and budgeted per page (docs/vm.md, "Memory: price and
// budget"): an instance's initial pages are charged before it is
// instantiated, and each page memory.grow adds is charged when wazero
// asks this allocator for it, with the tx's meter and the call stack's
// budget (router.Context.AllocMemory) both settled before a byte is
// allocated.

// Allocate implements experimental.MemoryAllocator: wazero calls it once,
// when it instantiates the call's module, with the context Run passes.
func (st *instance) Allocate(_, max uint64) experimental.LinearMemory {
	return &linearMemory{st: st, max: max}
}

// linearMemory is one instance's memory, on the Go heap as wazero's own
// would be. The pages it may hold were paid for and taken from the
// budget (st.pages) before Reallocate hands them out.
type linearMemory struct {
	st  *instance
	buf []byte
	max uint64
}

// Reallocate implements experimental.LinearMemory. wazero calls it at
// instantiation for the initial pages (already charged by Run) and at
// each memory.grow that stays within max_memory_pages (wazero answers -1
// past it without asking). A grow the tx cannot pay for, or that the
// budget refuses, stops the instance with that error: wazero recovers the
// panic as it does a host function's.
func (m *linearMemory) Reallocate(size uint64) []byte {
	if pages := size / pageBytes; pages > uint64(m.st.pages) {
		m.st.takePages(uint32(pages) - m.st.pages)
	}
	if size <= uint64(cap(m.buf)) {
		m.buf = m.buf[:size]
		return m.buf
	}
	// Capacity doubles (up to max) so that growing page by page copies
	// each byte a bounded number of times; what Go zeroes or copies here
	// is in the page price. The budget counts pages, never capacity, so
	// this choice cannot change a result.
	c := min(max(size, 2*uint64(cap(m.buf))), max(m.max, size))
	b := make([]byte, size, c)
	copy(b, m.buf)
	m.buf = b
	return m.buf
}

// Free implements experimental.LinearMemory: the instance is closed.
func (m *linearMemory) Free() { m.buf = nil }

// takePages charges n pages of memory.grow and takes them from the call
// stack's budget, or stops the instance.
//
// The pages are charged to the tx's meter only, not to the instance's
// __vsys_gas global: wazero's compiled code keeps mutable globals in
// registers across memory.grow (it reloads them after calls, not after a
// grow), so a global set here could be overwritten by the stale value.
// The meter is then ahead of the global until the next host call or the
// end of the instance, where syncGas charges what the instance burnt on
// top of the pages; an instance that ran past the meter in between fails
// there, out of gas with the whole limit paid. The total is exact and the
// point of failure depends only on the code and its input.
func (st *instance) takePages(n uint32) {
	if err := st.call.Env.Gas.ConsumeBytes(0, st.vm.sched.Page, int(n), "memory.grow pages"); err != nil {
		st.fail(err)
	}
	if err := st.call.AllocMemory(n); err != nil {
		st.fail(err)
	}
	st.pages += n
}
