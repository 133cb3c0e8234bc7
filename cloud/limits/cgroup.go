package limits

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

// cpuPeriod is cpu.max's period, in microseconds (the kernel's default).
const cpuPeriod = 100_000

// CgroupDir is the cgroup of the chain named name under root.
func CgroupDir(root, name string) string { return filepath.Join(root, "vsys-"+name) }

// applyCgroup creates the chain's cgroup, writes its limits and moves pid
// into it. The controllers must be enabled for root's children first
// (cgroup.subtree_control), else cpu.max and memory.max do not exist.
func applyCgroup(root string, pid int, l Limits) error {
	if l.Name == "" {
		return fmt.Errorf("%w: a cgroup needs the chain's name", ErrBadLimits)
	}
	if err := os.WriteFile(filepath.Join(root, "cgroup.subtree_control"), []byte("+cpu +memory"), 0); err != nil {
		return fmt.Errorf("enable the cpu and memory controllers in %s: %w", root, err)
	}
	dir := CgroupDir(root, l.Name)
	if err := os.Mkdir(dir, 0o755); err != nil && !errors.Is(err, os.ErrExist) {
		return fmt.Errorf("create cgroup: %w", err)
	}
	cpu := "max " + strconv.Itoa(cpuPeriod)
	if l.CPUs > 0 {
		cpu = strconv.FormatInt(max(1000, int64(l.CPUs*cpuPeriod)), 10) + " " + strconv.Itoa(cpuPeriod)
	}
	mem := "max"
	if l.MemoryBytes > 0 {
		mem = strconv.FormatInt(l.MemoryBytes, 10)
	}
	for _, f := range []struct{ file, value string }{
		{"cpu.max", cpu},
		{"memory.max", mem},
		// No swap: a node over its ceiling is killed and restarted, not
		// left thrashing beside the other chains.
		{"memory.swap.max", "0"},
		{"cgroup.procs", strconv.Itoa(pid)},
	} {
		err := os.WriteFile(filepath.Join(dir, f.file), []byte(f.value), 0)
		if err != nil && !(f.file == "memory.swap.max" && errors.Is(err, os.ErrNotExist)) { // no swap accounting: nothing to bound
			return fmt.Errorf("cgroup %s: write %s: %w", dir, f.file, err)
		}
	}
	return nil
}

// RemoveCgroup removes the chain's cgroup once its process has exited
// (the kernel refuses to remove a cgroup with processes in it). Nothing
// to remove is not an error, so it is safe in the fallback mode too.
func RemoveCgroup(name string) error {
	err := os.Remove(CgroupDir(DefaultCgroupRoot, name))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("remove cgroup: %w", err)
	}
	return nil
}
