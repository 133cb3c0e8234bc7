package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/internal/testkit"
	"github.com/vsys/vsys/node/multihost"
	"github.com/vsys/vsys/rpc/client"
)

// TestChainHostsCLI: `vsysd chain hosts` writes three validators for three
// hosts (loopback addresses 127.0.0.2-4 on the same ports), three `vsysd
// start` processes commit blocks together, and `vsysd chain manifests
// --from` turns the same homes into Kubernetes manifests. With --output
// json and stderr not a terminal, stdout is only the JSON and stderr is
// empty (no progress bar).
func TestChainHostsCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("starts three nodes")
	}
	base, err := testkit.ReservePortRange(4)
	require.NoError(t, err)
	var hosts []string
	for i := range 3 {
		hosts = append(hosts, fmt.Sprintf("127.0.0.%d:%d/%d/%d/%d", i+2, base, base+1, base+2, base+3))
	}
	dir := filepath.Join(t.TempDir(), "chain")
	cmd := exec.Command(vsysdBin, "chain", "hosts", "multi", "--hosts", strings.Join(hosts, ","), "--dir", dir,
		"--bind-host", "--block-interval", "200ms", "--output", "json")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Run(), stderr.String())
	require.Empty(t, stderr.String(), "no progress bar off a terminal")
	var res hostsResult
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &res), stdout.String())
	require.Len(t, res.Validators, 3)

	for _, v := range res.Validators {
		var log bytes.Buffer
		p := exec.Command(vsysdBin, "start", "--home", v.Home)
		p.Stdout, p.Stderr = &log, &log
		require.NoError(t, p.Start())
		t.Cleanup(func() {
			_ = p.Process.Signal(syscall.SIGTERM)
			_ = p.Wait()
			if t.Failed() {
				t.Logf("%s:\n%s", v.Moniker, log.String())
			}
		})
	}
	// A guard, not a timed assertion.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	for i, v := range res.Validators {
		require.Equal(t, fmt.Sprintf("127.0.0.%d:%d", i+2, base+2), v.RPCAddr)
		require.NoError(t, client.New(v.RPCAddr).WaitHeight(ctx, 3), v.Moniker)
	}

	out, err := exec.Command(vsysdBin, "chain", "manifests", "multi", "--dir", t.TempDir()).CombinedOutput()
	require.Error(t, err)
	require.Contains(t, string(out), "--kubernetes")
	kube := t.TempDir()
	out, err = exec.Command(vsysdBin, "chain", "manifests", "multi", "--kubernetes", "--from", dir, "--dir", kube,
		"--namespace", "chains", "--output", "json").Output()
	require.NoError(t, err)
	var m manifestsResult
	require.NoError(t, json.Unmarshal(out, &m), string(out))
	require.Equal(t, []string{"multi-0-0.multi-0.chains.svc.cluster.local", "multi-1-0.multi-1.chains.svc.cluster.local",
		"multi-2-0.multi-2.chains.svc.cluster.local"}, m.Validators)
	require.Equal(t, []string{filepath.Join(kube, "multi-genesis.yaml"), filepath.Join(kube, "multi-0.yaml"),
		filepath.Join(kube, "multi-1.yaml"), filepath.Join(kube, "multi-2.yaml")}, m.Files)

	// chain create takes the same host list: its homes are placed and
	// peered the same way (not started again here).
	created := filepath.Join(t.TempDir(), "created")
	out, err = exec.Command(vsysdBin, "chain", "create", "placed", "--hosts", strings.Join(hosts, ","), "--dir", created,
		"--modules", "token", "--output", "json").CombinedOutput()
	require.NoError(t, err, string(out))
	homes, err := multihost.Load(created)
	require.NoError(t, err)
	require.Len(t, homes, 3)
	for i, h := range homes {
		host := strings.SplitN(hosts[i], "/", 2)[0]
		require.Equal(t, "tcp://"+host, h.Comet.P2P.ExternalAddress)
		require.Equal(t, "tcp://0.0.0.0:"+strconv.Itoa(base), h.Comet.P2P.ListenAddress)
		for j, p := range homes {
			if j != i {
				require.Contains(t, h.Comet.P2P.PersistentPeers, p.NodeID+"@"+strings.SplitN(hosts[j], "/", 2)[0])
			}
		}
	}
}
