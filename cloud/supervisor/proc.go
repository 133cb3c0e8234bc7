package supervisor

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"syscall"
)

// Matches reports whether pid is a live process running `start --home
// home`: the check that an adopted pid is really that chain's node and
// not a recycled pid. A zombie has an empty cmdline and does not match.
func Matches(pid int, home string) bool {
	if pid <= 0 {
		return false
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil {
		return false
	}
	if stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid)); err != nil || zombie(stat) {
		return false
	}
	args := strings.Split(string(bytes.TrimRight(b, "\x00")), "\x00")
	var start bool
	for i, a := range args {
		if a == "start" {
			start = true
		}
		if a == "--home="+home || (a == "--home" && i+1 < len(args) && args[i+1] == home) {
			return start
		}
	}
	return false
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
