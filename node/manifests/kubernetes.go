package manifests

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/vsys/vsys/node/multihost"
)

// Sentinel errors callers test with errors.Is.
var (
	// ErrBadName is a chain name or namespace that is not a DNS label, or
	// too long for its pods' names.
	ErrBadName = errors.New("bad name")
	// ErrBadQuantity is a resource flag that is not a Kubernetes quantity.
	ErrBadQuantity = errors.New("bad resource quantity")
)

// The container's ports and their names, the same on every validator:
// each pod has its own IP, so no two validators need distinct ports.
const (
	PortP2P      = 26656
	PortCometRPC = 26657
	PortRPC      = 8645
	PortMetrics  = 26660

	NameP2P      = "p2p"
	NameCometRPC = "comet-rpc"
	NameRPC      = "rpc"
	NameMetrics  = "metrics"
)

// Home is where the home lives in the container; DataVolume is the claim
// mounted at Home/data.
const (
	Home       = "/vsys"
	DataVolume = "data"
)

// HealthPath is CometBFT's health endpoint on its RPC port: 200 once the
// node's RPC serves. vsys's JSON-RPC answers only POST, so the probes use
// CometBFT's.
const HealthPath = "/health"

// Options configure Kubernetes.
type Options struct {
	Chain     string // the chain's name: the prefix of every object
	Namespace string // default "default"
	Image     string // the vsysd image
	// InitImage runs the init container (a POSIX shell and nslookup):
	// default busybox:1.36.
	InitImage string
	// Resources of the vsysd container, as Kubernetes quantities ("500m",
	// "1Gi"); empty ones are not set.
	CPURequest, CPULimit, MemoryRequest, MemoryLimit string

	Storage      string // size of each data claim; default 10Gi
	StorageClass string // empty: the cluster's default
	FSGroup      int64  // the pods' fsGroup, for an image that runs as non-root; 0: unset
}

// Validator is the objects of one validator, in the order they apply.
type Validator struct {
	Secret      *corev1.Secret
	Config      *corev1.ConfigMap
	Service     *corev1.Service
	StatefulSet *appsv1.StatefulSet
}

// Objects are one chain's manifests.
type Objects struct {
	Genesis    *corev1.ConfigMap
	Validators []Validator
}

// PeerHost is validator i's stable DNS name: its StatefulSet's only pod
// under its headless Service.
func PeerHost(chain, namespace string, i int) string {
	return fmt.Sprintf("%s-0.%s.%s.svc.cluster.local", validatorName(chain, i), validatorName(chain, i), namespace)
}

func validatorName(chain string, i int) string { return fmt.Sprintf("%s-%d", chain, i) }

// Kubernetes builds the manifests of the chain whose homes are homes.
func Kubernetes(homes []multihost.Home, o Options) (Objects, error) {
	if o.Namespace == "" {
		o.Namespace = "default"
	}
	if o.InitImage == "" {
		o.InitImage = "busybox:1.36"
	}
	if o.Storage == "" {
		o.Storage = "10Gi"
	}
	if o.Image == "" {
		return Objects{}, fmt.Errorf("kubernetes: an image is required")
	}
	if err := checkNames(o, len(homes)); err != nil {
		return Objects{}, err
	}
	res, storage, err := quantities(o)
	if err != nil {
		return Objects{}, err
	}
	objs := Objects{Genesis: &corev1.ConfigMap{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "ConfigMap"},
		ObjectMeta: meta(o, o.Chain+"-genesis", -1),
		Data:       map[string]string{"genesis.json": string(homes[0].Genesis)},
	}}
	for i, h := range homes {
		files, err := nodeConfig(homes, i, o)
		if err != nil {
			return Objects{}, fmt.Errorf("kubernetes: validator %d: %w", i, err)
		}
		name := validatorName(o.Chain, i)
		v := Validator{
			Secret: &corev1.Secret{
				TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "Secret"}, ObjectMeta: meta(o, name+"-keys", i),
				Type: corev1.SecretTypeOpaque,
				Data: map[string][]byte{"node_key.json": h.NodeKey, "priv_validator_key.json": h.ValidatorKey},
			},
			Config: &corev1.ConfigMap{
				TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "ConfigMap"}, ObjectMeta: meta(o, name+"-config", i),
				Data: files,
			},
			Service:     service(o, i),
			StatefulSet: statefulSet(o, i, len(homes), res, storage),
		}
		objs.Validators = append(objs.Validators, v)
	}
	return objs, nil
}

func checkNames(o Options, n int) error {
	for _, s := range []string{o.Namespace, validatorName(o.Chain, n-1) + "-0", validatorName(o.Chain, n-1) + "-config"} {
		if errs := validation.IsDNS1123Label(s); len(errs) > 0 {
			return fmt.Errorf("%w %q: %s", ErrBadName, s, strings.Join(errs, "; "))
		}
	}
	if n < 1 {
		return fmt.Errorf("kubernetes: no validators")
	}
	return nil
}

func quantities(o Options) (corev1.ResourceRequirements, resource.Quantity, error) {
	var res corev1.ResourceRequirements
	for _, q := range []struct {
		val  string
		list *corev1.ResourceList
		name corev1.ResourceName
	}{
		{o.CPURequest, &res.Requests, corev1.ResourceCPU},
		{o.MemoryRequest, &res.Requests, corev1.ResourceMemory},
		{o.CPULimit, &res.Limits, corev1.ResourceCPU},
		{o.MemoryLimit, &res.Limits, corev1.ResourceMemory},
	} {
		if q.val == "" {
			continue
		}
		v, err := resource.ParseQuantity(q.val)
		if err != nil {
			return res, resource.Quantity{}, fmt.Errorf("%w %s %q: %v", ErrBadQuantity, q.name, q.val, err)
		}
		if *q.list == nil {
			*q.list = corev1.ResourceList{}
		}
		(*q.list)[q.name] = v
	}
	storage, err := resource.ParseQuantity(o.Storage)
	if err != nil {
		return res, storage, fmt.Errorf("%w storage %q: %v", ErrBadQuantity, o.Storage, err)
	}
	return res, storage, nil
}

// labels select validator i's pod; i < 0 labels the chain's shared objects.
func labels(chain string, i int) map[string]string {
	l := map[string]string{"app.kubernetes.io/name": "vsys", "app.kubernetes.io/instance": chain}
	if i >= 0 {
		l["app.kubernetes.io/component"] = "validator"
		l["vsys.io/validator"] = strconv.Itoa(i)
	}
	return l
}

func meta(o Options, name string, i int) metav1.ObjectMeta {
	return metav1.ObjectMeta{Name: name, Namespace: o.Namespace, Labels: labels(o.Chain, i)}
}

// containerPorts are the named ports every validator serves.
func containerPorts() []corev1.ContainerPort {
	return []corev1.ContainerPort{
		{Name: NameP2P, ContainerPort: PortP2P, Protocol: corev1.ProtocolTCP},
		{Name: NameCometRPC, ContainerPort: PortCometRPC, Protocol: corev1.ProtocolTCP},
		{Name: NameRPC, ContainerPort: PortRPC, Protocol: corev1.ProtocolTCP},
		{Name: NameMetrics, ContainerPort: PortMetrics, Protocol: corev1.ProtocolTCP},
	}
}

// service is validator i's headless Service. It publishes the pod's
// address before the pod is ready: validators must find each other to
// make the blocks that make them ready.
func service(o Options, i int) *corev1.Service {
	var ports []corev1.ServicePort
	for _, p := range containerPorts() {
		ports = append(ports, corev1.ServicePort{Name: p.Name, Port: p.ContainerPort,
			TargetPort: intstr.FromString(p.Name), Protocol: p.Protocol})
	}
	return &corev1.Service{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Service"},
		ObjectMeta: meta(o, validatorName(o.Chain, i), i),
		Spec: corev1.ServiceSpec{ClusterIP: corev1.ClusterIPNone, PublishNotReadyAddresses: true,
			Selector: labels(o.Chain, i), Ports: ports},
	}
}
