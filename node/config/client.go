package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// ClientFileName is the CLI's own config file under <home>/config. It is
// apart from app.toml because it configures the client commands (tx,
// query, keys), not the node, and may differ between users of one home.
const ClientFileName = "client.toml"

// Client is client.toml: the defaults of the CLI's client commands. A
// command-line flag beats the environment, which beats this file.
type Client struct {
	KeyringBackend string `toml:"keyring_backend,omitempty" comment:"keyring of --from and key names: file (passphrase-protected) or test (unencrypted); $VSYS_KEYRING_BACKEND and --keyring-backend override it"`
}

// ClientPath returns <home>/config/client.toml.
func ClientPath(home string) string { return filepath.Join(home, "config", ClientFileName) }

// LoadClient reads <home>/config/client.toml. A missing file is the zero
// Client (every default); an unknown key is an error.
func LoadClient(home string) (Client, error) {
	var c Client
	b, err := os.ReadFile(ClientPath(home))
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return c, fmt.Errorf("read client config: %w", err)
	}
	if err := decodeStrict(ClientPath(home), b, &c); err != nil {
		return c, err
	}
	return c, nil
}

// SaveClient writes c to <home>/config/client.toml.
func SaveClient(home string, c Client) error {
	return writeTOML(ClientPath(home), "# vsysd client settings (tx, query, keys). Flags and environment variables override them.\n\n", c)
}
