//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package testkit

import (
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

const childEnv = "VSYS_TESTKIT_PORTS_CHILD"

// TestFreePortsDistinctAcrossProcesses: ports handed to this process and
// to a second process running at the same time never coincide, and lie
// outside the kernel's ephemeral range.
func TestFreePortsDistinctAcrossProcesses(t *testing.T) {
	if os.Getenv(childEnv) != "" {
		t.Skip("the child's half runs in TestFreePortsChild")
	}
	mine := map[int]bool{}
	for range 20 {
		p := FreePort(t)
		if mine[p] {
			t.Fatalf("port %d handed out twice in one process", p)
		}
		mine[p] = true
	}
	lo, hi := portPool()
	for p := range mine {
		if p < lo || p > hi {
			t.Fatalf("port %d outside the pool %d-%d", p, lo, hi)
		}
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestFreePortsChild$", "-test.v")
	var list []string
	for p := range mine {
		list = append(list, strconv.Itoa(p))
	}
	cmd.Env = append(os.Environ(), childEnv+"="+strings.Join(list, ","))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	var theirs int
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		if len(f) == 2 && f[0] == "PORT" {
			p, err := strconv.Atoi(f[1])
			if err != nil {
				t.Fatal(err)
			}
			if mine[p] {
				t.Fatalf("port %d handed to both processes", p)
			}
			theirs++
		}
	}
	if theirs != 20 {
		t.Fatalf("child reported %d ports, want 20:\n%s", theirs, out)
	}
}

// TestFreePortsChild is the second process of the test above: it finds
// each of the parent's ports locked, and gets ports of its own.
func TestFreePortsChild(t *testing.T) {
	parent := os.Getenv(childEnv)
	if parent == "" {
		t.Skip("run by TestFreePortsDistinctAcrossProcesses")
	}
	for _, s := range strings.Split(parent, ",") {
		p, err := strconv.Atoi(s)
		if err != nil {
			t.Fatal(err)
		}
		f, err := lockPort(lockDir(), p)
		if err != nil {
			t.Fatal(err)
		}
		if f != nil {
			t.Fatalf("the parent's port %d is not locked", p)
		}
	}
	for range 20 {
		os.Stdout.WriteString("PORT " + strconv.Itoa(FreePort(t)) + "\n")
	}
}

// TestPortRangeLocked: a range is n consecutive ports, each held, and
// FreePort never hands out one of them.
func TestPortRangeLocked(t *testing.T) {
	base, err := ReservePortRange(30)
	if err != nil {
		t.Fatal(err)
	}
	for p := base; p < base+30; p++ {
		if held[p] == nil {
			t.Fatalf("port %d of the range is not held", p)
		}
	}
	for range 50 {
		if p := FreePort(t); p >= base && p < base+30 {
			t.Fatalf("FreePort handed out %d of the range %d+30", p, base)
		}
	}
}
