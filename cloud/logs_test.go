package cloud

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestTail: the last n lines, across read blocks, of files with and
// without a final newline, short and empty.
func TestTail(t *testing.T) {
	dir := t.TempDir()
	var lines []string
	for i := range 20000 {
		lines = append(lines, fmt.Sprintf("line %05d %s", i, strings.Repeat("x", i%50)))
	}
	for _, c := range []struct {
		name, body string
		n          int
		want       []string
	}{
		{"long", strings.Join(lines, "\n") + "\n", 3000, lines[len(lines)-3000:]},
		{"no final newline", strings.Join(lines[:10], "\n"), 2, lines[8:10]},
		{"short", "a\nb\n", 100, []string{"a", "b"}},
		{"empty", "", 5, []string{}},
	} {
		path := filepath.Join(dir, c.name)
		if err := os.WriteFile(path, []byte(c.body), 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := tail(path, c.n)
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("%s: %d lines %v, want %d", c.name, len(got), err, len(c.want))
		}
	}
	if got, err := tail(filepath.Join(dir, "missing"), 5); err != nil || len(got) != 0 {
		t.Errorf("missing file: %v %v", got, err)
	}
}

// TestRotateLog: past max_bytes the log moves to .1 (older ones shift up,
// the oldest beyond keep is dropped) and a writer holding the log open
// with O_APPEND, as a node does, goes on writing from the start of the
// truncated file.
func TestRotateLog(t *testing.T) {
	path := filepath.Join(t.TempDir(), "node.log")
	w, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	write := func(s string) {
		if _, err := w.WriteString(s); err != nil {
			t.Fatal(err)
		}
	}
	read := func(p string) string {
		b, err := os.ReadFile(p)
		if err != nil {
			return "<" + err.Error() + ">"
		}
		return string(b)
	}
	write("small\n")
	if rotated, err := rotateLog(path, 1024, 2); err != nil || rotated {
		t.Fatalf("under the limit: rotated %v, %v", rotated, err)
	}
	for gen := 1; gen <= 3; gen++ {
		write(strings.Repeat(fmt.Sprintf("gen %d\n", gen), 300))
		if rotated, err := rotateLog(path, 1024, 2); err != nil || !rotated {
			t.Fatalf("gen %d: rotated %v, %v", gen, rotated, err)
		}
		if got := read(path); got != "" {
			t.Fatalf("gen %d: log not truncated: %d bytes", gen, len(got))
		}
	}
	write("after\n")
	if got := read(path); got != "after\n" {
		t.Errorf("an O_APPEND writer after the truncate: %q, want it at offset 0", got)
	}
	if got := read(path + ".1"); !strings.HasPrefix(got, "gen 3\n") || strings.Contains(got, "gen 2") {
		t.Errorf(".1 should hold only gen 3, got %.20q…", got)
	}
	if got := read(path + ".2"); !strings.HasPrefix(got, "gen 2\n") || strings.Contains(got, "small") {
		t.Errorf(".2 should hold only gen 2, got %.20q…", got)
	}
	if _, err := os.Stat(path + ".3"); err == nil {
		t.Error("keep=2 left a .3")
	}
}
