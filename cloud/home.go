package cloud

import (
	"fmt"
	"net"
	"strconv"

	"github.com/vsys/vsys/app/genesis"
	"github.com/vsys/vsys/cloud/api"
	"github.com/vsys/vsys/cloud/state"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/node"
	"github.com/vsys/vsys/node/config"
)

// devBalance is the native coin of a new chain's dev account.
var devBalance = codec.NewU128(1_000_000_000_000_000_000)

// createHome writes a new chain's node home into dir with the allocated
// ports: the one place that knows how a chain's home is made, so a richer
// chain spec (modules, consensus, validators, params) replaces this body
// and nothing else.
func createHome(dir string, req api.CreateRequest, ports state.ChainPorts) error {
	app := config.Default()
	app.RPC.Address = loopback(ports.RPC)
	app.Consensus.BlockInterval = req.BlockInterval
	// The cloud measures usage itself; a Prometheus listener per chain
	// would need a port each and collide on the default.
	app.Metrics.Enabled = false
	gs := genesis.Default()
	_, err := node.Init(dir, node.InitOptions{
		ChainID:      req.ChainID,
		Moniker:      req.Name,
		DevBalance:   devBalance,
		Genesis:      &gs,
		App:          app,
		CometRPCAddr: "tcp://" + loopback(ports.CometRPC),
		P2PAddr:      "tcp://" + loopback(ports.P2P),
	})
	if err != nil {
		return fmt.Errorf("chain %s: init home: %w", req.Name, err)
	}
	return nil
}

func loopback(port int) string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(port)) }
