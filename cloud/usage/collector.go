package usage

import "github.com/prometheus/client_golang/prometheus"

// ChainUsage is one chain's row of the bill.
type ChainUsage struct {
	Chain string
	Proc
	DiskBytes int64
	Txs       uint64 // txs committed
	Blocks    uint64 // blocks committed (the height)
}

// Metric names, all labelled by chain.
const (
	MetricCPUSeconds = "vsys_cloud_chain_cpu_seconds_total"
	MetricRSS        = "vsys_cloud_chain_rss_bytes"
	MetricRSSPeak    = "vsys_cloud_chain_rss_peak_bytes"
	MetricPSS        = "vsys_cloud_chain_pss_bytes"
	MetricDisk       = "vsys_cloud_chain_disk_bytes"
	MetricTxs        = "vsys_cloud_chain_txs_total"
	MetricBlocks     = "vsys_cloud_chain_blocks_total"
)

type metric struct {
	desc  *prometheus.Desc
	kind  prometheus.ValueType
	value func(ChainUsage) float64
}

// Collector is a prometheus.Collector of every chain's usage.
type Collector struct {
	chains  func() []ChainUsage
	metrics []metric
}

// NewCollector returns a collector that calls chains at each scrape. A
// chain's CPU seconds and counts are counters: they restart at zero when
// its node process does, which Prometheus's rate() reads as a reset.
func NewCollector(chains func() []ChainUsage) *Collector {
	labels := []string{"chain"}
	m := func(name, help string, kind prometheus.ValueType, v func(ChainUsage) float64) metric {
		return metric{prometheus.NewDesc(name, help, labels, nil), kind, v}
	}
	return &Collector{chains: chains, metrics: []metric{
		m(MetricCPUSeconds, "CPU time (user+system) of the chain's node process, in seconds.", prometheus.CounterValue,
			func(u ChainUsage) float64 { return u.CPUSeconds }),
		m(MetricRSS, "Resident memory of the chain's node process.", prometheus.GaugeValue,
			func(u ChainUsage) float64 { return float64(u.RSSBytes) }),
		m(MetricRSSPeak, "Peak resident memory (VmHWM) of the chain's node process.", prometheus.GaugeValue,
			func(u ChainUsage) float64 { return float64(u.RSSPeakBytes) }),
		m(MetricPSS, "Proportional memory of the chain's node process: private pages plus its share of pages shared with other nodes (the executable); the nodes' PSS adds up to the memory they use.", prometheus.GaugeValue,
			func(u ChainUsage) float64 { return float64(u.PSSBytes) }),
		m(MetricDisk, "Bytes of the chain's home directory.", prometheus.GaugeValue,
			func(u ChainUsage) float64 { return float64(u.DiskBytes) }),
		m(MetricTxs, "Transactions the chain has committed.", prometheus.CounterValue,
			func(u ChainUsage) float64 { return float64(u.Txs) }),
		m(MetricBlocks, "Blocks the chain has committed.", prometheus.CounterValue,
			func(u ChainUsage) float64 { return float64(u.Blocks) }),
	}}
}

// Describe sends every metric's description.
func (c *Collector) Describe(ch chan<- *prometheus.Desc) {
	for _, m := range c.metrics {
		ch <- m.desc
	}
}

// Collect sends every chain's values. A chain listed twice is sent once
// (the first row), since Prometheus refuses duplicate series.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	seen := map[string]bool{}
	for _, u := range c.chains() {
		if seen[u.Chain] {
			continue
		}
		seen[u.Chain] = true
		for _, m := range c.metrics {
			ch <- prometheus.MustNewConstMetric(m.desc, m.kind, m.value(u), u.Chain)
		}
	}
}
