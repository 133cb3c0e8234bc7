package main

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/spf13/cobra"

	"github.com/vsys/vsys/core/keys"
	"github.com/vsys/vsys/relay"
	relaybench "github.com/vsys/vsys/relay/bench"
)

// relayCmd is `vsysd relay`: connect two chains and relay between them
// (docs/interchain.md, "Relayer").
func relayCmd() *cobra.Command {
	c := &cobra.Command{Use: "relay", Short: "Connect two chains' interchain modules and relay packets between them"}
	pf := c.PersistentFlags()
	for _, side := range []string{"a", "b"} {
		pf.String(side, "", "chain "+strings.ToUpper(side)+": its vsys JSON-RPC address, or cloud:NAME for a chain of a vsys cloud (--api, --token)")
		pf.String(side+"-comet", "", "chain "+strings.ToUpper(side)+"'s CometBFT RPC address (headers for the light clients); not needed with cloud:NAME")
		pf.String(side+"-from", "", "the key that signs on chain "+strings.ToUpper(side)+" (default --from)")
		pf.String(side+"-home", "", "the home whose keyring holds chain "+strings.ToUpper(side)+"'s key (default --home; for cloud:NAME, the chain's home)")
	}
	pf.String("from", "", "the key that signs the relayer's txs on both chains (it pays their fees)")
	pf.String("api", "", "a vsys cloud's control API, for cloud:NAME (default: the cloud home's cloud.toml)")
	pf.String("token", "", "the cloud's operator token, for cloud:NAME (default: $VSYS_CLOUD_TOKEN)")
	addKeyringFlag(c)
	c.AddCommand(relayConnectCmd(), relayStartCmd())
	return c
}

func relayConnectCmd() *cobra.Command {
	p := relay.DefaultClientParams
	cmd := &cobra.Command{
		Use:   "connect",
		Short: "Create a light client of each chain on the other and register them as counterparties",
		Long: "Creates on A a client of B from B's newest header and on B a client of A, then registers each\n" +
			"as the other's counterparty (IBC v2: no handshake). Prints the two client ids, which\n" +
			"`vsysd relay start` takes as --a-client and --b-client.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			a, b, err := relayChains(cmd)
			if err != nil {
				return err
			}
			out, err := relay.Connect(cmd.Context(), a, b, p)
			if err != nil {
				return err
			}
			return emit(cmd, out, func() {
				printf(cmd, "a-client %s  (on %s, tracks %s)\nb-client %s  (on %s, tracks %s)\n",
					out.AClient, out.AChain, out.BChain, out.BClient, out.BChain, out.AChain)
			})
		},
	}
	f := cmd.Flags()
	f.DurationVar(&p.TrustingPeriod, "trusting-period", p.TrustingPeriod, "how long a header stays trusted; a client not updated for this long expires")
	f.DurationVar(&p.UnbondingPeriod, "unbonding-period", p.UnbondingPeriod, "the counterparty's unbonding period (above the trusting period)")
	f.DurationVar(&p.MaxClockDrift, "max-clock-drift", p.MaxClockDrift, "how far a header's time may run ahead of the verifying chain's")
	return cmd
}

func relayStartCmd() *cobra.Command {
	var cfg relay.Config
	var metricsAddr string
	cmd := &cobra.Command{
		Use:   "start",
		Short: "Relay packets between A and B until interrupted",
		Long: "Each round reads both chains' pending packets and delivers receives, acknowledgements and\n" +
			"timeouts in batches, updating the light clients as it goes (and before they expire). It keeps\n" +
			"nothing about packets, so it can be killed and started again at any point. It exits with an\n" +
			"error when a client is expired or frozen: that path needs its chain's validators\n" +
			"(recover_client), not retries. SIGINT or SIGTERM stops it cleanly.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if cfg.AClient == "" || cfg.BClient == "" {
				return errors.New("--a-client and --b-client are required (`vsysd relay connect` prints them)")
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			a, b, err := relayChains(cmd)
			if err != nil {
				return err
			}
			cfg.A, cfg.B = a.Endpoint, b.Endpoint
			cfg.Log = slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), nil))
			if metricsAddr != "" {
				reg := prometheus.NewRegistry()
				cfg.Metrics = relay.NewMetrics(reg)
				shutdown, err := serveMetrics(metricsAddr, reg)
				if err != nil {
					return err
				}
				defer shutdown()
			}
			r, err := relay.New(ctx, cfg)
			if err != nil {
				return err
			}
			cfg.Log.Info("relaying", "a", r.A.ChainID, "a_client", cfg.AClient, "b", r.B.ChainID, "b_client", cfg.BClient)
			if err := r.Run(ctx); err != nil {
				return err
			}
			cfg.Log.Info("stopped")
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&cfg.AClient, "a-client", "", "A's client of B (the source client of A's packets)")
	f.StringVar(&cfg.BClient, "b-client", "", "B's client of A")
	f.IntVar(&cfg.Batch, "batch", 200, "pending packets read per direction and round: the newest half, the rest from the oldest")
	f.IntVar(&cfg.MaxCallsPerTx, "max-calls-per-tx", 0, "packet calls per tx (0: as many as a tx takes; a tx is also split to stay under max_gas_per_tx)")
	f.DurationVar(&cfg.Interval, "interval", 200*time.Millisecond, "pause after a round that found nothing")
	f.DurationVar(&cfg.RecvMargin, "recv-margin", 3*time.Second, "leave a packet this close to its timeout to time out instead of receiving it")
	f.StringVar(&metricsAddr, "metrics", "", "serve Prometheus metrics on this address (host:port, at /metrics)")
	return cmd
}

// serveMetrics serves reg at http://addr/metrics until shutdown.
func serveMetrics(addr string, reg *prometheus.Registry) (func(), error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("--metrics %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return func() { _ = srv.Close() }, nil
}

// relayChains dials chains A and B from the flags.
func relayChains(cmd *cobra.Command) (*relay.Chain, *relay.Chain, error) {
	var out [2]*relay.Chain
	for i, side := range []string{"a", "b"} {
		e, err := relayEndpoint(cmd, side)
		if err != nil {
			return nil, nil, err
		}
		if out[i], err = relay.Dial(cmd.Context(), e); err != nil {
			return nil, nil, fmt.Errorf("chain %s: %w", strings.ToUpper(side), err)
		}
	}
	return out[0], out[1], nil
}

// relayEndpoint reads one side's flags: addresses (or a cloud chain's,
// from its control API) and the signing key.
func relayEndpoint(cmd *cobra.Command, side string) (relay.Endpoint, error) {
	get := func(name string) string { v, _ := cmd.Flags().GetString(name); return v }
	e := relay.Endpoint{Name: side, RPC: get(side), CometRPC: get(side + "-comet")}
	keyHome := get(side + "-home")
	if name, ok := strings.CutPrefix(e.RPC, "cloud:"); ok {
		api, err := cloudClient(cmd)
		if err != nil {
			return e, err
		}
		ch, err := api.ChainStatus(cmd.Context(), name)
		if err != nil {
			return e, fmt.Errorf("--%s %s: %w", side, e.RPC, err)
		}
		e.Name, e.RPC = name, "http://"+ch.RPCAddr
		if e.CometRPC == "" {
			e.CometRPC = fmt.Sprintf("http://127.0.0.1:%d", ch.Ports.CometRPC)
		}
		if keyHome == "" {
			keyHome = ch.Home
		}
	}
	if e.RPC == "" || e.CometRPC == "" {
		return e, fmt.Errorf("--%s and --%s-comet are required (or --%s cloud:NAME)", side, side, side)
	}
	from := get(side + "-from")
	if from == "" {
		from = get("from")
	}
	if from == "" {
		return e, fmt.Errorf("--from (or --%s-from) names the key that signs on chain %s", side, strings.ToUpper(side))
	}
	key, err := relayKey(cmd, keyHome, from)
	if err != nil {
		return e, err
	}
	e.Key = key
	return e, nil
}

// relayKey opens key name from home's keyring (empty: --home's).
func relayKey(cmd *cobra.Command, home, name string) (ed25519.PrivateKey, error) {
	if home == "" {
		return signer(cmd, name)
	}
	choice, err := keyringChoice(cmd)
	if err != nil {
		return nil, err
	}
	kr, err := keys.Open(home, choice.Backend, keys.PassphraseFromEnvOrTerminal(keyringPassphraseEnv))
	if err != nil {
		return nil, err
	}
	k, err := kr.Signer(name)
	if err != nil {
		return nil, fmt.Errorf("key %q in %s: %w", name, home, err)
	}
	return k, nil
}

// benchRelayCmd is `vsysd bench relay`.
func benchRelayCmd() *cobra.Command {
	var o relaybench.Options
	var verbose bool
	cmd := &cobra.Command{
		Use:   "relay",
		Short: "Packet round trip and packets/s of one relayer between two fresh chains",
		Long: "Starts two fresh chains in this process, connects them and runs one relayer. Sends\n" +
			"--round-trips transfers one at a time on A and times each from its send to its\n" +
			"acknowledgement back on A; then sends a burst of --burst transfers from --senders accounts\n" +
			"and times their receipt on B and acknowledgement on A (packets/s end to end). With --rate,\n" +
			"then offers transfers at that rate for --window and reports acknowledgements/s in the\n" +
			"window's steady part and the backlog at its close.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.Log = cmd.ErrOrStderr()
			if verbose {
				o.RelayLog = slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), nil))
			}
			r, err := relaybench.Run(cmd.Context(), o)
			if err != nil {
				return err
			}
			return emit(cmd, r, func() {
				ms := func(d time.Duration) string { return d.Round(time.Millisecond).String() }
				printf(cmd, "%-8s %10s %10s %8s %10s %10s %10s %10s\n", "blocks", "rt p50", "rt p99", "burst", "sent", "received", "acked", "packets/s")
				printf(cmd, "%-8s %10s %10s %8d %10s %10s %10s %10.0f\n", r.BlockInterval, ms(r.RoundTripP50), ms(r.RoundTripP99),
					r.Burst, ms(r.BurstSent), ms(r.BurstReceived), ms(r.BurstAcked), r.PacketsPerSecond)
				if s := r.Sustained; s != nil {
					printf(cmd, "sustained: offered %.0f/s for %s, %d sent, acked %.0f/s (steady part), backlog %d at the close, drained in %s\n",
						s.Rate, s.Window, s.Sent, s.AckedPerSecond, s.Backlog, ms(s.Drained))
				}
			})
		},
	}
	f := cmd.Flags()
	f.DurationVar(&o.BlockInterval, "block-interval", time.Second, "both chains' block interval")
	f.IntVar(&o.RoundTrips, "round-trips", 20, "packets sent one at a time for the round trip")
	f.IntVar(&o.Burst, "burst", 1000, "packets of the throughput burst")
	f.BoolVar(&verbose, "verbose", false, "print the relayer's lines (each round's work and timings)")
	f.Float64Var(&o.Rate, "rate", 0, "then offer transfers at this many a second for --window and report the acknowledged rate (0: no sustained run)")
	f.IntVar(&o.Batch, "batch", 0, "the relayer's --batch (0: --burst)")
	f.DurationVar(&o.Window, "window", 30*time.Second, "how long the sustained run offers --rate")
	f.IntVar(&o.Senders, "senders", 20, "accounts the burst is sent from (one tx each, at most 64 transfers a tx)")
	return cmd
}
