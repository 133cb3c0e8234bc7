// Package manifests writes what an orchestrator needs to run a chain's
// validators: for Kubernetes, per validator a StatefulSet of one replica
// (its data on a PersistentVolumeClaim, probes on CometBFT's /health), a
// headless Service that gives it a stable DNS name for the others'
// persistent_peers, a ConfigMap with its config.toml and app.toml and a
// Secret with its node and validator keys, plus one ConfigMap with the
// chain's genesis. It reads the homes that node/multihost or `vsysd
// testnet` wrote.
//
// It is the only package besides cmd/vsysd that imports k8s.io, and only
// cmd/vsysd imports it, so no node, server or client package carries the
// Kubernetes API types (internal/layers checks both).
package manifests
