package relay

import (
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the relayer's Prometheus series (namespace vsys_relay).
// A nil *Metrics records nothing.
type Metrics struct {
	packets *prometheus.CounterVec   // kind (recv, ack, timeout), direction
	lag     *prometheus.HistogramVec // direction
	expiry  *prometheus.GaugeVec     // chain, client: seconds until it expires
	active  *prometheus.GaugeVec     // chain, client: 1 active, 0 expired or frozen
	errors  *prometheus.CounterVec   // direction
	rounds  prometheus.Counter

	mu        sync.Mutex
	firstSeen map[string]time.Time // direction/sequence → when this process first saw it pending
}

// NewMetrics registers the relayer's series with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		packets: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "vsys_relay", Name: "packets_total",
			Help: "Packets relayed with a SUCCESS result, by kind (recv, ack, timeout) and direction (src->dst)."}, []string{"kind", "direction"}),
		lag: prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: "vsys_relay", Name: "lag_seconds",
			Help:    "From when this relayer first saw a packet pending on its source to its receipt on the destination.",
			Buckets: []float64{0.25, 0.5, 1, 2, 3, 5, 10, 30, 60, 300}}, []string{"direction"}),
		expiry: prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: "vsys_relay", Name: "client_expiry_seconds",
			Help: "Seconds of the holding chain's block time until the client expires unless updated."}, []string{"chain", "client"}),
		active: prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: "vsys_relay", Name: "client_active",
			Help: "1 while the client is active, 0 once it is expired or frozen (the path is stopped)."}, []string{"chain", "client"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "vsys_relay", Name: "errors_total",
			Help: "Failed relay steps (reads, proofs, txs), by direction."}, []string{"direction"}),
		rounds: prometheus.NewCounter(prometheus.CounterOpts{Namespace: "vsys_relay", Name: "rounds_total",
			Help: "Relay rounds run."}),
		firstSeen: map[string]time.Time{},
	}
	reg.MustRegister(m.packets, m.lag, m.expiry, m.active, m.errors, m.rounds)
	return m
}

func seenKey(dir string, seq uint64) string { return dir + "/" + strconv.FormatUint(seq, 10) }

// seen notes when a packet was first seen pending (for the lag only:
// the relayer's work never depends on it).
func (m *Metrics) seen(dir string, seq uint64, at time.Time) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.firstSeen[seenKey(dir, seq)]; !ok {
		m.firstSeen[seenKey(dir, seq)] = at
	}
}

func (m *Metrics) relayed(kind, dir string, seq uint64, at time.Time) {
	if m == nil {
		return
	}
	m.packets.WithLabelValues(kind, dir).Inc()
	if kind != kindRecv {
		return
	}
	m.mu.Lock()
	t, ok := m.firstSeen[seenKey(dir, seq)]
	delete(m.firstSeen, seenKey(dir, seq))
	m.mu.Unlock()
	if ok {
		m.lag.WithLabelValues(dir).Observe(at.Sub(t).Seconds())
	}
}

func (m *Metrics) client(chain, id string, horizon time.Duration, active bool) {
	if m == nil {
		return
	}
	m.expiry.WithLabelValues(chain, id).Set(horizon.Seconds())
	v := 0.0
	if active {
		v = 1
	}
	m.active.WithLabelValues(chain, id).Set(v)
}

func (m *Metrics) failed(dir string) {
	if m != nil {
		m.errors.WithLabelValues(dir).Inc()
	}
}

func (m *Metrics) round() {
	if m != nil {
		m.rounds.Inc()
	}
}
