package main

import (
	"errors"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/node"
	"github.com/vsys/vsys/node/manifests"
	"github.com/vsys/vsys/node/multihost"
)

// manifestsResult is what `chain manifests` reports (--output json).
type manifestsResult struct {
	Chain      string   `json:"chain"`
	Namespace  string   `json:"namespace"`
	Homes      string   `json:"homes"` // the chain directory read (or written)
	Files      []string `json:"files"`
	Validators []string `json:"validators"` // each validator's DNS name in the cluster
}

// chainManifestsCmd is `vsysd chain manifests NAME --kubernetes --dir OUT`.
func chainManifestsCmd() *cobra.Command {
	var o manifests.Options
	var kube bool
	var dir, from string
	var validators int
	cmd := &cobra.Command{
		Use:   "manifests NAME --kubernetes --dir OUT",
		Short: "Write Kubernetes manifests for chain NAME's validators (StatefulSet, headless Service, ConfigMaps, Secret each)",
		Long: `Write Kubernetes YAML into --dir for chain NAME: NAME-genesis.yaml (the shared
genesis) and NAME-I.yaml per validator (its keys' Secret, its config's
ConfigMap, a headless Service and a StatefulSet of one pod running
vsysd start --home /vsys with its data on a PersistentVolumeClaim). Apply
them with kubectl apply -f OUT.

The validators are the homes in --from (a directory vsysd chain hosts or
vsysd testnet wrote); without it, --validators new homes are written to
OUT/homes (keep it: it holds the dev keys genesis funds).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !kube {
				return errors.New("choose a target: --kubernetes")
			}
			o.Chain = args[0]
			if from == "" {
				from = filepath.Join(dir, "homes")
				bar := newProgress(cmd, validators, "writing homes")
				_, err := node.InitTestnet(from, node.TestnetOptions{ChainID: o.Chain, Validators: validators,
					DevBalance: codec.NewU128(1_000_000_000_000_000_000), Progress: bar.Func()})
				bar.Done()
				if err != nil {
					return err
				}
			}
			homes, err := multihost.Load(from)
			if err != nil {
				return err
			}
			objs, err := manifests.Kubernetes(homes, o)
			if err != nil {
				return err
			}
			files, err := objs.Write(dir)
			if err != nil {
				return err
			}
			res := manifestsResult{Chain: o.Chain, Namespace: objs.Genesis.Namespace, Homes: from, Files: files}
			for i := range homes {
				res.Validators = append(res.Validators, manifests.PeerHost(o.Chain, res.Namespace, i))
			}
			return emit(cmd, res, func() {
				printf(cmd, "chain %q: %d validators, manifests in %s (homes from %s)\n", o.Chain, len(homes), dir, from)
				for _, f := range files {
					printf(cmd, "  %s\n", f)
				}
				printf(cmd, "apply them: kubectl apply -f %s\n", dir)
			})
		},
	}
	f := cmd.Flags()
	f.BoolVar(&kube, "kubernetes", false, "write Kubernetes manifests")
	f.StringVar(&dir, "dir", "", "directory for the manifests (required)")
	f.StringVar(&from, "from", "", "chain directory to read (node0, node1, ...); empty: write new homes to DIR/homes")
	f.IntVar(&validators, "validators", 4, "number of validators when writing new homes")
	f.StringVar(&o.Namespace, "namespace", "default", "Kubernetes namespace")
	f.StringVar(&o.Image, "image", "vsysd:latest", "the vsysd container image")
	f.StringVar(&o.InitImage, "init-image", "busybox:1.36", "image of the init container (sh and nslookup)")
	f.StringVar(&o.CPURequest, "cpu-request", "500m", "CPU request of each validator")
	f.StringVar(&o.CPULimit, "cpu-limit", "2", "CPU limit of each validator")
	f.StringVar(&o.MemoryRequest, "memory-request", "512Mi", "memory request of each validator")
	f.StringVar(&o.MemoryLimit, "memory-limit", "2Gi", "memory limit of each validator")
	f.StringVar(&o.Storage, "storage", "10Gi", "size of each validator's data volume")
	f.StringVar(&o.StorageClass, "storage-class", "", "storage class of the data volumes (empty: the cluster's default)")
	f.Int64Var(&o.FSGroup, "fs-group", 0, "pods' fsGroup, for an image that runs as non-root (0: unset)")
	_ = cmd.MarkFlagRequired("dir")
	return cmd
}
