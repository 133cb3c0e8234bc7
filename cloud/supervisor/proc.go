package supervisor

import (
	"bytes"
	"fmt"
	"os"
	"slices"
	"strings"
	"syscall"
)

// NodeArgs are a chain node's arguments: `start --home home`.
func NodeArgs(home string) []string { return []string{"start", "--home", home} }

// Matches reports whether pid is a live chain node of home: MatchesArgs
// with NodeArgs(home).
func Matches(pid int, home string) bool { return MatchesArgs(pid, NodeArgs(home)) }

// MatchesArgs reports whether pid is a live process whose command line
// ends with args: the check that an adopted pid is really the process
// the supervisor started (a chain node, a relayer) and not a recycled
// pid. Only the end is compared, so a wrapper a hook put in front (a
// binary path, nice, a shell) does not matter; args carry a path unique
// to what they run (a home), so another process's do not end the same
// way. A zombie has an empty cmdline and does not match.
func MatchesArgs(pid int, args []string) bool {
	if pid <= 0 || len(args) == 0 {
		return false
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil {
		return false
	}
	if stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid)); err != nil || zombie(stat) {
		return false
	}
	got := strings.Split(string(bytes.TrimRight(b, "\x00")), "\x00")
	// got[0] is the program; what follows it must end with args.
	return len(got) > len(args) && slices.Equal(got[len(got)-len(args):], args)
}

// zombie reports whether a /proc/PID/stat line is of a zombie or dead
// process: its state follows the parenthesised command name.
func zombie(stat []byte) bool {
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 || i+2 >= len(stat) {
		return true
	}
	s := stat[i+2]
	return s == 'Z' || s == 'X'
}

// signal sends sig to pid's process group (the child leads its own
// session, so its group is its pid) and to pid itself.
func signal(pid int, sig syscall.Signal) {
	_ = syscall.Kill(-pid, sig)
	_ = syscall.Kill(pid, sig)
}
