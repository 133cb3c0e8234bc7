package testkit

import (
	"path/filepath"
	"testing"
)

func TestRepoRootAndArtifacts(t *testing.T) {
	r := RepoRoot(t)
	if !declaresModule(filepath.Join(r, "go.mod")) {
		t.Fatalf("%s has no go.mod of %s", r, Module)
	}
	if got := RepoPath(t, "internal/testkit/doc.go"); got != filepath.Join(r, "internal", "testkit", "doc.go") {
		t.Fatalf("RepoPath: %s", got)
	}
	b := Artifact(t, "counter")
	if len(b) < 8 || string(b[:4]) != "\x00asm" {
		t.Fatalf("counter.wasm is not wasm: %d bytes", len(b))
	}
}

func TestDumpAndStore(t *testing.T) {
	s := OpenStore(t)
	kv := s.Working()
	if err := kv.Set([]byte("b"), []byte("2")); err != nil {
		t.Fatal(err)
	}
	if err := kv.Set([]byte("a"), []byte("1")); err != nil {
		t.Fatal(err)
	}
	d := Dump(t, kv)
	if len(d) != 2 || d["a"] != "1" || d["b"] != "2" {
		t.Fatalf("dump: %v", d)
	}
	if got := FormatDump(d); got != "61 = 31\n62 = 32\n" {
		t.Fatalf("FormatDump: %q", got)
	}
	if Addr(Key(1)) == Addr(Key(2)) {
		t.Fatal("keys 1 and 2 share an address")
	}
}
