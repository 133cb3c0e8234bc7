package config

import (
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// FileName is the app config's file name under <home>/config.
const FileName = "app.toml"

// App is app.toml, the node's own settings (Client is client.toml, the
// CLI's).
type App struct {
	RPC       RPC       `toml:"rpc" comment:"JSON-RPC 2.0 for dApps and the CLI"`
	Consensus Consensus `toml:"consensus"`
	State     State     `toml:"state"`
	Log       Log       `toml:"log"`
	Metrics   Metrics   `toml:"metrics"`
	Mempool   Mempool   `toml:"mempool"`
	Admission Admission `toml:"admission" comment:"node-local limits on new txs (a cloud sets them per chain); never consensus"`
	DB        DB        `toml:"db" comment:"memory of the node's goleveldb databases (a cloud makes them small); never what they store"`
}

// Admission limits what the node admits: a tx rate at its JSON-RPC door
// and a disk quota on its data directory. Both are node-local: they
// refuse txs at vsys_sendRawTransaction and CheckTx, never a block.
type Admission struct {
	TxsPerSecond      float64 `toml:"txs_per_second" comment:"txs vsys_sendRawTransaction accepts per second (token bucket); 0: no limit"`
	TxBurst           int     `toml:"tx_burst" comment:"txs accepted at once above the rate; 0: one second's worth (at least 1)"`
	DiskQuotaBytes    int64   `toml:"disk_quota_bytes" comment:"bytes the data directory may hold; over it, new txs are refused (reads still work); 0: no quota"`
	DiskCheckInterval string  `toml:"disk_check_interval" comment:"how often the data directory is measured for the quota"`
}

// DiskCheckEvery parses DiskCheckInterval.
func (a Admission) DiskCheckEvery() (time.Duration, error) {
	d, err := time.ParseDuration(a.DiskCheckInterval)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("admission.disk_check_interval %q: want a positive duration such as \"10s\"", a.DiskCheckInterval)
	}
	return d, nil
}

// check validates the admission limits.
func (a Admission) check() error {
	if a.TxsPerSecond < 0 || a.TxBurst < 0 || a.DiskQuotaBytes < 0 {
		return fmt.Errorf("admission: txs_per_second %v, tx_burst %d and disk_quota_bytes %d must not be negative",
			a.TxsPerSecond, a.TxBurst, a.DiskQuotaBytes)
	}
	_, err := a.DiskCheckEvery()
	return err
}

// Mempool bounds what one sender may park: txs waiting ahead of its next
// nonce (docs/transactions.md, "Mempool and proposals").
type Mempool struct {
	MaxParkedTxs   int   `toml:"max_parked_txs" comment:"txs one sender may have waiting for an earlier nonce"`
	MaxParkedBytes int64 `toml:"max_parked_bytes" comment:"bytes of txs one sender may have waiting for an earlier nonce"`
	CacheSize      int   `toml:"cache_size" comment:"hashes of recent txs CometBFT's mempool remembers so as not to check them twice; allocated at start; 0: none"`
}

// RPC configures the JSON-RPC server. Every limit has a default that is
// safe on a public node; see docs/operating.md.
type RPC struct {
	Address           string `toml:"address" comment:"host:port of the JSON-RPC server (HTTP POST, batches)"`
	QueryGasCap       uint64 `toml:"query_gas_cap" comment:"gas ceiling of one read-only call (vsys_call); about query_timeout's worth of a plain loop"`
	QueryTimeout      string `toml:"query_timeout" comment:"wall-clock limit of one request (a request, a whole batch, or one WebSocket message); its contracts are stopped then"`
	MaxBodyBytes      int64  `toml:"max_body_bytes" comment:"largest request body (or WebSocket message) accepted"`
	MaxInFlightBytes  int64  `toml:"max_in_flight_bytes" comment:"memory all the bodies being read or served may hold together; beyond it requests get 503"`
	MaxConnections    int    `toml:"max_connections" comment:"open TCP connections, WebSockets included; beyond it new ones wait to be accepted"`
	MaxWebSockets     int    `toml:"max_websockets" comment:"open WebSockets; beyond it handshakes get 503"`
	ReadHeaderTimeout string `toml:"read_header_timeout" comment:"time to read a request's headers"`
	ReadTimeout       string `toml:"read_timeout" comment:"time to read a whole request, headers and body"`
	WriteTimeout      string `toml:"write_timeout" comment:"time from a request's headers to the end of its response; more than read_timeout + query_timeout"`
	IdleTimeout       string `toml:"idle_timeout" comment:"how long a kept-alive connection may wait for its next request"`
}

// RPCTimeouts are the parsed durations of RPC.
type RPCTimeouts struct {
	Query, ReadHeader, Read, Write, Idle time.Duration
}

// Timeouts parses the durations of r and checks that they fit together.
func (r RPC) Timeouts() (RPCTimeouts, error) {
	var t RPCTimeouts
	for _, f := range []struct {
		key string
		val string
		dst *time.Duration
	}{
		{"query_timeout", r.QueryTimeout, &t.Query},
		{"read_header_timeout", r.ReadHeaderTimeout, &t.ReadHeader},
		{"read_timeout", r.ReadTimeout, &t.Read},
		{"write_timeout", r.WriteTimeout, &t.Write},
		{"idle_timeout", r.IdleTimeout, &t.Idle},
	} {
		d, err := time.ParseDuration(f.val)
		if err != nil || d <= 0 {
			return t, fmt.Errorf("rpc.%s %q: want a positive duration such as \"5s\"", f.key, f.val)
		}
		*f.dst = d
	}
	if t.Write <= t.Read+t.Query {
		return t, fmt.Errorf("rpc.write_timeout %v must exceed rpc.read_timeout + rpc.query_timeout (%v): the response is written after both", t.Write, t.Read+t.Query)
	}
	if r.MaxBodyBytes <= 0 || r.MaxInFlightBytes < r.MaxBodyBytes {
		return t, fmt.Errorf("rpc.max_in_flight_bytes %d must be at least rpc.max_body_bytes %d (> 0)", r.MaxInFlightBytes, r.MaxBodyBytes)
	}
	if r.MaxConnections <= 0 || r.MaxWebSockets <= 0 || r.MaxWebSockets >= r.MaxConnections {
		return t, fmt.Errorf("rpc.max_websockets %d must be positive and below rpc.max_connections %d, which WebSockets count against", r.MaxWebSockets, r.MaxConnections)
	}
	return t, nil
}

// Consensus holds node-local consensus timing.
type Consensus struct {
	BlockInterval string `toml:"block_interval" comment:"pause after each commit before the next block (CometBFT timeout_commit)"`
	// An idle chain need not make blocks: with CreateEmptyBlocks false it
	// makes one only for txs, and an empty one as a heartbeat after
	// CreateEmptyBlocksInterval without any (docs/chains.md).
	CreateEmptyBlocks         bool   `toml:"create_empty_blocks" comment:"make a block every block_interval even without txs; false: only for txs, plus the heartbeat below"`
	CreateEmptyBlocksInterval string `toml:"create_empty_blocks_interval" comment:"with create_empty_blocks = false, the longest an idle chain goes without a block (a heartbeat); 0s: never"`
}

// State configures the state store.
type State struct {
	KeepVersions int64 `toml:"keep_versions" comment:"0 keeps every height (archive); N keeps the last N"`
	TxCacheBytes int64 `toml:"tx_cache_bytes" comment:"bytes of decoded, signature-checked txs remembered between CheckTx and FinalizeBlock"`
}

// Log configures logging.
type Log struct {
	Level  string `toml:"level" comment:"debug, info or error; per module: \"consensus:info,*:error\""`
	Format string `toml:"format" comment:"plain or json"`
}

// Metrics configures Prometheus.
type Metrics struct {
	Enabled bool   `toml:"enabled" comment:"serve CometBFT's and the app's metrics at /metrics"`
	Address string `toml:"address" comment:"host:port of the Prometheus listener"`
}

// Default returns the defaults for a development node.
func Default() App {
	return App{
		RPC: RPC{
			Address: "127.0.0.1:8645",
			// A plain loop burns about 200M gas per CPU second (vm's
			// BenchmarkLoopGasRate): 1G lasts about the 5 s deadline.
			QueryGasCap: 1_000_000_000, QueryTimeout: "5s",
			MaxBodyBytes: 10 << 20, MaxInFlightBytes: 128 << 20,
			MaxConnections: 512, MaxWebSockets: 256,
			ReadHeaderTimeout: "10s", ReadTimeout: "30s", WriteTimeout: "60s", IdleTimeout: "120s",
		},
		Consensus: Consensus{BlockInterval: "1s", CreateEmptyBlocks: true, CreateEmptyBlocksInterval: "0s"},
		State:     State{KeepVersions: 0, TxCacheBytes: 128 << 20},
		Log:       Log{Level: "vsys:info,*:error", Format: "plain"},
		Metrics:   Metrics{Enabled: true, Address: "127.0.0.1:26660"},
		Mempool:   Mempool{MaxParkedTxs: 16, MaxParkedBytes: 4 << 20, CacheSize: 200_000},
		Admission: Admission{DiskCheckInterval: "10s"},
	}
}

// BlockInterval parses Consensus.BlockInterval.
func (c App) BlockInterval() (time.Duration, error) {
	d, err := time.ParseDuration(c.Consensus.BlockInterval)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("consensus.block_interval %q: want a duration such as \"1s\" or \"200ms\"", c.Consensus.BlockInterval)
	}
	return d, nil
}

// EmptyBlocksInterval parses Consensus.CreateEmptyBlocksInterval.
func (c App) EmptyBlocksInterval() (time.Duration, error) {
	d, err := time.ParseDuration(c.Consensus.CreateEmptyBlocksInterval)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("consensus.create_empty_blocks_interval %q: want a duration such as \"30s\" (0s: no heartbeat)", c.Consensus.CreateEmptyBlocksInterval)
	}
	return d, nil
}

// Path returns <home>/config/app.toml.
func Path(home string) string { return filepath.Join(home, "config", FileName) }

// Load reads <home>/config/app.toml over the defaults: a key missing from
// the file keeps its default, an unknown key is an error.
func Load(home string) (App, error) {
	c := Default()
	b, err := os.ReadFile(Path(home))
	if err != nil {
		return c, fmt.Errorf("read app config: %w", err)
	}
	if err := decodeStrict(Path(home), b, &c); err != nil {
		return c, err
	}
	if _, err := c.BlockInterval(); err != nil {
		return c, err
	}
	if _, err := c.EmptyBlocksInterval(); err != nil {
		return c, err
	}
	if _, err := c.RPC.Timeouts(); err != nil {
		return c, err
	}
	if err := c.Admission.check(); err != nil {
		return c, err
	}
	if c.Mempool.CacheSize < 0 {
		return c, fmt.Errorf("mempool.cache_size %d: want a number of txs (0: no cache)", c.Mempool.CacheSize)
	}
	if err := c.DB.check(); err != nil {
		return c, err
	}
	return c, nil
}

// Save writes c to <home>/config/app.toml.
func Save(home string, c App) error {
	return writeTOML(Path(home), "# vsys node-local settings. Chain rules (gas costs, limits) are in genesis.json, not here.\n\n", c)
}
