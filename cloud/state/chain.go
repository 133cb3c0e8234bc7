package state

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// ChainsDir is the directory of the chains in the cloud home.
const ChainsDir = "chains"

// The files of one chain's directory.
const (
	RecordFile = "chain.json" // the chain's record
	HomeDir    = "home"       // the node's home (vsysd start --home)
	LogFile    = "node.log"   // the node's stdout and stderr
)

// Desired states of a chain: what the operator asked for. Whether the node
// runs right now is the supervisor's to say.
const (
	StatusRunning = "running"
	StatusStopped = "stopped"
)

// ChainPorts are the ports allocated to a chain, all on 127.0.0.1.
type ChainPorts struct {
	RPC      int `json:"rpc"`       // vsys JSON-RPC
	CometRPC int `json:"comet_rpc"` // CometBFT RPC
	P2P      int `json:"p2p"`       // CometBFT P2P
}

// List returns the ports in a fixed order.
func (p ChainPorts) List() []int { return []int{p.RPC, p.CometRPC, p.P2P} }

// Chain is chains/NAME/chain.json.
type Chain struct {
	Name          string     `json:"name"`
	ChainID       string     `json:"chain_id"`
	Ports         ChainPorts `json:"ports"`
	BlockInterval string     `json:"block_interval"`
	Status        string     `json:"status"` // StatusRunning or StatusStopped
	PID           int        `json:"pid"`    // last started node process; 0: none
	Restarts      int        `json:"restarts"`
	LastExit      string     `json:"last_exit,omitempty"`
	LastExitAt    time.Time  `json:"last_exit_at,omitzero"`
	CreatedAt     time.Time  `json:"created_at"`
	// DiskQuotaBytes is the quota written to the node's app.toml, 0: none.
	DiskQuotaBytes int64 `json:"disk_quota_bytes,omitempty"`
	// TxsPerSecond and TxBurst are the admission rate written to the
	// node's app.toml, 0: none.
	TxsPerSecond float64 `json:"txs_per_second,omitempty"`
	TxBurst      int     `json:"tx_burst,omitempty"`
}

// Home is a cloud home directory.
type Home struct{ Dir string }

// ChainDir is chains/NAME.
func (h Home) ChainDir(name string) string { return filepath.Join(h.Dir, ChainsDir, name) }

// NodeHome is chains/NAME/home.
func (h Home) NodeHome(name string) string { return filepath.Join(h.ChainDir(name), HomeDir) }

// LogPath is chains/NAME/node.log.
func (h Home) LogPath(name string) string { return filepath.Join(h.ChainDir(name), LogFile) }

// SaveChain writes c's record atomically into chains/NAME.
func (h Home) SaveChain(c Chain) error { return SaveChainIn(h.ChainDir(c.Name), c) }

// SaveChainIn writes c's record atomically into dir.
func SaveChainIn(dir string, c Chain) error {
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return fmt.Errorf("encode chain %s: %w", c.Name, err)
	}
	return WriteFileAtomic(filepath.Join(dir, RecordFile), append(b, '\n'), 0o644)
}

// LoadChain reads chains/NAME/chain.json.
func (h Home) LoadChain(name string) (Chain, error) {
	var c Chain
	path := filepath.Join(h.ChainDir(name), RecordFile)
	b, err := os.ReadFile(path)
	if err != nil {
		return c, fmt.Errorf("chain %s: %w", name, err)
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return c, fmt.Errorf("chain %s: parse %s: %w", name, path, err)
	}
	if c.Name != name {
		return c, fmt.Errorf("chain %s: %s names %q", name, path, c.Name)
	}
	return c, nil
}

// Chains reads every chain's record, sorted by name. Directories whose
// name starts with "." are creations that never finished and are skipped.
func (h Home) Chains() ([]Chain, error) {
	names, err := recordDirs(filepath.Join(h.Dir, ChainsDir))
	if err != nil {
		return nil, fmt.Errorf("list chains: %w", err)
	}
	var out []Chain
	for _, n := range names {
		c, err := h.LoadChain(n)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// recordDirs lists the directories under base, by name, leaving out
// those starting with "." (creations that never finished); none when
// base does not exist.
func recordDirs(base string) ([]string, error) {
	entries, err := os.ReadDir(base)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
			out = append(out, e.Name())
		}
	}
	sort.Strings(out)
	return out, nil
}

// TempChainDir makes a new hidden directory under chains/ for a chain
// being created; Commit renames it into place.
func (h Home) TempChainDir(name string) (string, error) { return h.tempDir(ChainsDir, name) }

// tempDir makes a hidden directory under sub/ for name being created;
// RemoveLeftovers deletes it after a crash.
func (h Home) tempDir(sub, name string) (string, error) {
	base := filepath.Join(h.Dir, sub)
	if err := os.MkdirAll(base, 0o700); err != nil {
		return "", fmt.Errorf("%s dir: %w", sub, err)
	}
	dir, err := os.MkdirTemp(base, ".create-"+name+"-")
	if err != nil {
		return "", fmt.Errorf("%s %s: %w", sub, name, err)
	}
	return dir, nil
}

// Commit renames a finished temp chain dir to chains/NAME. Rename fails
// if chains/NAME exists and is not empty, so a racing create cannot
// overwrite a chain.
func (h Home) Commit(tmp, name string) error { return commitDir(tmp, h.ChainDir(name)) }

func commitDir(tmp, dst string) error {
	if err := os.Rename(tmp, dst); err != nil {
		return fmt.Errorf("%s: %w", filepath.Base(dst), err)
	}
	return nil
}

// RemoveLeftovers deletes the temp dirs of creations (of chains and of
// relayers) that a crash interrupted.
func (h Home) RemoveLeftovers() error {
	for _, dir := range []string{ChainsDir, RelayersDir} {
		if err := removeLeftovers(filepath.Join(h.Dir, dir)); err != nil {
			return err
		}
	}
	return nil
}

func removeLeftovers(base string) error {
	entries, err := os.ReadDir(base)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("list chains: %w", err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".create-") {
			if err := os.RemoveAll(filepath.Join(base, e.Name())); err != nil {
				return fmt.Errorf("remove leftover %s: %w", e.Name(), err)
			}
		}
	}
	return nil
}
