// Package e2e runs real multi-validator networks of vsysd processes and
// breaks them on purpose: kill -9, clean stops, cut-off nodes (SIGSTOP),
// rolling restarts, all under a steady load, checking after each that the
// chain kept committing, the affected nodes caught up, every node agrees
// on the app hash, and no committed tx was lost. `make test` runs the short
// form; `make e2e` runs them all and prints the table.
package e2e
