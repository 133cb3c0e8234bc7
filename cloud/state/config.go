package state

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/pelletier/go-toml/v2"
)

// ConfigFile is the control plane's settings file in the cloud home.
const ConfigFile = "cloud.toml"

// Config is cloud.toml.
type Config struct {
	API       API      `toml:"api" comment:"the control API (cloud_* methods), behind the operator token"`
	Gateway   Gateway  `toml:"gateway" comment:"one address for every chain: /<chain>/ (HTTP) and /<chain>/ws (WebSocket)"`
	Metrics   Metrics  `toml:"metrics" comment:"Prometheus metrics of every chain's usage, labelled by chain"`
	Limits    Limits   `toml:"limits" comment:"resource limits of each chain node: cgroups v2 where the host has them, else GOMAXPROCS, GOMEMLIMIT, nice and rlimits (vsysd cloud status says which)"`
	Ports     Ports    `toml:"ports" comment:"the range chain ports are allocated from"`
	MaxChains int      `toml:"max_chains" comment:"most chains this cloud hosts"`
	Chain     Defaults `toml:"chain" comment:"defaults of a new chain"`
	Restart   Restart  `toml:"restart" comment:"how a crashed chain node is restarted"`
	Logs      Logs     `toml:"logs" comment:"rotation of each chain's node.log"`
}

// Logs configures node log rotation.
type Logs struct {
	MaxBytes int64 `toml:"max_bytes" comment:"node.log is rotated to node.log.1 past this size"`
	Keep     int   `toml:"keep" comment:"rotated files kept (node.log.1 .. node.log.N)"`
}

// API configures the control API listener.
type API struct {
	Address string `toml:"address" comment:"host:port of the control API; keep it on loopback or a private network"`
}

// Gateway configures the chains' shared JSON-RPC address.
type Gateway struct {
	Address string `toml:"address" comment:"host:port of the gateway; empty: no gateway"`
}

// Metrics configures the Prometheus listener.
type Metrics struct {
	Address string `toml:"address" comment:"host:port serving /metrics; empty: off"`
}

// Limits are each chain node's resource limits; zero is no limit.
type Limits struct {
	CPUs         float64 `toml:"cpus" comment:"cores per chain node (0.5: half a core)"`
	MemoryBytes  int64   `toml:"memory_bytes" comment:"memory ceiling per chain node; leave headroom, the fallback's RLIMIT_DATA counts thread stacks"`
	Nice         int     `toml:"nice" comment:"nice value of chain nodes, 0..19"`
	MaxOpenFiles uint64  `toml:"max_open_files" comment:"RLIMIT_NOFILE of chain nodes"`
	// DiskQuotaBytes is each new chain's disk quota unless its create
	// request names one; the node enforces it (app.toml [admission]).
	DiskQuotaBytes    int64  `toml:"disk_quota_bytes" comment:"bytes a new chain's data directory may hold unless its create says otherwise; over it the node refuses new txs, reads still work; 0: no quota"`
	DiskCheckInterval string `toml:"disk_check_interval" comment:"how often a chain node measures its data directory for the quota"`
	// TxsPerSecond and TxBurst are each new chain's tx admission rate
	// unless its create request names one; the node enforces it.
	TxsPerSecond float64 `toml:"txs_per_second" comment:"txs a new chain's node admits per second (vsys_sendRawTransaction, a token bucket) unless its create says otherwise; 0: no limit"`
	TxBurst      int     `toml:"tx_burst" comment:"txs admitted at once above the rate; 0: one second's worth"`
	TimerSlack   string  `toml:"timer_slack" comment:"how late the kernel may wake a chain node's timed waits, to batch an idle node's wakeups (docs/cloud.md); 0s: the kernel's 50us"`
}

// Ports is an inclusive port range.
type Ports struct {
	First int `toml:"first" comment:"first port of the range"`
	Last  int `toml:"last" comment:"last port of the range (inclusive)"`
}

// Defaults holds the defaults of a new chain.
type Defaults struct {
	BlockInterval string `toml:"block_interval" comment:"pause after each commit, unless the create request says otherwise"`
	Heartbeat     string `toml:"heartbeat" comment:"an idle chain makes no blocks but one after this long without any (0s: never)"`
}

// Restart configures the supervisor's backoff and stop.
type Restart struct {
	BackoffInitial string `toml:"backoff_initial" comment:"delay before the first restart of a crashed node"`
	BackoffMax     string `toml:"backoff_max" comment:"cap of the doubling delay"`
	StableAfter    string `toml:"stable_after" comment:"uptime after which the delay resets to backoff_initial"`
	StopGrace      string `toml:"stop_grace" comment:"time a node gets to exit after SIGTERM before SIGKILL"`
}

// Durations are Restart parsed.
type Durations struct {
	BackoffInitial, BackoffMax, StableAfter, StopGrace time.Duration
}

// DefaultConfig returns the settings of a new cloud home.
func DefaultConfig() Config {
	return Config{
		API:       API{Address: "127.0.0.1:26600"},
		Gateway:   Gateway{Address: "127.0.0.1:26610"},
		Limits:    Limits{CPUs: 1, MemoryBytes: 1 << 30, MaxOpenFiles: 4096, DiskCheckInterval: "10s", TimerSlack: "20ms"},
		Ports:     Ports{First: 27000, Last: 28999},
		MaxChains: 100,
		Chain:     Defaults{BlockInterval: "1s", Heartbeat: "30s"},
		Restart:   Restart{BackoffInitial: "250ms", BackoffMax: "30s", StableAfter: "60s", StopGrace: "10s"},
		Logs:      Logs{MaxBytes: 16 << 20, Keep: 3},
	}
}

// Durations parses and checks the restart settings.
func (c Config) Durations() (Durations, error) {
	var d Durations
	for _, f := range []struct {
		key, val string
		dst      *time.Duration
	}{
		{"backoff_initial", c.Restart.BackoffInitial, &d.BackoffInitial},
		{"backoff_max", c.Restart.BackoffMax, &d.BackoffMax},
		{"stable_after", c.Restart.StableAfter, &d.StableAfter},
		{"stop_grace", c.Restart.StopGrace, &d.StopGrace},
	} {
		v, err := time.ParseDuration(f.val)
		if err != nil || v <= 0 {
			return d, fmt.Errorf("restart.%s %q: want a positive duration such as \"1s\"", f.key, f.val)
		}
		*f.dst = v
	}
	if d.BackoffMax < d.BackoffInitial {
		return d, fmt.Errorf("restart.backoff_max %v is below restart.backoff_initial %v", d.BackoffMax, d.BackoffInitial)
	}
	return d, nil
}

// Validate checks the settings that Durations does not.
func (c Config) Validate() error {
	if c.API.Address == "" {
		return errors.New("api.address is empty")
	}
	if c.Ports.First < 1 || c.Ports.Last > 65535 || c.Ports.First > c.Ports.Last {
		return fmt.Errorf("ports %d..%d: want 1 <= first <= last <= 65535", c.Ports.First, c.Ports.Last)
	}
	if c.MaxChains < 1 {
		return fmt.Errorf("max_chains %d: want at least 1", c.MaxChains)
	}
	if c.Logs.MaxBytes < 1<<10 || c.Logs.Keep < 1 {
		return fmt.Errorf("logs: max_bytes %d, keep %d: want max_bytes >= 1024 and keep >= 1", c.Logs.MaxBytes, c.Logs.Keep)
	}
	if d, err := time.ParseDuration(c.Chain.BlockInterval); err != nil || d < 0 {
		return fmt.Errorf("chain.block_interval %q: want a duration such as \"1s\"", c.Chain.BlockInterval)
	}
	if c.Limits.TxsPerSecond < 0 || c.Limits.TxBurst < 0 {
		return fmt.Errorf("limits.txs_per_second %v, tx_burst %d: want 0 (none) or more", c.Limits.TxsPerSecond, c.Limits.TxBurst)
	}
	if c.Limits.DiskQuotaBytes < 0 {
		return fmt.Errorf("limits.disk_quota_bytes %d: want 0 (none) or more", c.Limits.DiskQuotaBytes)
	}
	if d, err := time.ParseDuration(c.Limits.DiskCheckInterval); err != nil || d <= 0 {
		return fmt.Errorf("limits.disk_check_interval %q: want a positive duration such as \"10s\"", c.Limits.DiskCheckInterval)
	}
	if _, err := c.Limits.Slack(); err != nil {
		return err
	}
	_, err := c.Durations()
	return err
}

// Slack parses TimerSlack; "" is 0, the kernel's default.
func (l Limits) Slack() (time.Duration, error) {
	if l.TimerSlack == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(l.TimerSlack)
	if err != nil || d < 0 || d > time.Second {
		return 0, fmt.Errorf("limits.timer_slack %q: want a duration from 0s to 1s, such as \"20ms\"", l.TimerSlack)
	}
	return d, nil
}

// LoadConfig reads DIR/cloud.toml over the defaults; a missing file is
// written with the defaults, an unknown key is an error.
func LoadConfig(dir string) (Config, error) {
	c := DefaultConfig()
	path := filepath.Join(dir, ConfigFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return c, SaveConfig(dir, c)
	}
	if err != nil {
		return c, fmt.Errorf("read %s: %w", path, err)
	}
	d := toml.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(&c); err != nil {
		return c, fmt.Errorf("parse %s: %w", path, err)
	}
	if err := c.Validate(); err != nil {
		return c, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// SaveConfig writes c to DIR/cloud.toml.
func SaveConfig(dir string, c Config) error {
	b, err := toml.Marshal(c)
	if err != nil {
		return fmt.Errorf("encode cloud config: %w", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("cloud home: %w", err)
	}
	header := []byte("# vsys cloud control plane settings (vsysd cloud start).\n\n")
	return WriteFileAtomic(filepath.Join(dir, ConfigFile), append(header, b...), 0o644)
}
