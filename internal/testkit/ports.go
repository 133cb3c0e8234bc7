package testkit

import (
	"fmt"
	"net"
	"strconv"
	"testing"
)

// FreePort returns a loopback TCP port that no other user of the kit, in
// this process or another, is handed until this process exits.
//
// Listening on 127.0.0.1:0 and closing the listener (what the tests did
// before) leaves a window in which the kernel can hand the same port to
// another process — a concurrently running test package asked for an
// ephemeral port, or an outbound connection — and the node then fails
// with "bind: address already in use" (TestCleanStopLogsNoError did).
// The kit instead picks ports outside the kernel's ephemeral range, so
// the kernel never hands them out on its own, and reserves each one with
// an exclusive lock on a file in a shared directory, held for the life of
// the process (the kernel releases it when the process exits, even when
// it crashes), so two test processes never pick the same one.
func FreePort(t testing.TB) int {
	t.Helper()
	p, err := reservePort()
	if err != nil {
		t.Fatalf("testkit: free port: %v", err)
	}
	return p
}

// FreeAddr is FreePort as "127.0.0.1:port".
func FreeAddr(t testing.TB) string {
	t.Helper()
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(FreePort(t)))
}

// FreeTCPAddr is FreePort as "tcp://127.0.0.1:port", the form of
// CometBFT's listen addresses.
func FreeTCPAddr(t testing.TB) string {
	t.Helper()
	return "tcp://" + FreeAddr(t)
}

// ReservePortRange reserves n consecutive loopback ports as FreePort does
// and returns the first, for code that derives its ports from a base port
// (a testnet of several nodes, say). It takes no testing.TB, so test
// support packages that return errors can use it.
func ReservePortRange(n int) (int, error) {
	base, err := reserveRange(n)
	if err != nil {
		return 0, fmt.Errorf("testkit: %d free ports: %w", n, err)
	}
	return base, nil
}

// bindable reports whether port can be listened on now: a port outside
// the ephemeral range may still be taken by a server that is not a test.
func bindable(port int) error {
	l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		return err
	}
	return l.Close()
}
