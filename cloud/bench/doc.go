// Package bench measures a vsys cloud on this machine: how long a chain
// takes from cloud_createChain to its first committed block, and what a
// cloud of many idle chains costs (total and per-chain RSS, idle CPU). It
// runs a real control plane with real `vsysd start` processes in a
// temporary cloud home. `vsysd bench cloud` prints its result.
//
// The isolation bench (RunIsolation, `vsysd bench isolation`) measures
// one chain's block interval and query latency while its neighbour is
// flooded by a Flood: signed transfers from many funded accounts, counted
// as the node accepts or refuses them and checked to commit, which the
// cloud's tests also use to keep chains under load.
package bench
