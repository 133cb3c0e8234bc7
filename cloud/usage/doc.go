// Package usage measures what each chain of the cloud costs the host: the
// CPU seconds and resident memory of its node's process, read from /proc
// (through prometheus/procfs), and the bytes of its home directory; and
// exports them, with the chain's tx and block counts, as Prometheus
// metrics labelled by chain. It is the cloud's bill, beside each chain's
// own billing module.
//
// The control plane owns the list of chains and their processes, so the
// collector asks it, at each scrape, through the function given to
// NewCollector; nothing here keeps state between scrapes.
package usage
