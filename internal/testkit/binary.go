package testkit

import (
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"testing"
)

// VsysdPackage is the import path of the vsysd command.
const VsysdPackage = Module + "/cmd/vsysd"

// RunWithBinary is a TestMain for tests that run a built command as a
// child process: it builds the main package pkg (an import path, so the
// caller's directory does not matter) into a temp dir, sets *bin to the
// binary's path, runs the tests and removes the dir. TestMain passes its
// result to os.Exit:
//
//	func TestMain(m *testing.M) { os.Exit(testkit.RunWithBinary(m, testkit.VsysdPackage, &vsysdBin)) }
func RunWithBinary(m *testing.M, pkg string, bin *string) int {
	dir, err := os.MkdirTemp("", "vsys-bin-")
	if err != nil {
		fmt.Fprintf(os.Stderr, "testkit: temp dir: %v\n", err)
		return 1
	}
	defer os.RemoveAll(dir)
	*bin = filepath.Join(dir, path.Base(pkg))
	if out, err := exec.Command("go", "build", "-o", *bin, pkg).CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "testkit: build %s: %v\n%s", pkg, err, out)
		return 1
	}
	return m.Run()
}
