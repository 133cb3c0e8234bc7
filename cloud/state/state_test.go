package state

import (
	"os"
	"path/filepath"
	"testing"
)

// TestConfig: a missing cloud.toml is written with the defaults, a saved
// one reads back, an unknown key and a bad range are errors.
func TestConfig(t *testing.T) {
	dir := t.TempDir()
	c, err := LoadConfig(dir)
	if err != nil || c != DefaultConfig() {
		t.Fatalf("first load: %+v %v", c, err)
	}
	if _, err := os.Stat(filepath.Join(dir, ConfigFile)); err != nil {
		t.Fatalf("defaults not written: %v", err)
	}
	c.MaxChains, c.Ports = 7, Ports{First: 40000, Last: 40099}
	if err := SaveConfig(dir, c); err != nil {
		t.Fatal(err)
	}
	if got, err := LoadConfig(dir); err != nil || got != c {
		t.Fatalf("round trip: %+v %v", got, err)
	}
	for _, bad := range []string{"max_chain = 3\n", "[ports]\nfirst = 5\nlast = 4\n", "[restart]\nstop_grace = \"0s\"\n",
		"[limits]\ndisk_quota_bytes = -1\n", "[limits]\ndisk_check_interval = \"0s\"\n",
		"[limits]\ntimer_slack = \"soon\"\n", "[limits]\ntimer_slack = \"-1ms\"\n", "[limits]\ntimer_slack = \"2s\"\n"} {
		if err := os.WriteFile(filepath.Join(dir, ConfigFile), []byte(bad), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := LoadConfig(dir); err == nil {
			t.Errorf("%q: want an error", bad)
		}
	}
}

// TestToken: the first call writes 32 random bytes as hex, mode 0600; the
// next returns the same token.
func TestToken(t *testing.T) {
	dir := t.TempDir()
	tok, err := LoadOrCreateToken(dir)
	if err != nil || len(tok) != 64 {
		t.Fatalf("token %q %v", tok, err)
	}
	fi, err := os.Stat(filepath.Join(dir, TokenFile))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("token file: %v %v", fi.Mode(), err)
	}
	if again, err := LoadOrCreateToken(dir); err != nil || again != tok {
		t.Fatalf("second call: %q %v, want %q", again, err, tok)
	}
	other, _ := LoadOrCreateToken(t.TempDir())
	if other == tok {
		t.Fatal("two homes, one token")
	}
}

// TestChains: records round-trip, unfinished creations are skipped and
// removed, and an atomic write leaves no temp file.
func TestChains(t *testing.T) {
	h := Home{Dir: t.TempDir()}
	tmp, err := h.TempChainDir("b")
	if err != nil {
		t.Fatal(err)
	}
	rec := Chain{Name: "b", ChainID: "b", Ports: ChainPorts{1, 2, 3}, Status: StatusRunning}
	if err := SaveChainIn(tmp, rec); err != nil {
		t.Fatal(err)
	}
	if l, err := h.Chains(); err != nil || len(l) != 0 {
		t.Fatalf("unfinished create listed: %v %v", l, err)
	}
	if err := h.Commit(tmp, "b"); err != nil {
		t.Fatal(err)
	}
	if err := h.SaveChain(Chain{Name: "a", Status: StatusStopped}); err == nil {
		t.Fatal("saved a record of a chain without a directory")
	}
	if l, err := h.Chains(); err != nil || len(l) != 1 || l[0] != rec {
		t.Fatalf("chains: %+v %v", l, err)
	}
	left, _ := h.TempChainDir("c")
	if err := h.RemoveLeftovers(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(left); !os.IsNotExist(err) {
		t.Fatalf("leftover %s: %v", left, err)
	}
	entries, _ := os.ReadDir(h.ChainDir("b"))
	if len(entries) != 1 || entries[0].Name() != RecordFile {
		t.Fatalf("chain dir holds %v", entries)
	}
}
