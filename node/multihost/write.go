package multihost

import (
	"fmt"
	"net"
	"strconv"

	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/node"
)

// AnyAddr is the bind address that listens on every interface.
const AnyAddr = "0.0.0.0"

// Options configure Write.
type Options struct {
	ChainID       string
	Hosts         []Host
	BlockInterval string     // pause between blocks; empty: "1s"
	DevBalance    codec.U128 // native coin for each home's dev account
	// BindHost makes each node listen on its host's address itself
	// (several validators on one machine's loopback addresses). By
	// default a node listens on every interface (AnyAddr): a host's
	// public name or NAT address is often not one of its interfaces.
	BindHost bool
	Progress func(done, total int) // called after each home is written
}

// Addrs places each validator on its host for node.InitTestnet (or a
// chain spec's Nodes): listening on every interface, or with bindHost on
// the host's own address, and dialled by the others at HOST:P2P.
func Addrs(hosts []Host, bindHost bool) []node.NodeAddrs {
	addrs := make([]node.NodeAddrs, len(hosts))
	for i, h := range hosts {
		bind := AnyAddr
		if bindHost {
			bind = h.Addr
		}
		at := func(p int) string { return net.JoinHostPort(bind, strconv.Itoa(p)) }
		addrs[i] = node.NodeAddrs{P2P: at(h.P2P), External: h.P2PAddr(),
			CometRPC: at(h.CometRPC), RPC: at(h.RPC), Metrics: at(h.Metrics)}
	}
	return addrs
}

// Write writes one home per host under dir (dir/node0, dir/node1, ...)
// through node.InitTestnet: one genesis with every validator at power 10,
// node i's p2p.external_address its host's HOST:P2P, and every other
// validator as a persistent peer, node-id@HOST:P2P.
func Write(dir string, o Options) ([]node.TestnetNode, error) {
	if len(o.Hosts) == 0 {
		return nil, ErrNoHosts
	}
	if err := checkClashes(o.Hosts); err != nil {
		return nil, err
	}
	nodes, err := node.InitTestnet(dir, node.TestnetOptions{ChainID: o.ChainID, Addrs: Addrs(o.Hosts, o.BindHost),
		BlockInterval: o.BlockInterval, DevBalance: o.DevBalance, Progress: o.Progress})
	if err != nil {
		return nil, fmt.Errorf("multihost: %w", err)
	}
	return nodes, nil
}
