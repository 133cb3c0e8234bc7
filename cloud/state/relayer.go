package state

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// RelayersDir is the directory of the relayers in the cloud home.
const RelayersDir = "relayers"

// The files of one relayer's directory.
const (
	RelayerFile = "relayer.json" // the relayer's record
	RelayLog    = "relay.log"    // the relayer's stdout and stderr
	// RelayerHome (relayers/NAME/home) holds the relayer's keyring: its
	// key, funded on both chains at create, signs its txs there.
	RelayerHome = "home"
)

// Relayer is relayers/NAME/relayer.json: a `vsysd relay start` process
// between two of the cloud's chains.
type Relayer struct {
	Name string `json:"name"`
	// A and B are the chains' names in this cloud; AChainID and BChainID
	// their chain ids.
	A        string `json:"a"`
	B        string `json:"b"`
	AChainID string `json:"a_chain_id"`
	BChainID string `json:"b_chain_id"`
	// AClient is A's client of B, BClient B's client of A: what connect
	// made at create.
	AClient string `json:"a_client"`
	BClient string `json:"b_client"`
	// Address is the relayer key's address, the same on both chains.
	Address     string    `json:"address"`
	MetricsPort int       `json:"metrics_port"` // its Prometheus /metrics, on 127.0.0.1
	Status      string    `json:"status"`       // StatusRunning (a relayer is deleted, not stopped)
	PID         int       `json:"pid"`
	Restarts    int       `json:"restarts"`
	LastExit    string    `json:"last_exit,omitempty"`
	LastExitAt  time.Time `json:"last_exit_at,omitzero"`
	CreatedAt   time.Time `json:"created_at"`
}

// RelayerDir is relayers/NAME.
func (h Home) RelayerDir(name string) string { return filepath.Join(h.Dir, RelayersDir, name) }

// RelayerHome is relayers/NAME/home, the relayer's keyring home.
func (h Home) RelayerHome(name string) string { return filepath.Join(h.RelayerDir(name), RelayerHome) }

// RelayLogPath is relayers/NAME/relay.log.
func (h Home) RelayLogPath(name string) string { return filepath.Join(h.RelayerDir(name), RelayLog) }

// SaveRelayer writes r's record atomically into relayers/NAME.
func (h Home) SaveRelayer(r Relayer) error { return SaveRelayerIn(h.RelayerDir(r.Name), r) }

// SaveRelayerIn writes r's record atomically into dir.
func SaveRelayerIn(dir string, r Relayer) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("encode relayer %s: %w", r.Name, err)
	}
	return WriteFileAtomic(filepath.Join(dir, RelayerFile), append(b, '\n'), 0o644)
}

// Relayers reads every relayer's record, sorted by name; directories
// starting with "." (creations that never finished) are skipped.
func (h Home) Relayers() ([]Relayer, error) {
	names, err := recordDirs(filepath.Join(h.Dir, RelayersDir))
	if err != nil {
		return nil, fmt.Errorf("list relayers: %w", err)
	}
	var out []Relayer
	for _, n := range names {
		path := filepath.Join(h.RelayerDir(n), RelayerFile)
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("relayer %s: %w", n, err)
		}
		var r Relayer
		if err := json.Unmarshal(b, &r); err != nil {
			return nil, fmt.Errorf("relayer %s: parse %s: %w", n, path, err)
		}
		if r.Name != n {
			return nil, fmt.Errorf("relayer %s: %s names %q", n, path, r.Name)
		}
		out = append(out, r)
	}
	return out, nil
}

// TempRelayerDir makes a hidden directory under relayers/ for a relayer
// being created; CommitRelayer renames it into place.
func (h Home) TempRelayerDir(name string) (string, error) { return h.tempDir(RelayersDir, name) }

// CommitRelayer renames a finished temp relayer dir to relayers/NAME.
func (h Home) CommitRelayer(tmp, name string) error { return commitDir(tmp, h.RelayerDir(name)) }
