package testkit

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// Module is the Go module path of the repository, the line RepoRoot looks
// for in go.mod.
const Module = "github.com/vsys/vsys"

// ErrNoRoot is returned when no directory above the working directory
// holds the repository's go.mod.
var ErrNoRoot = errors.New("testkit: repository root not found")

var root struct {
	once sync.Once
	dir  string
	err  error
}

// RepoRoot is the repository's root directory: the nearest directory at or
// above the working directory (a test's is its package directory) whose
// go.mod declares Module. Tests name files from it instead of counting
// "../.." by hand.
func RepoRoot(t testing.TB) string {
	t.Helper()
	root.once.Do(func() { root.dir, root.err = findRoot() })
	if root.err != nil {
		t.Fatal(root.err)
	}
	return root.dir
}

func findRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrNoRoot, err)
	}
	for {
		if declaresModule(filepath.Join(dir, "go.mod")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", ErrNoRoot
		}
		dir = parent
	}
}

func declaresModule(gomod string) bool {
	f, err := os.Open(gomod)
	if err != nil {
		return false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if fields := strings.Fields(sc.Text()); len(fields) == 2 && fields[0] == "module" {
			return fields[1] == Module
		}
	}
	return false
}

// RepoPath is the absolute path of rel (slash-separated, from the
// repository root).
func RepoPath(t testing.TB, rel string) string {
	t.Helper()
	return filepath.Join(RepoRoot(t), filepath.FromSlash(rel))
}

// ArtifactPath is the absolute path of contracts/artifacts/<name>.wasm,
// the contracts `make contracts` builds and the repository commits as
// test data. It fails the test if the file is missing.
func ArtifactPath(t testing.TB, name string) string {
	t.Helper()
	p := RepoPath(t, "contracts/artifacts/"+name+".wasm")
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("testkit: contract artifact %s: %v (build the contracts: make contracts)", name, err)
	}
	return p
}

// Artifact is the bytes of contracts/artifacts/<name>.wasm.
func Artifact(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(ArtifactPath(t, name))
	if err != nil {
		t.Fatalf("testkit: contract artifact %s: %v", name, err)
	}
	return b
}
