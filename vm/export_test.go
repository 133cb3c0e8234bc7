package vm

// SetUnmetered makes v run code as uploaded, without instrumentation, so
// benchmarks can measure what metering costs. Never for consensus.
func SetUnmetered(v *VM) { v.unmetered = true }
