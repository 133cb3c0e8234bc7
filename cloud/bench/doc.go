// Package bench measures a vsys cloud on this machine: how long a chain
// takes from cloud_createChain to its first committed block, and what a
// cloud of many idle chains costs (total and per-chain RSS, idle CPU). It
// runs a real control plane with real `vsysd start` processes in a
// temporary cloud home. `vsysd bench cloud` prints its result.
package bench
