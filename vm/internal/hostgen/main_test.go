package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestGeneratedFilesFresh regenerates every file derived from the host
// API's table in memory and requires the committed ones to equal it.
func TestGeneratedFilesFresh(t *testing.T) {
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	files, err := render(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		got, err := os.ReadFile(filepath.Join(root, f.path))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(f.text) {
			t.Errorf("%s is stale: it is generated from %s; run `%s` and commit the result", f.path, source, Regenerate)
		}
	}
}
