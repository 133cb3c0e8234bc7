package api

import (
	"context"
	"errors"
	"time"
)

// The method names.
const (
	MethodCreateChain = "cloud_createChain"
	MethodListChains  = "cloud_listChains"
	MethodChainStatus = "cloud_chainStatus"
	MethodStopChain   = "cloud_stopChain"
	MethodStartChain  = "cloud_startChain"
	MethodDeleteChain = "cloud_deleteChain"
	MethodLogs        = "cloud_logs"

	MethodCreateRelayer = "cloud_createRelayer"
	MethodListRelayers  = "cloud_listRelayers"
	MethodDeleteRelayer = "cloud_deleteRelayer"
)

// Sentinel errors of the control API; the server sends each with its own
// code and the client returns it wrapped, so errors.Is works on both
// sides.
var (
	ErrBadName   = errors.New("bad chain name")
	ErrExists    = errors.New("chain exists")
	ErrNotFound  = errors.New("no such chain")
	ErrLimit     = errors.New("chain limit reached")
	ErrExhausted = errors.New("ports exhausted")
	ErrBadParams = errors.New("bad parameters")
	// ErrInUse refuses to delete a chain a relayer relays.
	ErrInUse = errors.New("in use")
)

// codes are the JSON-RPC error codes of the sentinels, in the server-error
// range the specification leaves to implementations.
var codes = []struct {
	err  error
	code int
}{
	{ErrBadName, -32010},
	{ErrExists, -32011},
	{ErrNotFound, -32012},
	{ErrLimit, -32013},
	{ErrExhausted, -32014},
	{ErrBadParams, -32015},
	{ErrInUse, -32016},
}

// CreateRequest is cloud_createChain's parameter.
type CreateRequest struct {
	Name          string `json:"name"`                     // [a-z0-9-], 1..63
	ChainID       string `json:"chain_id,omitempty"`       // default: the name
	BlockInterval string `json:"block_interval,omitempty"` // default: cloud.toml's
	// Modules, Consensus and Params are as `vsysd chain create`'s
	// (docs/chains.md): empty modules is all of them, consensus poa.
	Modules   []string          `json:"modules,omitempty"`
	Consensus string            `json:"consensus,omitempty"`
	Params    map[string]string `json:"params,omitempty"`
	// EmptyBlocks makes a block every interval even when idle; by default
	// an idle chain makes none but a heartbeat (cloud.toml's
	// chain.heartbeat), so it costs almost nothing.
	EmptyBlocks bool   `json:"empty_blocks,omitempty"`
	Heartbeat   string `json:"heartbeat,omitempty"`
	// DiskQuotaBytes is the bytes the chain's data directory may hold;
	// over it the node refuses new txs (reads and blocks go on). 0:
	// cloud.toml's limits.disk_quota_bytes.
	DiskQuotaBytes int64 `json:"disk_quota_bytes,omitempty"`
	// TxsPerSecond and TxBurst are the chain's tx admission rate (a token
	// bucket on vsys_sendRawTransaction); 0: cloud.toml's
	// limits.txs_per_second and tx_burst.
	TxsPerSecond float64 `json:"txs_per_second,omitempty"`
	TxBurst      int     `json:"tx_burst,omitempty"`
}

// NameRequest names a chain (cloud_chainStatus, stop, start, delete).
type NameRequest struct {
	Name string `json:"name"`
}

// LogsRequest is cloud_logs's parameter.
type LogsRequest struct {
	Name  string `json:"name"`
	Lines int    `json:"lines,omitempty"` // default 100
}

// Logs is cloud_logs's result: the last lines of the node's log.
type Logs struct {
	Name  string   `json:"name"`
	Lines []string `json:"lines"`
}

// Ports are a chain's ports.
type Ports struct {
	RPC      int `json:"rpc"`
	CometRPC int `json:"comet_rpc"`
	P2P      int `json:"p2p"`
}

// Chain is what the control API says of a chain.
type Chain struct {
	Name          string    `json:"name"`
	ChainID       string    `json:"chain_id"`
	Status        string    `json:"status"` // desired: running or stopped
	Running       bool      `json:"running"`
	PID           int       `json:"pid,omitempty"`
	Adopted       bool      `json:"adopted,omitempty"` // started by an earlier control plane
	Restarts      int       `json:"restarts"`
	LastExit      string    `json:"last_exit,omitempty"`
	RPCAddr       string    `json:"rpc_addr"` // host:port of the chain's JSON-RPC
	Ports         Ports     `json:"ports"`
	BlockInterval string    `json:"block_interval"`
	Home          string    `json:"home"`
	CreatedAt     time.Time `json:"created_at"`
	// Height is the latest block the node reports; cloud_chainStatus
	// only, 0 when the node does not answer.
	Height int64 `json:"height,omitempty"`
	// Limits says how the node's resource limits are enforced: "cgroup
	// v2" or the fallback (GOMAXPROCS, GOMEMLIMIT, nice, rlimits); empty
	// for a node this control plane adopted rather than started.
	Limits string `json:"limits,omitempty"`
	// DiskQuotaBytes is the node's disk quota, 0 for none.
	DiskQuotaBytes int64 `json:"disk_quota_bytes,omitempty"`
	// TxsPerSecond and TxBurst are the node's tx admission rate, 0: none.
	TxsPerSecond float64 `json:"txs_per_second,omitempty"`
	TxBurst      int     `json:"tx_burst,omitempty"`
	// Usage is the node's usage, cloud_chainStatus only: the cloud's bill
	// of this chain, beside the chain's own billing module.
	Usage *Usage `json:"usage,omitempty"`
}

// Usage is what one chain node uses.
type Usage struct {
	CPUSeconds   float64 `json:"cpu_seconds"`
	RSSBytes     int64   `json:"rss_bytes"`
	RSSPeakBytes int64   `json:"rss_peak_bytes"`
	PSSBytes     int64   `json:"pss_bytes"` // proportional set: RSS with shared pages split among their mappers
	DiskBytes    int64   `json:"disk_bytes"`
	Txs          uint64  `json:"txs"`    // txs committed (the node's vsys_status total_txs)
	Blocks       uint64  `json:"blocks"` // blocks committed (its height)
}

// CreateRelayerRequest is cloud_createRelayer's parameter: a relayer
// between chains A and B of the cloud, both with the interchain module.
type CreateRelayerRequest struct {
	Name string `json:"name"` // as a chain's name; relayers have their own names
	A    string `json:"a"`
	B    string `json:"b"`
	// TrustingPeriod of the new clients (a duration; default 14 days,
	// `vsysd relay connect`'s).
	TrustingPeriod string `json:"trusting_period,omitempty"`
}

// Relayer is what the control API says of a relayer.
type Relayer struct {
	Name     string `json:"name"`
	A        string `json:"a"`
	B        string `json:"b"`
	AChainID string `json:"a_chain_id"`
	BChainID string `json:"b_chain_id"`
	AClient  string `json:"a_client"` // A's client of B
	BClient  string `json:"b_client"` // B's client of A
	Address  string `json:"address"`  // the relayer's key on both chains
	// MetricsAddr serves the relayer's Prometheus /metrics.
	MetricsAddr string `json:"metrics_addr"`
	Running     bool   `json:"running"`
	PID         int    `json:"pid,omitempty"`
	Adopted     bool   `json:"adopted,omitempty"`
	Restarts    int    `json:"restarts"`
	LastExit    string `json:"last_exit,omitempty"`
	// Halted: it stopped on an expired or frozen client (LastExit says
	// which) and is not restarted; the client needs its chain's
	// validators (recover_client).
	Halted    bool      `json:"halted,omitempty"`
	Home      string    `json:"home"` // its keyring home
	Log       string    `json:"log"`  // its log file
	CreatedAt time.Time `json:"created_at"`
}

// Backend is what the server serves: the control plane.
type Backend interface {
	CreateChain(ctx context.Context, req CreateRequest) (Chain, error)
	ListChains(ctx context.Context) ([]Chain, error)
	ChainStatus(ctx context.Context, name string) (Chain, error)
	StopChain(ctx context.Context, name string) (Chain, error)
	StartChain(ctx context.Context, name string) (Chain, error)
	DeleteChain(ctx context.Context, name string) error
	Logs(ctx context.Context, name string, lines int) (Logs, error)
	CreateRelayer(ctx context.Context, req CreateRelayerRequest) (Relayer, error)
	ListRelayers(ctx context.Context) ([]Relayer, error)
	DeleteRelayer(ctx context.Context, name string) error
}
