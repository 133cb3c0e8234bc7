package chainspec

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/vsys/vsys/app/genesis"
)

// SetParams sets each path=value of set in p, in path order. A path is the
// parameter's place in the params JSON (billing.storage_price_per_byte,
// costs.call_base); the value is read by the type of what is there now: a
// string as it is, a number as a JSON number, a boolean, a list as JSON.
// The result is decoded strictly back into Params, so a value the field's
// Go type refuses (a negative count, 2^64, a fraction) is an error naming
// the path. Whether the params fit together is genesis validation's job.
func SetParams(p *genesis.Params, set map[string]string) error {
	for _, path := range slices.Sorted(maps.Keys(set)) {
		value := set[path]
		b, err := json.Marshal(*p)
		if err != nil {
			return err
		}
		var tree map[string]any
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		if err := dec.Decode(&tree); err != nil {
			return err
		}
		if err := setPath(tree, path, value); err != nil {
			return fmt.Errorf("%w: param %s: %v", ErrSpec, path, err)
		}
		if b, err = json.Marshal(tree); err != nil {
			return fmt.Errorf("%w: param %s=%q: %v", ErrSpec, path, value, err)
		}
		var next genesis.Params
		dec = json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&next); err != nil {
			return fmt.Errorf("%w: param %s=%q: %v", ErrSpec, path, value, err)
		}
		*p = next
	}
	return nil
}

// setPath replaces the leaf of tree at the dotted path with value, read by
// the kind of JSON value the leaf holds.
func setPath(tree map[string]any, path, value string) error {
	parts := strings.Split(path, ".")
	group := tree
	for i, k := range parts {
		at := strings.Join(parts[:i], ".")
		if at == "" {
			at = "params"
		}
		old, ok := group[k]
		if !ok {
			return fmt.Errorf("unknown parameter %q: %s has %s", k, at, strings.Join(slices.Sorted(maps.Keys(group)), ", "))
		}
		if i < len(parts)-1 {
			sub, ok := old.(map[string]any)
			if !ok {
				return fmt.Errorf("%s.%s is a value, not a group of parameters", at, k)
			}
			group = sub
			continue
		}
		switch o := old.(type) {
		case map[string]any:
			return fmt.Errorf("a group of parameters (%s), not a value", strings.Join(slices.Sorted(maps.Keys(o)), ", "))
		case string:
			group[k] = value
		case bool:
			v, err := strconv.ParseBool(value)
			if err != nil {
				return fmt.Errorf("%q: want true or false", value)
			}
			group[k] = v
		case json.Number:
			n, err := readJSON(value)
			if _, isNum := n.(json.Number); err != nil || !isNum {
				return fmt.Errorf("%q: want a number", value)
			}
			group[k] = n
		default: // a list, or null
			v, err := readJSON(value)
			if err != nil {
				return fmt.Errorf("%q: want JSON: %v", value, err)
			}
			group[k] = v
		}
	}
	return nil
}

// readJSON decodes one JSON value, numbers as json.Number.
func readJSON(s string) (any, error) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, fmt.Errorf("more than one value")
	}
	return v, nil
}
