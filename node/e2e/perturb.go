package e2e

import (
	"context"
	"fmt"
	"io"
	"syscall"
	"time"
)

// Perturbation breaks the network on purpose and heals it.
type Perturbation struct {
	Name string
	// Apply breaks the network and returns the nodes to watch catch up
	// after Heal.
	Apply func(nw *Network) ([]int, error)
	// Hold is how long the network runs broken.
	Hold time.Duration
	Heal func(nw *Network, nodes []int) error
}

// KillRestart is kill -9 of node i, then a restart.
func KillRestart(i int, hold time.Duration) Perturbation {
	return Perturbation{Name: fmt.Sprintf("kill -9 node%d, restart after %s", i, hold), Hold: hold,
		Apply: func(nw *Network) ([]int, error) { return []int{i}, nw.Signal(i, syscall.SIGKILL) },
		Heal:  func(nw *Network, _ []int) error { return nw.Start(i) }}
}

// StopRestart is a clean stop of node i, then a restart.
func StopRestart(i int, hold time.Duration) Perturbation {
	return Perturbation{Name: fmt.Sprintf("stop node%d for %s", i, hold), Hold: hold,
		Apply: func(nw *Network) ([]int, error) { return []int{i}, nw.Signal(i, syscall.SIGTERM) },
		Heal:  func(nw *Network, _ []int) error { return nw.Start(i) }}
}

// Partition cuts node i off (SIGSTOP: it neither sends nor answers) and
// heals it (SIGCONT).
func Partition(i int, hold time.Duration) Perturbation {
	return Perturbation{Name: fmt.Sprintf("cut node%d off for %s", i, hold), Hold: hold,
		Apply: func(nw *Network) ([]int, error) { return []int{i}, nw.Signal(i, syscall.SIGSTOP) },
		Heal:  func(nw *Network, _ []int) error { return nw.Signal(i, syscall.SIGCONT) }}
}

// RollingRestart restarts every node, one at a time.
func RollingRestart(pause time.Duration) Perturbation {
	return Perturbation{Name: "restart every node, one at a time",
		Apply: func(nw *Network) ([]int, error) {
			var all []int
			for i := range nw.Nodes {
				if err := nw.Signal(i, syscall.SIGTERM); err != nil {
					return nil, err
				}
				time.Sleep(pause)
				if err := nw.Start(i); err != nil {
					return nil, err
				}
				if err := nw.WaitHeight(context.Background(), i, nw.Height(context.Background(), (i+1)%len(nw.Nodes)), 60*time.Second); err != nil {
					return nil, err
				}
				all = append(all, i)
			}
			return all, nil
		},
		Heal: func(*Network, []int) error { return nil }}
}

// Row is what one perturbation did.
type Row struct {
	Perturbation string
	Blocks       int64         // committed by the others while it lasted
	CatchUp      time.Duration // from heal until the affected nodes were level
	SameHash     bool
	Lost         uint64 // committed txs missing from some node's state
}

// Run applies each perturbation under load and checks, after each, that
// the chain went on, the affected nodes caught up, every node agrees on
// the app hash at a common height, and no committed tx is lost.
func Run(ctx context.Context, nw *Network, load *Load, ps []Perturbation, log io.Writer) ([]Row, error) {
	var rows []Row
	for _, p := range ps {
		fmt.Fprintf(log, "== %s\n", p.Name)
		watch := 0
		before := nw.Height(ctx, watch)
		affected, err := p.Apply(nw)
		if err != nil {
			return rows, fmt.Errorf("%s: %w", p.Name, err)
		}
		for _, a := range affected {
			if a == watch {
				watch = (watch + 1) % len(nw.Nodes)
			}
		}
		time.Sleep(p.Hold)
		row := Row{Perturbation: p.Name, Blocks: nw.Height(ctx, watch) - before}
		healed := time.Now()
		if err := p.Heal(nw, affected); err != nil {
			return rows, fmt.Errorf("%s: heal: %w", p.Name, err)
		}
		target := nw.Height(ctx, watch)
		for _, a := range affected {
			if err := nw.WaitHeight(ctx, a, target, 120*time.Second); err != nil {
				return rows, fmt.Errorf("%s: %w", p.Name, err)
			}
		}
		row.CatchUp = time.Since(healed)
		common := target
		for i := range nw.Nodes {
			if err := nw.WaitHeight(ctx, i, common+1, 60*time.Second); err != nil {
				return rows, fmt.Errorf("%s: %w", p.Name, err)
			}
		}
		if row.SameHash, err = nw.SameAppHash(ctx, common+1); err != nil {
			return rows, err
		}
		// Every transfer seen committed so far was committed at or below the
		// highest height any node has; once all are past it, all must have it.
		total, top := load.CommittedCount(), int64(0)
		for i := range nw.Nodes {
			top = max(top, nw.Height(ctx, i))
		}
		for i := range nw.Nodes {
			if err := nw.WaitHeight(ctx, i, top+2, 60*time.Second); err != nil {
				return rows, fmt.Errorf("%s: %w", p.Name, err)
			}
			lost, err := load.Lost(ctx, i, total)
			if err != nil {
				return rows, err
			}
			row.Lost = max(row.Lost, lost)
		}
		fmt.Fprintf(log, "   blocks %d, catch-up %s, same app hash %v, lost %d\n", row.Blocks, row.CatchUp.Round(time.Millisecond), row.SameHash, row.Lost)
		rows = append(rows, row)
	}
	return rows, nil
}

// PrintTable writes the rows as a table.
func PrintTable(w io.Writer, rows []Row) {
	fmt.Fprintf(w, "%-44s %8s %10s %10s %6s\n", "perturbation", "blocks", "catch-up", "same hash", "lost")
	for _, r := range rows {
		yes := "yes"
		if !r.SameHash {
			yes = "NO"
		}
		fmt.Fprintf(w, "%-44s %8d %10s %10s %6d\n", r.Perturbation, r.Blocks, r.CatchUp.Round(time.Millisecond), yes, r.Lost)
	}
}
