// Package chainspec creates a new chain from a Spec: its name, the native
// modules it runs, its consensus, its validators (one home each, peers
// wired, on loopback ports it picks or on addresses the caller assigns),
// its block interval and idle heartbeat, its genesis accounts and any
// genesis parameter by JSON path. It is what `vsysd chain create` runs and
// what a control plane hosting many chains calls:
//
//	res, err := chainspec.Create("/srv/cloud/chains/shop", chainspec.Spec{
//		Name:       "shop",
//		Modules:    []string{"token", "wasm", "db"},
//		Validators: 1,
//		Accounts:   []chainspec.Account{{Address: "vsys1…", Amount: "1000000"}},
//		Params:     map[string]string{"billing.storage_price_per_byte": "2"},
//		Nodes:      []node.NodeAddrs{{RPC: "127.0.0.1:9001", P2P: "127.0.0.1:9002", CometRPC: "127.0.0.1:9003"}},
//	})
//
// Create writes into a temporary directory beside dir and renames it to
// dir at the end, so a failed create leaves nothing behind and a
// directory that exists is a whole chain. dir holds one home per
// validator (node0, node1, …; start each with `vsysd start --home`) and
// chain.json, the spec as resolved with the result (ports, node ids),
// for whoever manages the chain afterwards.
//
// Errors wrap ErrName (a bad name), ErrExists (dir is taken) or ErrSpec
// (anything else the spec gets wrong: an unknown module, a parameter path
// that does not exist or a value of the wrong type, too few addresses).
// docs/chains.md has the design.
package chainspec
