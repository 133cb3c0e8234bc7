package supervisor

import (
	"bufio"
	"bytes"
	"io"
	"os"
)

// causeWindow bounds what crashCause reads of a log: a Go runtime crash
// prints its panic or fatal error line first, then every goroutine's
// stack, which for a node is tens of kilobytes.
const causeWindow = 4 << 20

// maxCause bounds the cause kept in a chain's record.
const maxCause = 200

// crashCause finds why a node exited in what it wrote to its log from
// offset on: the first line the Go runtime starts with "panic: " (a
// panic, the node's own exit on one included) or "fatal error: " (out of
// memory under an rlimit, a deadlock), or that vsysd's main starts with
// "Error: " (the command returned an error: a relayer's stopped path). It
// returns "" when there is none, as for a signal. It is best effort: output the
// log rotation moved to node.log.1 is not read.
func crashCause(path string, offset int64) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil {
		if fi.Size() < offset {
			// Rotated (copied and truncated) since the run began: what
			// is there now is all this run's.
			offset = 0
		}
		if fi.Size()-offset > causeWindow {
			offset = fi.Size() - causeWindow
		}
	}
	if _, err := f.Seek(offset, io.SeekStart); err != nil {
		return ""
	}
	sc := bufio.NewScanner(io.LimitReader(f, causeWindow))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Bytes()
		if bytes.HasPrefix(line, []byte("panic: ")) || bytes.HasPrefix(line, []byte("fatal error: ")) || bytes.HasPrefix(line, []byte("Error: ")) {
			if len(line) > maxCause {
				line = line[:maxCause]
			}
			return string(line)
		}
	}
	return ""
}

// withCause appends the crash cause, if any, to an exit description:
// "exit status 2 (fatal error: out of memory)".
func withCause(exit, path string, offset int64) string {
	if c := crashCause(path, offset); c != "" {
		return exit + " (" + c + ")"
	}
	return exit
}
