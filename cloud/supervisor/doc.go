// Package supervisor runs each chain node as its own `vsysd start --home
// HOME` process, and any other supervised vsysd command (a cloud's
// relayers: Spec.Args), and keeps it running.
//
// A child runs in its own session (Setsid), with stdout and stderr going
// straight to a log file, so it holds nothing of the control plane's: it
// keeps serving when the control plane dies, and a signal to the control
// plane's process group does not reach it. A control plane restarted
// later adopts a child whose pid is alive and whose /proc/PID/cmdline is
// `… start --home HOME`, or ends with the spec's Args (a recycled pid of
// another program is not adopted); an adopted process is not the supervisor's child, so its
// exit is noticed by polling rather than by wait.
//
// A node that exits without being asked to is restarted after a delay
// that doubles from Backoff.Initial up to Backoff.Max, and resets once a
// run lasted Backoff.StableAfter. Stop sends SIGTERM, then SIGKILL after
// the grace period.
//
// Hooks are the seam for per-chain resource limits: BeforeStart may
// change the command (environment such as GOMAXPROCS or GOMEMLIMIT, a
// wrapper), AfterStart may act on the new pid (cgroup placement,
// rlimits, nice).
package supervisor
