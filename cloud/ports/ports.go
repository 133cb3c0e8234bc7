package ports

import (
	"errors"
	"fmt"
	"net"
	"strconv"
)

// ErrExhausted means the range has fewer free ports than asked for.
var ErrExhausted = errors.New("ports exhausted")

// Allocate returns n ports of first..last (inclusive), lowest first, that
// are not in used and that 127.0.0.1 can bind now.
func Allocate(first, last, n int, used map[int]bool) ([]int, error) {
	var out []int
	for p := first; p <= last && len(out) < n; p++ {
		if used[p] || !Bindable(p) {
			continue
		}
		out = append(out, p)
	}
	if len(out) < n {
		return nil, fmt.Errorf("%w: range %d..%d has %d free ports, a chain needs %d (widen [ports] in cloud.toml or delete a chain)",
			ErrExhausted, first, last, len(out), n)
	}
	return out, nil
}

// Bindable reports whether 127.0.0.1:port can be listened on now.
func Bindable(port int) bool {
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return false
	}
	_ = l.Close()
	return true
}
