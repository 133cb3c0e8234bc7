package config

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"github.com/pelletier/go-toml/v2"
)

// decodeStrict decodes the TOML b, read from path, over dst: a key that
// dst lacks is an error (a typo must not be silently ignored).
func decodeStrict(path string, b []byte, dst any) error {
	d := toml.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(dst); err != nil {
		return fmt.Errorf("parse %s: %w", path, err)
	}
	return nil
}

// writeTOML writes v as TOML to path, after a header comment, creating
// the directory.
func writeTOML(path, header string, v any) error {
	b, err := toml.Marshal(v)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, append([]byte(header), b...), 0o644)
}
