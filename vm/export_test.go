package vm

// SetUnmetered makes v run code as uploaded, without instrumentation, so
// benchmarks can measure what metering costs. Never for consensus.
func SetUnmetered(v *VM) { v.unmetered = true }

// AllocPages builds an instance's memory as the VM does, n pages grown
// step pages at a time, writes a byte in every 4 KiB of it (so the OS
// commits and zeroes it, as a contract using the memory would make it),
// and frees it. The pages count as paid: nothing is charged.
func AllocPages(n, step uint32) {
	m := (&instance{pages: n}).Allocate(0, uint64(n)*pageBytes).(*linearMemory)
	var have uint32
	for have < n {
		next := min(have+step, n)
		b := m.Reallocate(uint64(next) * pageBytes)
		for i := uint64(have) * pageBytes; i < uint64(len(b)); i += 4096 {
			b[i] = 1
		}
		have = next
	}
	m.Free()
}
