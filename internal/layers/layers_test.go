package layers

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/vsys/vsys/internal/testkit"
)

const mod = testkit.Module + "/"

// pkg is what the layering rules read of `go list -json`.
type pkg struct {
	ImportPath string
	Imports    []string // direct imports of the non-test files
	Deps       []string // every package it depends on, transitively
}

// rel is a path without the module prefix ("core/tx"), or "" for a
// package outside the module.
func rel(path string) string {
	if !strings.HasPrefix(path, mod) {
		return ""
	}
	return strings.TrimPrefix(path, mod)
}

// match reports whether p matches pattern, in the go tool's form: "core"
// is that package alone, "core/..." is it and every package below it.
func match(p, pattern string) bool {
	if dir, ok := strings.CutSuffix(pattern, "/..."); ok {
		return p == dir || strings.HasPrefix(p, dir+"/")
	}
	return p == pattern
}

func matchAny(p string, patterns ...string) bool {
	return slices.ContainsFunc(patterns, func(pat string) bool { return match(p, pat) })
}

// rule is one layer's allowance: packages matching pkgs may import, of
// the module's packages, only those matching allowed and none matching
// denied.
type rule struct {
	pkgs    string
	allowed []string // nil: anything not denied
	denied  []string
}

// rules are the layers of docs/architecture.md, most specific first: a
// package is judged by the first rule it matches.
var rules = []rule{
	{pkgs: "core/...", allowed: []string{"core/..."}},
	{pkgs: "vm/...", allowed: []string{"core/...", "vm/..."}},
	// The light client is pure verification (docs/interchain.md): the
	// codec and proof leaves, never the router or the store.
	{pkgs: "modules/interchain/lightclient", allowed: []string{"core/codec", "core/proof"}},
	{pkgs: "modules/...", allowed: []string{"core/...", "vm/...", "modules/..."}},
	{pkgs: "app/...", denied: []string{"rpc/...", "node/...", "cmd/..."}},
	{pkgs: "rpc", allowed: []string{"core/..."}},
	{pkgs: "rpc/jsonrpc", allowed: []string{"core/..."}},
	{pkgs: "rpc/client", allowed: []string{"core/...", "rpc", "rpc/jsonrpc"}},
	{pkgs: "rpc/server", denied: []string{"node/...", "cmd/..."}},
	// The cloud sits above node/: it runs nodes as processes and makes
	// their homes, so it needs node, the RPC client and genesis, never
	// the app or the modules themselves (internal/dirsize measures a
	// chain's disk, shared with the node's quota).
	{pkgs: "cloud/...", allowed: []string{"cloud/...", "node/...", "rpc/...", "core/...", "app/genesis", "internal/dirsize"}},
	// The relayer sits above the Go client, below cmd: it reads chains
	// only through their RPCs and uses the interchain module's pure
	// packages (packet, lightclient and its fetch), never the app, the node, the VM or
	// the module itself. Its bench (relay/bench) alone also starts nodes.
	{pkgs: "relay/bench", allowed: []string{"relay", "node", "node/config", "app/genesis", "core/...", "rpc/client", "modules/interchain/packet"}},
	{pkgs: "relay/...", allowed: []string{"relay/...", "core/...", "rpc", "rpc/client", "rpc/jsonrpc", "modules/interchain/packet", "modules/interchain/wire", "modules/interchain/lightclient", "modules/interchain/lightclient/fetch"}},
}

// clientDenied are the packages the Go client must not depend on, even
// transitively: the VM, the store and CometBFT's consensus machinery. A
// dApp that imports the client gets wire types, the tx/codec/address
// leaves and CometBFT's light client, nothing more.
var clientDenied = []string{
	"github.com/tetratelabs/wazero",
	"github.com/cosmos/iavl",
	"github.com/cosmos/cosmos-db",
	"github.com/cometbft/cometbft/consensus",
	"github.com/cometbft/cometbft/mempool",
	"github.com/cometbft/cometbft/state",
	"github.com/cometbft/cometbft/node",
	"github.com/cometbft/cometbft/store",
	"github.com/cometbft/cometbft/evidence",
	"github.com/cometbft/cometbft/blocksync",
	"github.com/cometbft/cometbft/statesync",
	mod + "core/state",
	mod + "app",
	mod + "vm",
	mod + "modules",
	mod + "node",
	"k8s.io",
	"sigs.k8s.io",
}

// kubePkgs are the only packages that may import the Kubernetes API
// (k8s.io/..., sigs.k8s.io/...): the manifest writer and the CLI, which
// alone imports the writer. No node, server or client package carries it.
var kubePkgs = []string{"node/manifests", "cmd/vsysd"}

// isKube reports whether an import path is of the Kubernetes API's modules.
func isKube(path string) bool {
	return strings.HasPrefix(path, "k8s.io/") || strings.HasPrefix(path, "sigs.k8s.io/")
}

const clientPkg = mod + "rpc/client"

// lctestPkg signs headers with made-up validators: tests only.
const lctestPkg = "modules/interchain/lightclient/lctest"

// violations lists every broken rule of pkgs, one line each.
func violations(pkgs []pkg) []string {
	var out []string
	for _, p := range pkgs {
		from := rel(p.ImportPath)
		if from == "" {
			continue
		}
		for _, imp := range p.Imports {
			if isKube(imp) && !matchAny(from, kubePkgs...) {
				out = append(out, fmt.Sprintf("%s imports %s: only %s import Kubernetes", from, imp, strings.Join(kubePkgs, ", ")))
			}
			to := rel(imp)
			if to == "" {
				continue
			}
			if match(to, "node/manifests") && !match(from, "cmd/...") {
				out = append(out, fmt.Sprintf("%s imports %s: only cmd imports the manifest writer", from, to))
			}
			if match(to, "cmd/...") {
				out = append(out, fmt.Sprintf("%s imports %s: nothing imports cmd", from, to))
			}
			if match(to, "cloud/...") && !matchAny(from, "cloud/...", "cmd/...") {
				out = append(out, fmt.Sprintf("%s imports %s: only cmd imports the cloud, the layer above node", from, to))
			}
			if match(to, "relay/...") && !matchAny(from, "relay/...", "cmd/...") {
				out = append(out, fmt.Sprintf("%s imports %s: only cmd imports the relayer, the layer above rpc/client", from, to))
			}
			if match(to, "internal/testkit/...") && !matchAny(from, "internal/...", "node/e2e") {
				out = append(out, fmt.Sprintf("%s imports %s: the test kit is for tests (and node/e2e)", from, to))
			}
			if match(to, lctestPkg) && !match(from, "node/e2e") {
				out = append(out, fmt.Sprintf("%s imports %s: the light client's test kit is for tests (and node/e2e)", from, to))
			}
			if r, ok := ruleFor(from); ok && !r.permits(to) {
				out = append(out, fmt.Sprintf("%s imports %s: %s may import %s", from, to, r.pkgs, r.describe()))
			}
		}
		if p.ImportPath == clientPkg {
			for _, bad := range clientDenied {
				var hits []string
				for _, d := range p.Deps {
					if d == bad || strings.HasPrefix(d, bad+"/") {
						hits = append(hits, d)
					}
				}
				if len(hits) > 0 {
					out = append(out, fmt.Sprintf("rpc/client depends on %s (%d packages of %s)", hits[0], len(hits), bad))
				}
			}
		}
	}
	return out
}

func ruleFor(p string) (rule, bool) {
	for _, r := range rules {
		if match(p, r.pkgs) {
			return r, true
		}
	}
	return rule{}, false
}

func (r rule) permits(to string) bool {
	if matchAny(to, r.denied...) {
		return false
	}
	return r.allowed == nil || matchAny(to, r.allowed...)
}

func (r rule) describe() string {
	if r.allowed != nil {
		return "only " + strings.Join(r.allowed, ", ")
	}
	return "anything but " + strings.Join(r.denied, ", ")
}

// goList runs `go list -json` over the module's packages.
func goList(t *testing.T, args ...string) []pkg {
	t.Helper()
	cmd := exec.Command("go", append([]string{"list", "-json"}, args...)...)
	cmd.Dir = testkit.RepoRoot(t)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	var pkgs []pkg
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p pkg
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("go list output: %v", err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

// TestLayers: the tree as it is keeps every rule, and the Go client's
// dependencies are counted (the figure: 669 before the re-layout).
func TestLayers(t *testing.T) {
	pkgs := goList(t, "./...")
	if len(pkgs) < 20 {
		t.Fatalf("go list found %d packages", len(pkgs))
	}
	var client *pkg
	for i := range pkgs {
		if pkgs[i].ImportPath == clientPkg {
			client = &pkgs[i]
		}
	}
	if client == nil {
		t.Fatalf("no %s in go list", clientPkg)
	}
	for _, v := range violations(pkgs) {
		t.Error(v)
	}
	var nonStd int
	for _, d := range client.Deps {
		if first, _, _ := strings.Cut(d, "/"); strings.Contains(first, ".") {
			nonStd++
		}
	}
	// go list -deps also lists the package itself.
	t.Logf("rpc/client depends on %d packages (go list -deps: %d lines), %d outside the standard library",
		len(client.Deps), len(client.Deps)+1, nonStd)
}

// TestLayersCatchBreaks: each kind of rule fails on a tree that breaks it,
// so TestLayers cannot pass by checking nothing.
func TestLayersCatchBreaks(t *testing.T) {
	cases := []struct {
		name string
		pkg  pkg
		want string
	}{
		{"core imports modules", pkg{ImportPath: mod + "core/tx", Imports: []string{mod + "modules/token"}}, "core/tx imports modules/token"},
		{"vm imports modules", pkg{ImportPath: mod + "vm", Imports: []string{mod + "modules/wasm"}}, "vm imports modules/wasm"},
		{"modules import app", pkg{ImportPath: mod + "modules/token", Imports: []string{mod + "app"}}, "modules/token imports app"},
		{"app imports rpc", pkg{ImportPath: mod + "app", Imports: []string{mod + "rpc"}}, "app imports rpc"},
		{"app/genesis imports node", pkg{ImportPath: mod + "app/genesis", Imports: []string{mod + "node/config"}}, "app/genesis imports node/config"},
		{"rpc imports app", pkg{ImportPath: mod + "rpc", Imports: []string{mod + "app"}}, "rpc imports app"},
		{"rpc/jsonrpc imports rpc", pkg{ImportPath: mod + "rpc/jsonrpc", Imports: []string{mod + "rpc"}}, "rpc/jsonrpc imports rpc:"},
		{"client imports server", pkg{ImportPath: clientPkg, Imports: []string{mod + "rpc/server"}}, "rpc/client imports rpc/server"},
		{"client imports app", pkg{ImportPath: clientPkg, Imports: []string{mod + "app"}}, "rpc/client imports app"},
		{"node imports cmd", pkg{ImportPath: mod + "node", Imports: []string{mod + "cmd/vsysd"}}, "nothing imports cmd"},
		{"node imports cloud", pkg{ImportPath: mod + "node", Imports: []string{mod + "cloud"}}, "node imports cloud: only cmd"},
		{"rpc/server imports cloud", pkg{ImportPath: mod + "rpc/server", Imports: []string{mod + "cloud/api"}}, "rpc/server imports cloud/api"},
		{"cloud imports app", pkg{ImportPath: mod + "cloud", Imports: []string{mod + "app"}}, "cloud imports app: cloud/... may import only"},
		{"cloud imports a module", pkg{ImportPath: mod + "cloud/state", Imports: []string{mod + "modules/token"}}, "cloud/state imports modules/token"},
		{"relay imports the module", pkg{ImportPath: mod + "relay", Imports: []string{mod + "modules/interchain"}}, "relay imports modules/interchain: relay/..."},
		{"relay imports node", pkg{ImportPath: mod + "relay", Imports: []string{mod + "node"}}, "relay imports node"},
		{"node imports relay", pkg{ImportPath: mod + "node/bench", Imports: []string{mod + "relay"}}, "only cmd imports the relayer"},
		{"relay imports app", pkg{ImportPath: mod + "relay", Imports: []string{mod + "app"}}, "relay imports app"},
		{"app imports the kit", pkg{ImportPath: mod + "app", Imports: []string{mod + "internal/testkit"}}, "the test kit is for tests"},
		{"client pulls wazero", pkg{ImportPath: clientPkg, Deps: []string{"github.com/tetratelabs/wazero/api"}}, "depends on github.com/tetratelabs/wazero/api"},
		{"client pulls consensus", pkg{ImportPath: clientPkg, Deps: []string{"github.com/cometbft/cometbft/consensus"}}, "depends on github.com/cometbft/cometbft/consensus"},
		{"client pulls iavl", pkg{ImportPath: clientPkg, Deps: []string{"github.com/cosmos/iavl"}}, "depends on github.com/cosmos/iavl"},
		{"node imports k8s", pkg{ImportPath: mod + "node", Imports: []string{"k8s.io/api/core/v1"}}, "only node/manifests, cmd/vsysd import Kubernetes"},
		{"server imports sigs yaml", pkg{ImportPath: mod + "rpc/server", Imports: []string{"sigs.k8s.io/yaml"}}, "rpc/server imports sigs.k8s.io/yaml"},
		{"node/e2e imports manifests", pkg{ImportPath: mod + "node/e2e", Imports: []string{mod + "node/manifests"}}, "only cmd imports the manifest writer"},
		{"client pulls k8s", pkg{ImportPath: clientPkg, Deps: []string{"k8s.io/apimachinery/pkg/runtime"}}, "depends on k8s.io/apimachinery/pkg/runtime"},
		{"client pulls the store", pkg{ImportPath: clientPkg, Deps: []string{mod + "core/state"}}, "depends on " + mod + "core/state"},
		{"light client imports the router", pkg{ImportPath: mod + "modules/interchain/lightclient", Imports: []string{mod + "core/router"}}, "lightclient imports core/router"},
		{"a module imports lctest", pkg{ImportPath: mod + "modules/interchain", Imports: []string{mod + lctestPkg}}, "the light client's test kit is for tests"},
	}
	for _, c := range cases {
		got := violations([]pkg{c.pkg})
		if !slices.ContainsFunc(got, func(v string) bool { return strings.Contains(v, c.want) }) {
			t.Errorf("%s: want a violation %q, got %q", c.name, c.want, got)
		}
	}
	fine := []pkg{
		{ImportPath: mod + "modules/wasm", Imports: []string{mod + "vm", mod + "core/router", mod + "modules/native"}},
		{ImportPath: mod + "app/genesis", Imports: []string{mod + "modules/billing", mod + "vm/wasm"}},
		{ImportPath: clientPkg, Imports: []string{mod + "rpc", mod + "rpc/jsonrpc", mod + "core/tx"},
			Deps: []string{"github.com/cometbft/cometbft/light", "github.com/cometbft/cometbft/statesyncish"}},
		{ImportPath: mod + "node/e2e", Imports: []string{mod + "internal/testkit"}},
		{ImportPath: mod + "node/manifests", Imports: []string{"k8s.io/api/apps/v1", "sigs.k8s.io/yaml", mod + "node/multihost"}},
		{ImportPath: mod + "cmd/vsysd", Imports: []string{mod + "node/manifests"}},
		{ImportPath: mod + "cloud", Imports: []string{mod + "node", mod + "app/genesis", mod + "rpc/client", mod + "cloud/api"}},
		{ImportPath: mod + "cmd/vsysd", Imports: []string{mod + "cloud"}},
		{ImportPath: mod + "relay", Imports: []string{mod + "rpc/client", mod + "modules/interchain/lightclient", mod + "core/tx"}},
		{ImportPath: mod + "relay/bench", Imports: []string{mod + "relay", mod + "node"}},
	}
	if got := violations(fine); len(got) != 0 {
		t.Errorf("allowed imports reported: %q", got)
	}
}
