package manifests

import (
	"fmt"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// The pod's volumes besides the data claim.
const (
	volConfig  = "config"
	volGenesis = "genesis"
	volKeys    = "keys"
)

// configFiles are the files mounted into Home/config, each from its volume.
var configFiles = []struct{ file, volume string }{
	{"config.toml", volConfig},
	{"app.toml", volConfig},
	{"genesis.json", volGenesis},
	{"node_key.json", volKeys},
	{"priv_validator_key.json", volKeys},
}

// initScript prepares the data volume and waits for names. CometBFT
// exits when data/priv_validator_state.json is missing, and a new claim is
// empty, so the script writes the state of a validator that never signed
// unless one is there (a restarted pod keeps its own, which is what
// prevents double signing). CometBFT resolves p2p.external_address at
// start and drops a persistent peer whose name does not resolve yet, so
// it waits (a bounded while) for its own name and its peers'.
func initScript(hosts []string) string {
	return strings.Join([]string{
		"set -e",
		`test -f ` + Home + `/data/priv_validator_state.json || printf '{"height":"0","round":0,"step":0}' > ` + Home + `/data/priv_validator_state.json`,
		"for h in " + strings.Join(hosts, " ") + "; do",
		`  n=0; until nslookup "$h" >/dev/null 2>&1 || [ $n -ge 60 ]; do n=$((n+1)); sleep 2; done`,
		"done",
	}, "\n")
}

// statefulSet is validator i's StatefulSet of one pod running `vsysd
// start --home /vsys`, of n validators.
func statefulSet(o Options, i, n int, res corev1.ResourceRequirements, storage resource.Quantity) *appsv1.StatefulSet {
	name := validatorName(o.Chain, i)
	hosts := []string{PeerHost(o.Chain, o.Namespace, i)}
	for j := range n {
		if j != i {
			hosts = append(hosts, PeerHost(o.Chain, o.Namespace, j))
		}
	}
	mounts := []corev1.VolumeMount{{Name: DataVolume, MountPath: Home + "/data"}}
	for _, f := range configFiles {
		mounts = append(mounts, corev1.VolumeMount{Name: f.volume, MountPath: Home + "/config/" + f.file, SubPath: f.file, ReadOnly: true})
	}
	health := corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: HealthPath, Port: intstr.FromString(NameCometRPC)}}
	keyMode := int32(0o440)
	var security *corev1.PodSecurityContext
	if o.FSGroup != 0 {
		security = &corev1.PodSecurityContext{FSGroup: &o.FSGroup}
	}
	one := int32(1)
	return &appsv1.StatefulSet{
		TypeMeta:   metav1.TypeMeta{APIVersion: "apps/v1", Kind: "StatefulSet"},
		ObjectMeta: meta(o, name, i),
		Spec: appsv1.StatefulSetSpec{
			Replicas:    &one,
			ServiceName: name,
			Selector:    &metav1.LabelSelector{MatchLabels: labels(o.Chain, i)},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels(o.Chain, i)},
				Spec: corev1.PodSpec{
					SecurityContext: security,
					InitContainers: []corev1.Container{{
						Name: "init", Image: o.InitImage, Command: []string{"sh", "-c", initScript(hosts)},
						VolumeMounts: []corev1.VolumeMount{{Name: DataVolume, MountPath: Home + "/data"}},
					}},
					Containers: []corev1.Container{{
						Name: "vsysd", Image: o.Image,
						Command:   []string{"vsysd"},
						Args:      []string{"start", "--home", Home},
						Ports:     containerPorts(),
						Resources: res,
						// Readiness follows /health closely; liveness gives a
						// node replaying blocks at start room before a restart.
						ReadinessProbe: &corev1.Probe{ProbeHandler: health, PeriodSeconds: 5, FailureThreshold: 3},
						LivenessProbe: &corev1.Probe{ProbeHandler: health, InitialDelaySeconds: 30, PeriodSeconds: 10,
							TimeoutSeconds: 5, FailureThreshold: 6},
						VolumeMounts: mounts,
					}},
					Volumes: []corev1.Volume{
						{Name: volConfig, VolumeSource: corev1.VolumeSource{ConfigMap: &corev1.ConfigMapVolumeSource{
							LocalObjectReference: corev1.LocalObjectReference{Name: name + "-config"}}}},
						{Name: volGenesis, VolumeSource: corev1.VolumeSource{ConfigMap: &corev1.ConfigMapVolumeSource{
							LocalObjectReference: corev1.LocalObjectReference{Name: o.Chain + "-genesis"}}}},
						{Name: volKeys, VolumeSource: corev1.VolumeSource{Secret: &corev1.SecretVolumeSource{
							SecretName: name + "-keys", DefaultMode: &keyMode}}},
					},
				},
			},
			VolumeClaimTemplates: []corev1.PersistentVolumeClaim{{
				TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "PersistentVolumeClaim"},
				ObjectMeta: metav1.ObjectMeta{Name: DataVolume, Labels: labels(o.Chain, i)},
				Spec: corev1.PersistentVolumeClaimSpec{
					AccessModes:      []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce},
					StorageClassName: storageClass(o.StorageClass),
					Resources:        corev1.VolumeResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceStorage: storage}},
				},
			}},
		},
	}
}

func storageClass(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// P2PPeer is validator j's persistent_peers entry in the cluster.
func P2PPeer(chain, namespace, nodeID string, j int) string {
	return fmt.Sprintf("%s@%s:%d", nodeID, PeerHost(chain, namespace, j), PortP2P)
}
