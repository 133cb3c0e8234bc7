package multihost

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
)

// Sentinel errors callers test with errors.Is.
var (
	// ErrBadHost is a host entry that is not HOST:P2P or
	// HOST:P2P/COMET_RPC/JSON_RPC/METRICS.
	ErrBadHost = errors.New("bad host entry")
	// ErrPortClash is two validators given the same host and port.
	ErrPortClash = errors.New("port used twice on one host")
	// ErrNoHosts is an empty host list.
	ErrNoHosts = errors.New("no hosts")
)

// Ports are the ports a validator listens on besides P2P.
type Ports struct {
	CometRPC int // CometBFT RPC, where /health is served
	RPC      int // vsys JSON-RPC
	Metrics  int // Prometheus
}

// DefaultPorts are the conventional ports: CometBFT's RPC and metrics
// ports and vsys's JSON-RPC port, what a host that runs one validator
// uses.
var DefaultPorts = Ports{CometRPC: 26657, RPC: 8645, Metrics: 26660}

// Host is where one validator runs.
type Host struct {
	Addr string // host name or IP that the other validators dial
	P2P  int
	Ports
}

// P2PAddr is host:p2p-port, the validator's external address.
func (h Host) P2PAddr() string { return net.JoinHostPort(h.Addr, strconv.Itoa(h.P2P)) }

// String is the entry's long form, which ParseHost reads back.
func (h Host) String() string {
	return fmt.Sprintf("%s/%d/%d/%d", h.P2PAddr(), h.CometRPC, h.RPC, h.Metrics)
}

// ParseHost reads one entry: HOST:P2P, taking the other ports from def,
// or HOST:P2P/COMET_RPC/JSON_RPC/METRICS when validators share a host.
// An IPv6 host is written in brackets ([::1]:26656).
func ParseHost(entry string, def Ports) (Host, error) {
	hp, rest, long := strings.Cut(strings.TrimSpace(entry), "/")
	host, p2p, err := net.SplitHostPort(hp)
	if err != nil || host == "" {
		return Host{}, fmt.Errorf("%w %q: want HOST:P2P_PORT", ErrBadHost, entry)
	}
	h := Host{Addr: host, Ports: def}
	fields := []*int{&h.P2P}
	vals := []string{p2p}
	if long {
		more := strings.Split(rest, "/")
		if len(more) != 3 {
			return Host{}, fmt.Errorf("%w %q: want HOST:P2P/COMET_RPC/JSON_RPC/METRICS", ErrBadHost, entry)
		}
		fields = append(fields, &h.CometRPC, &h.RPC, &h.Metrics)
		vals = append(vals, more...)
	}
	for i, v := range vals {
		p, err := strconv.Atoi(v)
		if err != nil || p < 1 || p > 65535 {
			return Host{}, fmt.Errorf("%w %q: port %q is not 1-65535", ErrBadHost, entry, v)
		}
		*fields[i] = p
	}
	return h, nil
}

// ParseHosts reads a host list (ParseHost per entry) and checks that no
// two validators would listen on the same host and port.
func ParseHosts(entries []string, def Ports) ([]Host, error) {
	if len(entries) == 0 {
		return nil, ErrNoHosts
	}
	hosts := make([]Host, len(entries))
	for i, e := range entries {
		h, err := ParseHost(e, def)
		if err != nil {
			return nil, err
		}
		hosts[i] = h
	}
	return hosts, checkClashes(hosts)
}

// checkClashes fails when two ports of the same host are equal, between
// validators or within one.
func checkClashes(hosts []Host) error {
	owner := map[string]int{}
	for i, h := range hosts {
		for _, p := range []int{h.P2P, h.CometRPC, h.RPC, h.Metrics} {
			key := net.JoinHostPort(h.Addr, strconv.Itoa(p))
			if j, ok := owner[key]; ok {
				return fmt.Errorf("%w: %s is validator %d's and validator %d's (give HOST:P2P/COMET_RPC/JSON_RPC/METRICS)",
					ErrPortClash, key, j, i)
			}
			owner[key] = i
		}
	}
	return nil
}
