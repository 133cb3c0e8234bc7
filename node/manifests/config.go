package manifests

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	cmtcfg "github.com/cometbft/cometbft/config"

	"github.com/vsys/vsys/node"
	"github.com/vsys/vsys/node/config"
	"github.com/vsys/vsys/node/multihost"
)

// any is the pod's bind address for a port.
func anyAddr(port int) string { return net.JoinHostPort(multihost.AnyAddr, strconv.Itoa(port)) }

// nodeConfig is validator i's config.toml and app.toml for the cluster:
// its home's settings with every listener on the pod's interfaces, its
// external address its own DNS name, the others as persistent peers by
// their DNS names, and the address book in data/ (config/ is read-only
// mounts).
func nodeConfig(homes []multihost.Home, i int, o Options) (map[string]string, error) {
	h := homes[i]
	cfg, err := node.LoadCometConfig(h.Dir) // a fresh copy: the config holds pointers
	if err != nil {
		return nil, err
	}
	cfg.P2P.ListenAddress = "tcp://" + anyAddr(PortP2P)
	cfg.P2P.ExternalAddress = fmt.Sprintf("tcp://%s:%d", PeerHost(o.Chain, o.Namespace, i), PortP2P)
	var peers []string
	for j, p := range homes {
		if j != i {
			peers = append(peers, P2PPeer(o.Chain, o.Namespace, p.NodeID, j))
		}
	}
	cfg.P2P.PersistentPeers = strings.Join(peers, ",")
	cfg.P2P.AllowDuplicateIP = false // one pod, one IP
	cfg.P2P.AddrBookStrict = false   // pod addresses are private
	cfg.P2P.AddrBook = "data/addrbook.json"
	cfg.RPC.ListenAddress = "tcp://" + anyAddr(PortCometRPC)
	app := h.App
	app.RPC.Address = anyAddr(PortRPC)
	app.Metrics.Address = anyAddr(PortMetrics)

	tmp, err := os.MkdirTemp("", "vsys-manifests-")
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	defer os.RemoveAll(tmp)
	if err := os.Mkdir(filepath.Join(tmp, "config"), 0o700); err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	cmtcfg.WriteConfigFile(filepath.Join(tmp, "config", "config.toml"), cfg)
	if err := config.Save(tmp, app); err != nil {
		return nil, err
	}
	files := map[string]string{}
	for _, f := range []string{"config.toml", config.FileName} {
		b, err := os.ReadFile(filepath.Join(tmp, "config", f))
		if err != nil {
			return nil, fmt.Errorf("config: %w", err)
		}
		files[f] = tidy(string(b))
	}
	return files, nil
}

// tidy drops trailing blanks and turns tabs in comment lines into
// spaces, so the YAML writer can keep the file as a readable block
// instead of one quoted string; the TOML it holds is unchanged.
func tidy(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		l = strings.TrimRight(l, " \t")
		if strings.HasPrefix(strings.TrimSpace(l), "#") {
			l = strings.ReplaceAll(l, "\t", "  ")
		}
		lines[i] = l
	}
	return strings.Join(lines, "\n")
}
