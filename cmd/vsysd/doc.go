// Command vsysd is the vsys node and its command-line client: init and
// start a chain, manage keys, send txs, query state, and load-test a node.
package main
