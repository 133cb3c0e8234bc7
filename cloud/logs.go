package cloud

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/vsys/vsys/cloud/api"
)

// Log tail bounds: lines by default and at most.
const (
	defaultLogLines = 100
	maxLogLines     = 10_000
)

// Logs returns the last lines of a chain's node log.
func (p *Plane) Logs(_ context.Context, name string, lines int) (api.Logs, error) {
	if _, err := p.record(name); err != nil {
		return api.Logs{}, err
	}
	if lines <= 0 {
		lines = defaultLogLines
	}
	lines = min(lines, maxLogLines)
	path := p.home.LogPath(name)
	got, err := tail(path, lines)
	if err == nil && len(got) < lines {
		// Just rotated: the rest is in the previous file.
		var older []string
		older, err = tail(path+".1", lines-len(got))
		got = append(older, got...)
	}
	if err != nil {
		return api.Logs{}, fmt.Errorf("chain %s: logs: %w", name, err)
	}
	return api.Logs{Name: name, Lines: got}, nil
}

// tail returns the last n lines of the file at path, reading it backwards
// in blocks so a long log costs only what is returned.
func tail(path string, n int) ([]string, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return []string{}, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	end, err := f.Seek(0, io.SeekEnd)
	if err != nil {
		return nil, err
	}
	const block = 64 << 10
	var buf []byte
	off := end
	for off > 0 && bytes.Count(buf, []byte{'\n'}) <= n {
		size := min(int64(block), off)
		off -= size
		chunk := make([]byte, size)
		if _, err := f.ReadAt(chunk, off); err != nil {
			return nil, err
		}
		buf = append(chunk, buf...)
	}
	all := strings.Split(strings.TrimRight(string(buf), "\n"), "\n")
	if len(all) == 1 && all[0] == "" {
		return []string{}, nil
	}
	if len(all) > n {
		all = all[len(all)-n:]
	}
	return all, nil
}
