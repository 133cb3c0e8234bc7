package bench

import (
	"fmt"
	"os"
	"time"

	"github.com/vsys/vsys/cloud"
	"github.com/vsys/vsys/cloud/state"
)

// benchConfig is the cloud.toml of a bench's cloud: the API at portBase,
// the gateway next, chain ports from portBase+3 with room for chains and
// 50 spare, at most chains chains, blocks every interval.
func benchConfig(portBase, chains int, interval time.Duration) state.Config {
	cfg := state.DefaultConfig()
	cfg.API.Address = fmt.Sprintf("127.0.0.1:%d", portBase)
	cfg.Gateway.Address = fmt.Sprintf("127.0.0.1:%d", portBase+1)
	cfg.Ports = state.Ports{First: portBase + 3, Last: portBase + 3 + 3*chains + 50}
	cfg.MaxChains = chains
	cfg.Chain.BlockInterval = interval.String()
	return cfg
}

// startCloud runs a control plane with cfg in a new temporary home. done
// stops its chains and, unless keep, removes the home.
func startCloud(binary, prefix string, cfg state.Config, keep bool) (p *cloud.Plane, done func(), err error) {
	dir, err := os.MkdirTemp("", prefix)
	if err != nil {
		return nil, nil, err
	}
	rm := func() {
		if !keep {
			_ = os.RemoveAll(dir)
		}
	}
	if err := state.SaveConfig(dir, cfg); err != nil {
		rm()
		return nil, nil, err
	}
	if p, err = cloud.Open(dir, cloud.Options{Binary: binary}); err != nil {
		rm()
		return nil, nil, err
	}
	if err := p.Start(); err != nil {
		rm()
		return nil, nil, err
	}
	return p, func() { _ = p.Close(true); rm() }, nil
}
