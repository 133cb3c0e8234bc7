package chainspec

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/pelletier/go-toml/v2"
)

// LoadTemplate reads a Spec from a TOML file, or JSON when the name ends
// in .json. Unknown keys are errors (a typo must not become a default).
// Parameter values may be written as strings or as TOML/JSON scalars:
//
//	name = "shop"
//	modules = ["token", "wasm", "db"]
//	[params]
//	"billing.storage_price_per_byte" = 2
func LoadTemplate(path string) (Spec, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Spec{}, fmt.Errorf("template: %w", err)
	}
	// Params decode as any, then become strings; the rest decodes as Spec.
	var raw struct {
		Spec
		Params map[string]any `json:"params" toml:"params"`
	}
	if strings.EqualFold(filepath.Ext(path), ".json") {
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		dec.UseNumber()
		err = dec.Decode(&raw)
	} else {
		dec := toml.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		err = dec.Decode(&raw)
	}
	if err != nil {
		return Spec{}, fmt.Errorf("%w: template %s: %v", ErrSpec, path, err)
	}
	s := raw.Spec
	if len(raw.Params) > 0 {
		s.Params = map[string]string{}
	}
	for k, v := range raw.Params {
		switch v.(type) {
		case map[string]any, []any:
			return Spec{}, fmt.Errorf("%w: template %s: param %s: write the full dotted path of one value", ErrSpec, path, k)
		}
		s.Params[k] = fmt.Sprint(v)
	}
	return s, nil
}
