// Package limits bounds one chain node's CPU, memory and open files, so
// that one chain cannot deplete the host for the others.
//
// Two modes, chosen by Detect:
//
//   - cgroups v2 (ModeCgroup), where the host has them and this process
//     may write them (production Linux hosts): the node's process moves
//     into its own cgroup, <root>/vsys-<name>, whose cpu.max holds it to
//     Limits.CPUs cores and whose memory.max is a hard ceiling the kernel
//     enforces with its OOM killer, on that cgroup alone.
//   - the fallback (ModeFallback), which works on any Linux without
//     privileges: the node's Go runtime is told its share before it
//     starts (GOMAXPROCS, and GOMEMLIMIT a tenth below the ceiling, so the
//     garbage collector works before the ceiling is reached), the process
//     is reniced, and rlimits are set on it: RLIMIT_DATA (private
//     writable memory, since Linux 4.7) as the hard memory ceiling, at
//     which its allocations fail and the Go runtime exits, and
//     RLIMIT_NOFILE. CPU is then a share, not a cap: GOMAXPROCS bounds
//     the cores the Go code runs on, and nice yields to other chains under
//     contention.
//
// Env is added to the child's environment before it starts; Apply is
// called with its pid right after. Nice and RLIMIT_NOFILE are applied in
// both modes. Linux's nice value is per thread and new threads inherit
// their creator's, so Apply renices every thread the process has, until
// a pass finds no new one.
package limits
