package bench

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vsys/vsys/app/genesis"
	"github.com/vsys/vsys/node"
	"github.com/vsys/vsys/node/config"
	"github.com/vsys/vsys/rpc/client"
)

// The nodes under test: vsysd child processes on fresh homes, and what
// is measured of them from outside (peak memory, a CPU profile).

// startNode starts one vsysd process on a fresh home (the single-node
// run), listening on the four ports from base.
func startNode(ctx context.Context, o Options, home string, accounts []genesis.Account, base int) (*client.Client, func(), error) {
	ports := []int{base, base + 1, base + 2, base + 3}
	ac := config.Default()
	ac.RPC.Address = fmt.Sprintf("127.0.0.1:%d", ports[0])
	ac.Consensus.BlockInterval = o.BlockInterval.String()
	ac.Metrics.Address = fmt.Sprintf("127.0.0.1:%d", ports[3])
	ac.Log.Level = "error"
	if _, err := node.Init(home, node.InitOptions{
		ChainID: "bench", Accounts: accounts, App: ac,
		CometRPCAddr: fmt.Sprintf("tcp://127.0.0.1:%d", ports[1]),
		P2PAddr:      fmt.Sprintf("tcp://127.0.0.1:%d", ports[2]),
		PprofAddr:    pprofAddr(o, o.pprofPort),
	}); err != nil {
		return nil, nil, err
	}
	stop, err := startProcess(ctx, o, home)
	if err != nil {
		return nil, nil, err
	}
	c := client.New(ac.RPC.Address)
	if err := waitHeight(ctx, c, 1, 60*time.Second); err != nil {
		stop()
		return nil, nil, fmt.Errorf("node did not start (log: %s): %w", filepath.Join(home, "node.log"), err)
	}
	return c, stop, nil
}

// startNetwork starts o.Validators vsysd processes (`vsysd testnet`
// homes under home) and returns a client of node0, which gets the load.
func startNetwork(ctx context.Context, o Options, home string, accounts []genesis.Account) (*client.Client, func(), error) {
	base, err := node.FreeBasePort(o.Validators)
	if err != nil {
		return nil, nil, err
	}
	nodes, err := node.InitTestnet(home, node.TestnetOptions{ChainID: "bench", Validators: o.Validators, BasePort: base,
		BlockInterval: o.BlockInterval.String(), Accounts: accounts})
	if err != nil {
		return nil, nil, err
	}
	var stops []func()
	stop := func() {
		for _, s := range stops {
			s()
		}
	}
	for _, n := range nodes {
		s, err := startProcess(ctx, o, n.Home)
		if err != nil {
			stop()
			return nil, nil, err
		}
		stops = append(stops, s)
	}
	c := client.New(nodes[0].RPCAddr)
	if err := waitHeight(ctx, c, 1, 60*time.Second); err != nil {
		stop()
		return nil, nil, fmt.Errorf("network did not start: %w", err)
	}
	return c, stop, nil
}

// startProcess runs vsysd start on home, logging to home/node.log, and
// returns how to stop it (SIGINT, then kill after 20 s).
func startProcess(ctx context.Context, o Options, home string) (func(), error) {
	cmd := exec.CommandContext(ctx, o.Binary, "start", "--home", home, "--app", string(o.App))
	logFile, err := os.Create(filepath.Join(home, "node.log"))
	if err != nil {
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, fmt.Errorf("start node: %w", err)
	}
	pids.Store(home, cmd.Process.Pid)
	return func() {
		_ = cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			_ = cmd.Process.Kill()
		}
		logFile.Close()
	}, nil
}

// pids maps a home to its node's pid, for peak memory.
var pids sync.Map

// peakRSSOf is the largest peak RSS of the nodes under home.
func peakRSSOf(home string) int64 {
	var peak int64
	pids.Range(func(k, v any) bool {
		if strings.HasPrefix(k.(string), home) {
			peak = max(peak, peakRSS(v.(int)))
		}
		return true
	})
	return peak
}

func waitHeight(ctx context.Context, c *client.Client, h int64, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	return c.WaitHeight(ctx, h)
}

// peakRSS reads the high-water mark of a process's resident memory.
func peakRSS(pid int) int64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if rest, ok := strings.CutPrefix(s.Text(), "VmHWM:"); ok {
			v, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return v
		}
	}
	return 0
}

func pprofAddr(o Options, port int) string {
	if o.CPUProfile == "" {
		return ""
	}
	return fmt.Sprintf("127.0.0.1:%d", port)
}

// saveProfile records the node's CPU for as long as the load usually
// lasts (5 s) through CometBFT's pprof endpoint.
func saveProfile(ctx context.Context, addr, path string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/debug/pprof/profile?seconds=5", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("pprof: %s", resp.Status)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
