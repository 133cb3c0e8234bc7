package cloud

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"

	"github.com/vsys/vsys/cloud/api"
	"github.com/vsys/vsys/cloud/state"
	"github.com/vsys/vsys/node"
	"github.com/vsys/vsys/node/chainspec"
	"github.com/vsys/vsys/node/config"
)

// specFile is the chain's spec with its defaults filled (chainspec's
// record), kept beside the cloud's own record.
const specFile = "spec.json"

// createHome writes a new chain's node home into dir with the allocated
// ports, through chainspec.Create: the same modules, consensus, params and
// validation as `vsysd chain create`. It builds the one-validator chain in
// a scratch dir beside dir and moves the validator's home into place, so
// the cloud's layout stays chains/NAME/home.
func createHome(dir string, req api.CreateRequest, ports state.ChainPorts) error {
	scratch := dir + ".spec"
	defer func() { _ = os.RemoveAll(scratch) }()
	spec := chainspec.Spec{
		Name: req.Name, ChainID: req.ChainID, Modules: req.Modules, Consensus: req.Consensus, Validators: 1,
		BlockInterval: req.BlockInterval, EmptyBlocks: req.EmptyBlocks, Heartbeat: req.Heartbeat, Params: req.Params,
		// No Metrics address: the cloud measures usage itself, and a
		// Prometheus listener per chain would need a port each.
		Nodes: []node.NodeAddrs{{RPC: loopback(ports.RPC), P2P: loopback(ports.P2P), CometRPC: loopback(ports.CometRPC)}},
	}
	res, err := chainspec.Create(scratch, spec)
	if err != nil {
		if errors.Is(err, chainspec.ErrSpec) || errors.Is(err, chainspec.ErrName) {
			return fmt.Errorf("%w: %w", api.ErrBadParams, err)
		}
		return fmt.Errorf("chain %s: %w", req.Name, err)
	}
	if err := smallNode(res.Nodes[0].Home); err != nil {
		return fmt.Errorf("chain %s: %w", req.Name, err)
	}
	if err := os.Rename(res.Nodes[0].Home, dir); err != nil {
		return fmt.Errorf("chain %s: %w", req.Name, err)
	}
	if err := os.Rename(filepath.Join(scratch, chainspec.FileName), filepath.Join(filepath.Dir(dir), specFile)); err != nil {
		return fmt.Errorf("chain %s: %w", req.Name, err)
	}
	return nil
}

// smallNode sizes a chain node's app.toml for a cloud of many mostly idle
// chains (config.Small: small database buffers and mempool cache), all of
// it node-local, so the chain's blocks and app hash are those of any other
// node.
func smallNode(home string) error {
	c, err := config.Load(home)
	if err != nil {
		return fmt.Errorf("small node: %w", err)
	}
	if err := config.Save(home, config.Small(c)); err != nil {
		return fmt.Errorf("small node: %w", err)
	}
	return nil
}

func loopback(port int) string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(port)) }
