package manifests

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"sigs.k8s.io/yaml"
)

// Marshal writes objects as one YAML stream, documents separated by
// "---". It drops what the typed objects carry but a manifest has no use
// for: status and null fields (creationTimestamp).
func Marshal(objects ...any) ([]byte, error) {
	var out bytes.Buffer
	for i, obj := range objects {
		j, err := json.Marshal(obj)
		if err != nil {
			return nil, fmt.Errorf("manifest: %w", err)
		}
		var tree map[string]any
		if err := json.Unmarshal(j, &tree); err != nil {
			return nil, fmt.Errorf("manifest: %w", err)
		}
		delete(tree, "status")
		prune(tree)
		y, err := yaml.Marshal(tree)
		if err != nil {
			return nil, fmt.Errorf("manifest: %w", err)
		}
		if i > 0 {
			out.WriteString("---\n")
		}
		out.Write(y)
	}
	return out.Bytes(), nil
}

// prune removes null values, and the status of nested objects (the
// claim templates), from v in place.
func prune(v any) {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			if x == nil {
				delete(t, k)
				continue
			}
			if k == "volumeClaimTemplates" {
				for _, c := range x.([]any) {
					delete(c.(map[string]any), "status")
				}
			}
			prune(x)
		}
	case []any:
		for _, x := range t {
			prune(x)
		}
	}
}

// Write writes objs into dir: CHAIN-genesis.yaml and one CHAIN-I.yaml
// per validator (its Secret, ConfigMap, Service and StatefulSet), 0600
// since they hold the validators' keys. It returns the files' paths.
func (objs Objects) Write(dir string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("manifests: %w", err)
	}
	var paths []string
	put := func(name string, objects ...any) error {
		b, err := Marshal(objects...)
		if err != nil {
			return err
		}
		p := filepath.Join(dir, name+".yaml")
		if err := os.WriteFile(p, b, 0o600); err != nil {
			return fmt.Errorf("manifests: %w", err)
		}
		paths = append(paths, p)
		return nil
	}
	if err := put(objs.Genesis.Name, objs.Genesis); err != nil {
		return nil, err
	}
	for _, v := range objs.Validators {
		if err := put(v.StatefulSet.Name, v.Secret, v.Config, v.Service, v.StatefulSet); err != nil {
			return nil, err
		}
	}
	return paths, nil
}
