package main

import (
	"io"
	"os"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// progress shows long work (homes written, chains created, blocks waited
// for) as a bar on stderr, and only when stderr is a terminal: a script,
// a pipe or a log file sees nothing of it, and stdout keeps only the
// result (--output json stays parseable). A nil *progress is silent, so
// callers need no check.
type progress struct{ bar *progressbar.ProgressBar }

// newProgress starts a bar of total steps described by what on cmd's
// stderr, or returns nil when that is not a terminal. total < 0 is a
// spinner, for waits of unknown length.
func newProgress(cmd *cobra.Command, total int, what string) *progress {
	w := cmd.ErrOrStderr()
	f, ok := w.(*os.File)
	return progressTo(w, ok && term.IsTerminal(int(f.Fd())), total, what)
}

// progressTo is newProgress on any writer, told whether it is a terminal.
func progressTo(w io.Writer, tty bool, total int, what string) *progress {
	if !tty {
		return nil
	}
	return &progress{bar: progressbar.NewOptions(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(what),
		progressbar.OptionShowCount(),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionThrottle(0),
	)}
}

// Set moves the bar to done steps.
func (p *progress) Set(done int) {
	if p != nil {
		_ = p.bar.Set(done)
	}
}

// Describe changes the bar's description ("waiting for block 1").
func (p *progress) Describe(what string) {
	if p != nil {
		p.bar.Describe(what)
	}
}

// Func adapts the bar to a library's progress callback (node.TestnetOptions.Progress).
func (p *progress) Func() func(done, total int) {
	return func(done, _ int) { p.Set(done) }
}

// Done finishes the bar and clears its line.
func (p *progress) Done() {
	if p != nil {
		_ = p.bar.Finish()
	}
}
