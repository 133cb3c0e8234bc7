// Package bench is the load generator behind `vsysd bench`: it starts a
// real node (vsysd start, as a child process) on a fresh home, signs a
// batch of token transfers from many funded accounts, submits them over
// JSON-RPC, and measures committed tx/s, commit latency and the node's
// peak memory. The same load pattern runs against CometBFT's kvstore
// example in the same node wiring, so vsys's figures come with a baseline
// measured in the same run.
package bench
