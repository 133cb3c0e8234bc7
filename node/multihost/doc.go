// Package multihost writes the homes of a chain whose validators run on
// different hosts: one home per validator, one shared genesis with every
// validator's power, each node's external address its host's, and every
// other validator as a persistent peer by node id and host:port. It
// parses the operator's host list, checks it for clashes, and hands the
// layout to node.InitTestnet, which writes the homes; Load reads such a
// chain directory (or one `vsysd testnet` wrote) back for the manifest
// writers.
package multihost
