package config

import (
	"os"
	"testing"
)

// TestClientConfig: client.toml round-trips, a missing file is the zero
// Client, an unknown key is an error.
func TestClientConfig(t *testing.T) {
	home := t.TempDir()
	c, err := LoadClient(home)
	if err != nil || c != (Client{}) {
		t.Fatalf("missing file: %+v %v", c, err)
	}
	if err := SaveClient(home, Client{KeyringBackend: "test"}); err != nil {
		t.Fatal(err)
	}
	if c, err = LoadClient(home); err != nil || c.KeyringBackend != "test" {
		t.Fatalf("round trip: %+v %v", c, err)
	}
	if err := os.WriteFile(ClientPath(home), []byte("keyring = \"test\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadClient(home); err == nil {
		t.Fatal("unknown key: want an error")
	}
}
