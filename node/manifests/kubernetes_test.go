package manifests_test

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	cmtjson "github.com/cometbft/cometbft/libs/json"
	"github.com/cometbft/cometbft/p2p"
	"github.com/cometbft/cometbft/privval"
	"github.com/cometbft/cometbft/types"
	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"sigs.k8s.io/yaml"

	"github.com/vsys/vsys/node"
	"github.com/vsys/vsys/node/config"
	"github.com/vsys/vsys/node/manifests"
	"github.com/vsys/vsys/node/multihost"
)

// decoded is one validator's file, decoded strictly.
type decoded struct {
	secret  corev1.Secret
	config  corev1.ConfigMap
	service corev1.Service
	sts     appsv1.StatefulSet
}

// decodeStrict decodes each document of a YAML stream into the k8s.io/api
// type its kind names, refusing any field the type does not have.
func decodeStrict(t *testing.T, path string) []any {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var out []any
	for _, doc := range bytes.Split(b, []byte("\n---\n")) {
		var tm metav1.TypeMeta
		require.NoError(t, yaml.Unmarshal(doc, &tm))
		var obj any
		switch tm.APIVersion + "/" + tm.Kind {
		case "v1/Secret":
			obj = &corev1.Secret{}
		case "v1/ConfigMap":
			obj = &corev1.ConfigMap{}
		case "v1/Service":
			obj = &corev1.Service{}
		case "apps/v1/StatefulSet":
			obj = &appsv1.StatefulSet{}
		default:
			t.Fatalf("%s: unexpected kind %s/%s", path, tm.APIVersion, tm.Kind)
		}
		require.NoError(t, yaml.UnmarshalStrict(doc, obj), "%s: %s", path, tm.Kind)
		out = append(out, obj)
	}
	return out
}

// writeHome puts files into home/config, so the node's own loaders read them.
func writeHome(t *testing.T, files map[string]string) string {
	t.Helper()
	home := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(home, "config"), 0o700))
	for name, body := range files {
		require.NoError(t, os.WriteFile(filepath.Join(home, "config", name), []byte(body), 0o600))
	}
	return home
}

func port(t *testing.T, addr string) int32 {
	t.Helper()
	_, p, err := net.SplitHostPort(strings.TrimPrefix(addr, "tcp://"))
	require.NoError(t, err, addr)
	n, err := strconv.Atoi(p)
	require.NoError(t, err)
	return int32(n)
}

// TestKubernetesManifests: the manifests of a 3-validator chain that
// node/multihost wrote decode strictly, and every validator, volume,
// port, probe and peer in them is named and consistent: a peer in
// validator i's config.toml is validator j's pod under j's headless
// Service at j's p2p port, with the node id of j's Secret.
func TestKubernetesManifests(t *testing.T) {
	chainDir := t.TempDir()
	hosts, err := multihost.ParseHosts([]string{"10.0.0.1:26656", "10.0.0.2:26656", "10.0.0.3:26656"}, multihost.DefaultPorts)
	require.NoError(t, err)
	_, err = multihost.Write(chainDir, multihost.Options{ChainID: "kube", Hosts: hosts})
	require.NoError(t, err)
	homes, err := multihost.Load(chainDir)
	require.NoError(t, err)

	o := manifests.Options{Chain: "kube", Namespace: "chains", Image: "registry.example/vsysd:v1",
		CPURequest: "250m", CPULimit: "1", MemoryRequest: "256Mi", MemoryLimit: "1Gi", Storage: "5Gi", StorageClass: "fast"}
	objs, err := manifests.Kubernetes(homes, o)
	require.NoError(t, err)
	outDir := t.TempDir()
	files, err := objs.Write(outDir)
	require.NoError(t, err)
	require.Len(t, files, 4)
	for _, f := range files {
		st, err := os.Stat(f)
		require.NoError(t, err)
		require.Equal(t, os.FileMode(0o600), st.Mode().Perm(), "%s holds keys", f)
	}

	gdocs := decodeStrict(t, filepath.Join(outDir, "kube-genesis.yaml"))
	require.Len(t, gdocs, 1)
	genesisCM := gdocs[0].(*corev1.ConfigMap)
	require.Equal(t, "chains", genesisCM.Namespace)
	gen, err := types.GenesisDocFromJSON([]byte(genesisCM.Data["genesis.json"]))
	require.NoError(t, err)
	require.Equal(t, "kube", gen.ChainID)
	require.Len(t, gen.Validators, 3)

	vals := make([]decoded, len(homes))
	for i := range homes {
		docs := decodeStrict(t, filepath.Join(outDir, fmt.Sprintf("kube-%d.yaml", i)))
		require.Len(t, docs, 4)
		vals[i] = decoded{*docs[0].(*corev1.Secret), *docs[1].(*corev1.ConfigMap), *docs[2].(*corev1.Service), *docs[3].(*appsv1.StatefulSet)}
	}
	configMaps := map[string]corev1.ConfigMap{genesisCM.Name: *genesisCM}
	secrets := map[string]corev1.Secret{}
	for _, v := range vals {
		configMaps[v.config.Name] = v.config
		secrets[v.secret.Name] = v.secret
	}
	nodeIDs := make([]string, len(vals))
	for j, v := range vals {
		dir := writeHome(t, map[string]string{"node_key.json": string(v.secret.Data["node_key.json"]),
			"priv_validator_key.json": string(v.secret.Data["priv_validator_key.json"])})
		key, err := p2p.LoadNodeKey(filepath.Join(dir, "config", "node_key.json"))
		require.NoError(t, err)
		nodeIDs[j] = string(key.ID())
		require.Equal(t, homes[j].NodeID, nodeIDs[j])
		pv := privval.LoadFilePVEmptyState(filepath.Join(dir, "config", "priv_validator_key.json"), "")
		require.True(t, slices.ContainsFunc(gen.Validators, func(g types.GenesisValidator) bool {
			return g.Address.String() == pv.GetAddress().String() && g.Power > 0
		}), "validator %d's key is a genesis validator with power", j)
	}

	for i, v := range vals {
		name := fmt.Sprintf("kube-%d", i)
		for _, m := range []metav1.ObjectMeta{v.secret.ObjectMeta, v.config.ObjectMeta, v.service.ObjectMeta, v.sts.ObjectMeta} {
			require.Equal(t, "chains", m.Namespace)
			require.True(t, strings.HasPrefix(m.Name, name), m.Name)
		}
		sts, svc := v.sts, v.service
		require.Equal(t, name, sts.Name)
		require.Equal(t, int32(1), *sts.Spec.Replicas)
		require.Equal(t, svc.Name, sts.Spec.ServiceName, "the StatefulSet's pods are named under its headless Service")
		require.Equal(t, corev1.ClusterIPNone, svc.Spec.ClusterIP)
		require.True(t, svc.Spec.PublishNotReadyAddresses)
		podLabels := labels.Set(sts.Spec.Template.Labels)
		sel, err := metav1.LabelSelectorAsSelector(sts.Spec.Selector)
		require.NoError(t, err)
		require.True(t, sel.Matches(podLabels))
		require.True(t, labels.SelectorFromSet(svc.Spec.Selector).Matches(podLabels))
		for j, other := range vals {
			if j != i {
				require.False(t, labels.SelectorFromSet(svc.Spec.Selector).Matches(labels.Set(other.sts.Spec.Template.Labels)),
					"service %d selects only its own validator, not %d", i, j)
			}
		}

		pod := sts.Spec.Template.Spec
		require.Len(t, pod.Containers, 1)
		c := pod.Containers[0]
		require.Equal(t, o.Image, c.Image)
		require.Equal(t, []string{"vsysd", "start", "--home", manifests.Home}, append(slices.Clone(c.Command), c.Args...))
		ports := map[string]int32{}
		for _, p := range c.Ports {
			require.NotEmpty(t, p.Name)
			ports[p.Name] = p.ContainerPort
		}
		require.Len(t, ports, 4)
		for _, sp := range svc.Spec.Ports {
			require.Equal(t, ports[sp.Name], sp.Port, "service port %s", sp.Name)
			require.Contains(t, ports, sp.TargetPort.StrVal, "service port %s targets a named container port", sp.Name)
		}
		require.Len(t, svc.Spec.Ports, len(ports))

		// The node's own config listens where the pod's named ports say.
		home := writeHome(t, map[string]string{"config.toml": v.config.Data["config.toml"], "app.toml": v.config.Data["app.toml"]})
		cfg, err := node.LoadCometConfig(home)
		require.NoError(t, err)
		app, err := config.Load(home)
		require.NoError(t, err)
		require.Equal(t, ports[manifests.NameP2P], port(t, cfg.P2P.ListenAddress))
		require.Equal(t, ports[manifests.NameCometRPC], port(t, cfg.RPC.ListenAddress))
		require.Equal(t, ports[manifests.NameRPC], port(t, app.RPC.Address))
		require.Equal(t, ports[manifests.NameMetrics], port(t, app.Metrics.Address))
		require.Equal(t, homes[i].Moniker, cfg.Moniker)
		require.Equal(t, "data/addrbook.json", cfg.P2P.AddrBook, "config/ is read-only in the pod")

		for _, probe := range []*corev1.Probe{c.ReadinessProbe, c.LivenessProbe} {
			require.NotNil(t, probe)
			require.NotNil(t, probe.HTTPGet)
			require.Equal(t, "/health", probe.HTTPGet.Path, "CometBFT's health endpoint")
			require.Equal(t, port(t, cfg.RPC.ListenAddress), ports[probe.HTTPGet.Port.StrVal], "probe on the CometBFT RPC port")
		}

		want := func(q string) resource.Quantity { return resource.MustParse(q) }
		require.True(t, want("250m").Equal(c.Resources.Requests[corev1.ResourceCPU]))
		require.True(t, want("256Mi").Equal(c.Resources.Requests[corev1.ResourceMemory]))
		require.True(t, want("1").Equal(c.Resources.Limits[corev1.ResourceCPU]))
		require.True(t, want("1Gi").Equal(c.Resources.Limits[corev1.ResourceMemory]))

		// Every mount names a volume or the claim; every file it mounts is
		// a key of the ConfigMap or Secret that volume names.
		require.Len(t, sts.Spec.VolumeClaimTemplates, 1)
		claim := sts.Spec.VolumeClaimTemplates[0]
		require.Equal(t, manifests.DataVolume, claim.Name)
		require.Equal(t, []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce}, claim.Spec.AccessModes)
		require.True(t, want("5Gi").Equal(claim.Spec.Resources.Requests[corev1.ResourceStorage]))
		require.Equal(t, "fast", *claim.Spec.StorageClassName)
		volumes := map[string]corev1.Volume{}
		for _, vol := range pod.Volumes {
			volumes[vol.Name] = vol
		}
		mounted := map[string]bool{}
		for _, ctr := range append(slices.Clone(pod.InitContainers), c) {
			for _, m := range ctr.VolumeMounts {
				if m.Name == claim.Name {
					require.Equal(t, manifests.Home+"/data", m.MountPath)
					continue
				}
				vol, ok := volumes[m.Name]
				require.True(t, ok, "mount %s names a volume", m.Name)
				require.True(t, m.ReadOnly)
				require.Equal(t, manifests.Home+"/config/"+m.SubPath, m.MountPath)
				switch {
				case vol.ConfigMap != nil:
					cm, ok := configMaps[vol.ConfigMap.Name]
					require.True(t, ok, "volume %s's ConfigMap %s exists", vol.Name, vol.ConfigMap.Name)
					require.Contains(t, cm.Data, m.SubPath)
				case vol.Secret != nil:
					s, ok := secrets[vol.Secret.SecretName]
					require.True(t, ok, "volume %s's Secret %s exists", vol.Name, vol.Secret.SecretName)
					require.Equal(t, name+"-keys", s.Name, "a validator mounts its own keys")
					require.Contains(t, s.Data, m.SubPath)
				default:
					t.Fatalf("volume %s: neither ConfigMap nor Secret", vol.Name)
				}
				mounted[m.SubPath] = true
			}
		}
		for _, f := range []string{"config.toml", "app.toml", "genesis.json", "node_key.json", "priv_validator_key.json"} {
			require.True(t, mounted[f], "%s is mounted", f)
		}

		// Peers: every other validator, by its pod's DNS name, its p2p
		// port and its node id.
		self := fmt.Sprintf("%s-0.%s.chains.svc.cluster.local", sts.Name, sts.Spec.ServiceName)
		require.Equal(t, fmt.Sprintf("tcp://%s:%d", self, ports[manifests.NameP2P]), cfg.P2P.ExternalAddress)
		peers := strings.Split(cfg.P2P.PersistentPeers, ",")
		require.Len(t, peers, len(vals)-1)
		seen := map[int]bool{}
		for _, p := range peers {
			id, addr, ok := strings.Cut(p, "@")
			require.True(t, ok, p)
			host, pp, err := net.SplitHostPort(addr)
			require.NoError(t, err)
			j := slices.IndexFunc(vals, func(d decoded) bool {
				return host == fmt.Sprintf("%s-0.%s.%s.svc.cluster.local", d.sts.Name, d.sts.Spec.ServiceName, d.service.Namespace)
			})
			require.GreaterOrEqual(t, j, 0, "peer %s resolves to a validator's headless service", p)
			require.NotEqual(t, i, j)
			require.Equal(t, nodeIDs[j], id, "peer %s has validator %d's node id", p, j)
			var p2pPort int32
			for _, sp := range vals[j].service.Spec.Ports {
				if sp.Name == manifests.NameP2P {
					p2pPort = sp.Port
				}
			}
			require.Equal(t, strconv.Itoa(int(p2pPort)), pp, "peer %s on validator %d's p2p service port", p, j)
			seen[j] = true
		}
		require.Len(t, seen, len(vals)-1)
		require.Contains(t, pod.InitContainers[0].Command[2], self, "the init container waits for its own name")
	}
}

// TestKubernetesFromTestnet: a chain directory `vsysd testnet` wrote
// (node.InitTestnet on loopback) makes manifests too.
func TestKubernetesFromTestnet(t *testing.T) {
	dir := t.TempDir()
	_, err := node.InitTestnet(dir, node.TestnetOptions{ChainID: "tn", Validators: 2})
	require.NoError(t, err)
	homes, err := multihost.Load(dir)
	require.NoError(t, err)
	objs, err := manifests.Kubernetes(homes, manifests.Options{Chain: "tn", Image: "vsysd:dev"})
	require.NoError(t, err)
	require.Len(t, objs.Validators, 2)
	require.Equal(t, "default", objs.Genesis.Namespace)
	require.Contains(t, objs.Validators[0].Config.Data["config.toml"], manifests.P2PPeer("tn", "default", homes[1].NodeID, 1))
	require.Empty(t, objs.Validators[0].StatefulSet.Spec.Template.Spec.Containers[0].Resources.Limits)
}

func TestKubernetesRejects(t *testing.T) {
	dir := t.TempDir()
	_, err := node.InitTestnet(dir, node.TestnetOptions{ChainID: "r", Validators: 1})
	require.NoError(t, err)
	homes, err := multihost.Load(dir)
	require.NoError(t, err)
	ok := manifests.Options{Chain: "r", Image: "vsysd:dev"}
	for _, c := range []struct {
		edit func(*manifests.Options)
		want error
	}{
		{func(o *manifests.Options) { o.Chain = "Bad_Name" }, manifests.ErrBadName},
		{func(o *manifests.Options) { o.Chain = strings.Repeat("a", 62) }, manifests.ErrBadName},
		{func(o *manifests.Options) { o.Namespace = "no/slash" }, manifests.ErrBadName},
		{func(o *manifests.Options) { o.CPULimit = "lots" }, manifests.ErrBadQuantity},
		{func(o *manifests.Options) { o.Storage = "10 GB" }, manifests.ErrBadQuantity},
	} {
		o := ok
		c.edit(&o)
		_, err := manifests.Kubernetes(homes, o)
		require.ErrorIs(t, err, c.want, "%+v", o)
	}
	_, err = manifests.Kubernetes(homes, manifests.Options{Chain: "r"})
	require.ErrorContains(t, err, "image")
	_, err = multihost.Load(t.TempDir())
	require.ErrorIs(t, err, multihost.ErrNoChain)
}

// TestInitScriptSeedsStateOnce runs the init container's script with sh
// (the data path moved to a temp dir, name lookups stubbed): on an empty
// claim it writes a last-sign state CometBFT reads, and on a claim that
// has one it leaves it alone, which is what keeps a restarted validator
// from signing a height twice.
func TestInitScriptSeedsStateOnce(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	dir := t.TempDir()
	_, err := node.InitTestnet(dir, node.TestnetOptions{ChainID: "s", Validators: 2})
	require.NoError(t, err)
	homes, err := multihost.Load(dir)
	require.NoError(t, err)
	objs, err := manifests.Kubernetes(homes, manifests.Options{Chain: "s", Image: "vsysd:dev"})
	require.NoError(t, err)
	init := objs.Validators[0].StatefulSet.Spec.Template.Spec.InitContainers[0]
	require.Equal(t, []string{"sh", "-c"}, init.Command[:2])
	root := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(root, "data"), 0o700))
	script := strings.ReplaceAll(init.Command[2], manifests.Home, root)
	script = strings.ReplaceAll(script, `nslookup "$h"`, `test -n "$h"`)
	require.Contains(t, script, `test -n "$h"`, "the lookup is stubbed, so the script does not wait")
	run := func() {
		out, err := exec.Command("sh", "-c", script).CombinedOutput()
		require.NoError(t, err, "%s", out)
	}
	statePath := filepath.Join(root, "data", "priv_validator_state.json")
	run()
	b, err := os.ReadFile(statePath)
	require.NoError(t, err)
	var st privval.FilePVLastSignState
	require.NoError(t, cmtjson.Unmarshal(b, &st), "%s", b)
	require.Equal(t, int64(0), st.Height)

	signed := []byte(`{"height":"42","round":0,"step":3}`)
	require.NoError(t, os.WriteFile(statePath, signed, 0o600))
	run()
	b, err = os.ReadFile(statePath)
	require.NoError(t, err)
	require.Equal(t, signed, b, "a claim's own state is kept")
}
