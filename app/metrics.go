package app

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the app's Prometheus metrics, served beside CometBFT's on
// the node's Prometheus listener. A nil *Metrics records nothing.
type Metrics struct {
	txs       *prometheus.CounterVec
	gasUsed   prometheus.Counter
	blockTime prometheus.Histogram
	blockTxs  prometheus.Histogram
}

// NewMetrics registers the app's metrics with reg.
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	m := &Metrics{
		txs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "vsys", Name: "txs_total",
			Help: "Transactions by result: ok and failed were executed in a block, rejected never entered the mempool.",
		}, []string{"result"}),
		gasUsed: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: "vsys", Name: "gas_used_total", Help: "Gas used by executed transactions.",
		}),
		blockTime: prometheus.NewHistogram(prometheus.HistogramOpts{
			Namespace: "vsys", Name: "block_execution_seconds", Help: "Time FinalizeBlock took to execute a block.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 16),
		}),
		blockTxs: prometheus.NewHistogram(prometheus.HistogramOpts{
			Namespace: "vsys", Name: "block_txs", Help: "Transactions per block.",
			Buckets: prometheus.ExponentialBuckets(1, 4, 10),
		}),
	}
	for _, c := range []prometheus.Collector{m.txs, m.gasUsed, m.blockTime, m.blockTxs} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func (m *Metrics) txDone(ok bool) {
	if m == nil {
		return
	}
	if ok {
		m.txs.WithLabelValues("ok").Inc()
	} else {
		m.txs.WithLabelValues("failed").Inc()
	}
}

func (m *Metrics) txRejected() {
	if m != nil {
		m.txs.WithLabelValues("rejected").Inc()
	}
}

func (m *Metrics) blockDone(d time.Duration, txs int, gas uint64) {
	if m == nil {
		return
	}
	m.blockTime.Observe(d.Seconds())
	m.blockTxs.Observe(float64(txs))
	m.gasUsed.Add(float64(gas))
}
