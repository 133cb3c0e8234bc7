package main

import (
	"bytes"
	"testing"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/require"
)

// TestProgressOnlyOnTerminal: a bar writes to a terminal, and nothing at
// all to anything else (a buffer, here, as a pipe or a log file would be).
func TestProgressOnlyOnTerminal(t *testing.T) {
	var buf bytes.Buffer
	p := progressTo(&buf, true, 3, "writing homes")
	require.NotNil(t, p)
	p.Func()(2, 3)
	p.Describe("almost")
	p.Done()
	require.Contains(t, buf.String(), "writing homes")

	cmd := &cobra.Command{}
	var quiet bytes.Buffer
	cmd.SetErr(&quiet)
	silent := newProgress(cmd, 3, "writing homes")
	require.Nil(t, silent, "stderr is not a terminal")
	silent.Func()(1, 3)
	silent.Describe("x")
	silent.Done()
	require.Empty(t, quiet.String())
}
