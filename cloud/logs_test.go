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
