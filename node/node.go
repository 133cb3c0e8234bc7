package node

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	cmtdb "github.com/cometbft/cometbft-db"
	"github.com/cometbft/cometbft/abci/example/kvstore"
	abci "github.com/cometbft/cometbft/abci/types"
	cmtcfg "github.com/cometbft/cometbft/config"
	cmtflags "github.com/cometbft/cometbft/libs/cli/flags"
	"github.com/cometbft/cometbft/libs/log"
	cmtnode "github.com/cometbft/cometbft/node"
	"github.com/cometbft/cometbft/p2p"
	"github.com/cometbft/cometbft/privval"
	"github.com/cometbft/cometbft/proxy"
	rpccore "github.com/cometbft/cometbft/rpc/core"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/spf13/viper"

	"github.com/vsys/vsys/app"
	"github.com/vsys/vsys/core/state"
	"github.com/vsys/vsys/node/config"
	"github.com/vsys/vsys/rpc/jsonrpc"
	"github.com/vsys/vsys/rpc/server"
)

// AppKind selects the ABCI application a node runs.
type AppKind string

// The applications a node can run.
const (
	AppVsys    AppKind = "vsys"
	AppKVStore AppKind = "kvstore" // CometBFT's example app: the baseline of `vsysd bench`
)

// Options tune Start.
type Options struct {
	App       AppKind   // default AppVsys
	LogOutput io.Writer // default os.Stdout
	// ExitOnPanic ends the process (status 2) on a panic in the app's
	// consensus methods or CometBFT's consensus, instead of leaving it up
	// with consensus stopped (guard.go): what `vsysd start` wants under a
	// supervisor, never an in-process test node.
	ExitOnPanic bool
}

// Node is a running vsys node.
type Node struct {
	Home      string
	Config    config.App
	Comet     *cmtnode.Node
	App       *app.App        // nil when running the kvstore baseline
	RPCAddr   string          // where JSON-RPC actually listens
	JSONRPC   *jsonrpc.Server // the JSON-RPC server; its limits can be changed while it serves
	Logger    log.Logger
	store     *state.Store
	kv        *kvstore.Application
	rpcServer *http.Server
	cometDBs  []cmtdb.DB
	stopping  atomic.Bool // set by Stop: CometBFT's listeners closing is then no error
	stopDisk  func()      // stops the disk quota's measurements; nil without a quota
}

// LoadCometConfig reads <home>/config/config.toml over CometBFT's defaults.
func LoadCometConfig(home string) (*cmtcfg.Config, error) {
	v := viper.New()
	v.SetConfigFile(filepath.Join(home, "config", "config.toml"))
	if err := v.ReadInConfig(); err != nil {
		return nil, fmt.Errorf("read CometBFT config: %w", err)
	}
	cfg := cmtcfg.DefaultConfig()
	if err := v.Unmarshal(cfg); err != nil {
		return nil, fmt.Errorf("parse CometBFT config: %w", err)
	}
	cfg.SetRoot(home)
	if err := cfg.ValidateBasic(); err != nil {
		return nil, fmt.Errorf("CometBFT config: %w", err)
	}
	return cfg, nil
}

// NewLogger builds the node's structured logger from app.toml's [log].
func NewLogger(w io.Writer, c config.Log) (log.Logger, error) {
	var l log.Logger
	switch c.Format {
	case "json":
		l = log.NewTMJSONLogger(log.NewSyncWriter(w))
	case "plain", "":
		l = log.NewTMLogger(log.NewSyncWriter(w))
	default:
		return nil, fmt.Errorf("log.format %q: want plain or json", c.Format)
	}
	return cmtflags.ParseLogLevel(c.Level, l, "info")
}

// Start opens the home's state, starts CometBFT over the app, and serves
// JSON-RPC. Stop it with Stop.
func Start(home string, o Options) (_ *Node, err error) {
	if o.App == "" {
		o.App = AppVsys
	}
	if o.LogOutput == nil {
		o.LogOutput = os.Stdout
	}
	appCfg, err := config.Load(home)
	if err != nil {
		return nil, err
	}
	cfg, err := LoadCometConfig(home)
	if err != nil {
		return nil, err
	}
	if err := applyAppConfig(cfg, appCfg); err != nil {
		return nil, err
	}
	logger, err := NewLogger(o.LogOutput, appCfg.Log)
	if err != nil {
		return nil, err
	}
	n := &Node{Home: home, Config: appCfg, Logger: logger}
	defer func() {
		if err != nil {
			// A failed start reports why it failed and, joined, any store
			// that would not close behind it.
			if n.stopDisk != nil {
				n.stopDisk()
			}
			err = errors.Join(err, n.closeStores())
		}
	}()

	var abciApp abci.Application
	switch o.App {
	case AppKVStore:
		n.kv = kvstore.NewPersistentApplication(filepath.Join(home, "data", "kvstore"))
		abciApp = n.kv
	case AppVsys:
		if n.store, err = state.Open(filepath.Join(home, "data", "vsys"), stateOptions(appCfg)); err != nil {
			return nil, fmt.Errorf("open state: %w", err)
		}
		var metrics *app.Metrics
		if appCfg.Metrics.Enabled {
			if metrics, err = app.NewMetrics(prometheus.DefaultRegisterer); err != nil {
				return nil, fmt.Errorf("metrics: %w", err)
			}
		}
		n.App, err = app.New(n.store, app.Options{
			Logger: logger.With("module", "vsys"), Metrics: metrics,
			TxCacheBytes: appCfg.State.TxCacheBytes, KeepVersions: appCfg.State.KeepVersions,
			MaxParkedTxs: appCfg.Mempool.MaxParkedTxs, MaxParkedBytes: appCfg.Mempool.MaxParkedBytes,
			VMCacheDir:     filepath.Join(home, "data", "wasm-cache"),
			DiskQuotaBytes: appCfg.Admission.DiskQuotaBytes,
		})
		if err != nil {
			return nil, err
		}
		abciApp = n.App
		if err := n.watchDisk(); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("unknown app %q: want vsys or kvstore", o.App)
	}

	nodeKey, err := p2p.LoadNodeKey(cfg.NodeKeyFile())
	if err != nil {
		return nil, fmt.Errorf("load node key: %w", err)
	}
	pv := privval.LoadFilePV(cfg.PrivValidatorKeyFile(), cfg.PrivValidatorStateFile())
	abciApp = guardApp(abciApp, logger.With("module", "vsys"), faultsFromEnv(home, logger), o.ExitOnPanic)
	var cometLog log.Logger = stopAware{logger, &n.stopping}
	if o.ExitOnPanic {
		cometLog = exitOnFailure{cometLog}
	}
	n.Comet, err = cmtnode.NewNode(cfg, pv, nodeKey, proxy.NewLocalClientCreator(abciApp),
		cmtnode.DefaultGenesisDocProviderFunc(cfg), n.trackDBs,
		cmtnode.DefaultMetricsProvider(cfg.Instrumentation), cometLog)
	if err != nil {
		return nil, fmt.Errorf("create CometBFT node: %w", err)
	}
	if err := n.Comet.Start(); err != nil {
		return nil, fmt.Errorf("start CometBFT node: %w", err)
	}
	if err := n.serveRPC(); err != nil {
		_ = n.Comet.Stop()
		n.Comet.Wait()
		return nil, err
	}
	logger.With("module", "vsys").Info("node started", "home", home, "app", o.App, "json_rpc", n.RPCAddr,
		"metrics", metricsAddr(appCfg), "height", n.Comet.BlockStore().Height())
	return n, nil
}

func metricsAddr(c config.App) string {
	if !c.Metrics.Enabled {
		return "off"
	}
	return "http://" + c.Metrics.Address + "/metrics"
}

func (n *Node) serveRPC() error {
	env, err := n.Comet.ConfigureRPC()
	if err != nil {
		return fmt.Errorf("configure RPC: %w", err)
	}
	rc := n.Config.RPC
	t, err := rc.Timeouts()
	if err != nil {
		return err
	}
	adm := n.Config.Admission
	srv := server.New(server.Backend{App: n.App, Env: env, QueryGasCap: rc.QueryGasCap,
		TxsPerSecond: adm.TxsPerSecond, TxBurst: adm.TxBurst}, rc.MaxBodyBytes)
	n.JSONRPC = srv
	srv.SetHandlerTimeout(t.Query)
	srv.SetMaxInFlightBytes(rc.MaxInFlightBytes)
	srv.SetMaxWebSockets(rc.MaxWebSockets)
	limits := jsonrpc.HTTPLimits{MaxConnections: rc.MaxConnections,
		ReadHeaderTimeout: t.ReadHeader, ReadTimeout: t.Read, WriteTimeout: t.Write, IdleTimeout: t.Idle}
	ln, err := net.Listen("tcp", rc.Address)
	if err != nil {
		return fmt.Errorf("JSON-RPC listen on %s: %w", rc.Address, err)
	}
	n.RPCAddr = ln.Addr().String()
	ln = limits.Listener(ln)
	mux := http.NewServeMux()
	mux.Handle("/", srv)
	mux.Handle("/ws", srv.WebSocketHandler()) // the same methods over one WebSocket
	n.rpcServer = jsonrpc.NewHTTPServer(mux, limits)
	go func() {
		if err := n.rpcServer.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			n.Logger.Error("JSON-RPC server stopped", "err", err)
		}
	}()
	return nil
}

// Env exposes CometBFT's RPC environment (blocks, txs, mempool) in-process.
func (n *Node) Env() (*rpccore.Environment, error) { return n.Comet.ConfigureRPC() }

// Stop shuts JSON-RPC, CometBFT and the state store down, in that order,
// so no block is half-written.
func (n *Node) Stop() error {
	n.stopping.Store(true)
	if n.stopDisk != nil {
		n.stopDisk()
	}
	var errs []error
	if n.rpcServer != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		errs = append(errs, n.rpcServer.Shutdown(ctx))
		cancel()
	}
	if n.Comet != nil && n.Comet.IsRunning() {
		errs = append(errs, n.Comet.Stop())
		n.Comet.Wait()
	}
	errs = append(errs, n.closeStores())
	return errors.Join(errs...)
}

func (n *Node) closeStores() error {
	var errs []error
	for _, db := range n.cometDBs {
		// Most were closed by CometBFT already; a second Close only reports that.
		_ = db.Close()
	}
	n.cometDBs = nil
	if n.App != nil {
		errs = append(errs, n.App.Close())
	}
	if n.store != nil {
		errs = append(errs, n.store.Close())
		n.store = nil
	}
	if n.kv != nil {
		errs = append(errs, n.kv.Close())
		n.kv = nil
	}
	return errors.Join(errs...)
}

// stopAware is the logger CometBFT gets. While the node stops, CometBFT
// logs its own listeners closing as errors ("Error serving server",
// "Stopped accept routine, as transport is closed"); stopAware logs those
// as info instead, so that a clean stop logs no error line. Every other
// error, and these ones when the node is not stopping, stay errors.
type stopAware struct {
	log.Logger
	stopping *atomic.Bool
}

// Error logs msg as an error, unless it is shutdown noise (see stopAware).
func (l stopAware) Error(msg string, keyvals ...any) {
	if l.stopping.Load() && isShutdownNoise(msg, keyvals) {
		l.Logger.Info(msg, keyvals...)
		return
	}
	l.Logger.Error(msg, keyvals...)
}

// With keeps the wrapper on derived loggers (CometBFT derives one per module).
func (l stopAware) With(keyvals ...any) log.Logger {
	return stopAware{l.Logger.With(keyvals...), l.stopping}
}

// shutdownMessages are the errors CometBFT 0.38 logs when Stop closes its
// listeners, without an error value that says so.
var shutdownMessages = map[string]bool{
	"Stopped accept routine, as transport is closed": true,
}

// isShutdownNoise reports whether an error line only says that a listener
// or server was closed.
func isShutdownNoise(msg string, keyvals []any) bool {
	if shutdownMessages[msg] {
		return true
	}
	for _, v := range keyvals {
		if err, ok := v.(error); ok && (errors.Is(err, net.ErrClosed) || errors.Is(err, http.ErrServerClosed)) {
			return true
		}
	}
	return false
}
