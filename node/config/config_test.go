package config

import (
	"os"
	"testing"
	"time"
)

func TestSaveLoad(t *testing.T) {
	home := t.TempDir()
	c := Default()
	c.Consensus.BlockInterval = "250ms"
	c.RPC.Address = "127.0.0.1:1"
	c.Admission = Admission{TxsPerSecond: 2.5, TxBurst: 10, DiskQuotaBytes: 1 << 30, DiskCheckInterval: "3s"}
	c = Small(c)
	if err := Save(home, c); err != nil {
		t.Fatal(err)
	}
	got, err := Load(home)
	if err != nil {
		t.Fatal(err)
	}
	if got != c {
		t.Fatalf("round trip: %+v != %+v", got, c)
	}
	// Small changes only the node's memory: [db] and the mempool cache.
	small, def := Small(Default()), Default()
	if small.DB == def.DB || small.Mempool.CacheSize >= def.Mempool.CacheSize {
		t.Fatalf("Small: %+v", small)
	}
	small.DB, small.Mempool.CacheSize = def.DB, def.Mempool.CacheSize
	if small != def {
		t.Fatalf("Small changed more than [db] and mempool.cache_size: %+v", small)
	}
	if d, _ := got.BlockInterval(); d != 250*time.Millisecond {
		t.Fatalf("interval %v", d)
	}
}

func TestLoadRejects(t *testing.T) {
	cases := map[string]string{
		"unknown key":                 "[rpc]\naddres = \"x\"\n", //nolint:misspell // the typo is the test
		"bad interval":                "[consensus]\nblock_interval = \"soon\"\n",
		"bad heartbeat":               "[consensus]\ncreate_empty_blocks_interval = \"-1s\"\n",
		"not toml":                    "{{{",
		"bad timeout":                 "[rpc]\nquery_timeout = \"forever\"\n",
		"zero timeout":                "[rpc]\nread_timeout = \"0s\"\n",
		"write too short":             "[rpc]\nwrite_timeout = \"20s\"\n",
		"websockets over connections": "[rpc]\nmax_websockets = 600\n",
		"budget below one body":       "[rpc]\nmax_in_flight_bytes = 1024\n",
		"negative tx rate":            "[admission]\ntxs_per_second = -1\n",
		"negative quota":              "[admission]\ndisk_quota_bytes = -5\n",
		"bad disk interval":           "[admission]\ndisk_check_interval = \"0s\"\n",
		"negative mempool cache":      "[mempool]\ncache_size = -1\n",
		"negative write buffer":       "[db]\nwrite_buffer_bytes = -1\n",
		"tiny write buffer":           "[db]\nwrite_buffer_bytes = 4096\n",
		"negative block cache":        "[db]\nblock_cache_bytes = -1\n",
		"negative open files":         "[db]\nopen_files = -1\n",
	}
	for name, body := range cases {
		home := t.TempDir()
		writeConfig(t, home, body)
		if _, err := Load(home); err == nil {
			t.Errorf("%s: want an error", name)
		}
	}
	// A file that sets one key keeps the other defaults.
	home := t.TempDir()
	writeConfig(t, home, "[log]\nlevel = \"error\"\n")
	c, err := Load(home)
	if err != nil || c.Log.Level != "error" || c.RPC.Address != Default().RPC.Address {
		t.Fatalf("partial file: %+v %v", c, err)
	}
}

func TestDefaultRPCLimits(t *testing.T) {
	tt, err := Default().RPC.Timeouts()
	if err != nil {
		t.Fatal(err)
	}
	if tt.Query != 5*time.Second || tt.Read != 30*time.Second || tt.Write != 60*time.Second {
		t.Fatalf("defaults %+v", tt)
	}
}

// writeConfig writes body as home's app.toml, failing the test if it can't.
func writeConfig(t *testing.T, home, body string) {
	t.Helper()
	if err := os.MkdirAll(home+"/config", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(Path(home), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}
