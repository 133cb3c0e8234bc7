package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cometbft/cometbft/types"
	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/app/genesis"
	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/internal/testkit"
	"github.com/vsys/vsys/node/chainspec"
	"github.com/vsys/vsys/rpc/client"
)

// vsysd runs the binary in dir and returns its combined output.
func vsysd(t *testing.T, dir string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(vsysdBin, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// TestChainCreateFlagsOverTemplate: a template holds the spec, flags
// override it field by field, --output json prints the result, and the
// genesis has what both said.
func TestChainCreateFlagsOverTemplate(t *testing.T) {
	work := t.TempDir()
	who := address.Derive("cli", []byte("who"))
	require.NoError(t, os.WriteFile(filepath.Join(work, "t.toml"), []byte(`name = "fromfile"
modules = ["token", "db"]
validators = 3
[params]
"billing.storage_price_per_byte" = 5
"max_call_depth" = 8
`), 0o644))
	out, err := vsysd(t, work, "chain", "create", "shop", "--template", "t.toml", "--validators", "2",
		"--param", "max_call_depth=9", "--account", who.String()+"=77", "--modules", "token,db,wasm", "--output", "json")
	require.NoError(t, err, out)
	var res chainspec.Result
	require.NoError(t, json.Unmarshal([]byte(out), &res), out)
	require.Equal(t, "shop", res.Name, "the argument beats the template's name")
	require.Equal(t, filepath.Join(work, "shop"), res.Dir, "default --dir: ./NAME")
	require.Equal(t, []string{"token", "wasm", "db"}, res.Modules)
	require.Len(t, res.Nodes, 2)
	doc, err := types.GenesisDocFromFile(filepath.Join(res.Nodes[1].Home, "config", "genesis.json"))
	require.NoError(t, err)
	gs, err := genesis.Parse(doc.AppState)
	require.NoError(t, err)
	require.Equal(t, "5", gs.Params.Billing.StoragePricePerByte.String(), "from the template")
	require.Equal(t, uint32(9), gs.Params.MaxCallDepth, "the flag beats the template")
	require.Contains(t, gs.Accounts, genesis.Account{Address: who, Balance: mustU128(t, "77")})
}

// TestChainCreateRefuses: bad names and bad specs exit non-zero with a
// clear message and create nothing.
func TestChainCreateRefuses(t *testing.T) {
	work := t.TempDir()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"../x"}, "no dots or slashes"},
		{[]string{""}, "the name is empty"},
		{[]string{}, "the name is empty"},
		{[]string{strings.Repeat("a", 200)}, "200 characters, at most 63"},
		{[]string{"a", "--modules", "token,dex"}, `unknown module "dex"`},
		{[]string{"a", "--modules", "db"}, `"token" is required`},
		{[]string{"a", "--param", "billing.nope=1"}, `unknown parameter "nope"`},
		{[]string{"a", "--param", "max_tx_bytes=big"}, "want a number"},
		{[]string{"a", "--param", "nothing"}, "want path=value"},
		{[]string{"a", "--account", "vsys1abc"}, "want ADDRESS=AMOUNT"},
		{[]string{"a", "--template", "missing.toml"}, "no such file"},
	} {
		out, err := vsysd(t, work, append([]string{"chain", "create"}, c.args...)...)
		require.Error(t, err, "%v:\n%s", c.args, out)
		require.Contains(t, out, c.want, c.args)
		entries, err := os.ReadDir(work)
		require.NoError(t, err)
		require.Empty(t, entries, "%v: nothing created", c.args)
	}
}

// TestChainCreateTour is the README's "create your own chain": create a
// chain without db, start it, send a transfer from the dev key, and see a
// db call refused. It logs the time from create to the first block.
func TestChainCreateTour(t *testing.T) {
	work := t.TempDir()
	base, err := testkit.ReservePortRange(10)
	require.NoError(t, err)
	begin := time.Now()
	out, err := vsysd(t, work, "chain", "create", "mychain", "--modules", "token,wasm", "--base-port", strconv.Itoa(base))
	require.NoError(t, err, out)
	require.Contains(t, out, `Created chain "mychain"`)
	home := filepath.Join(work, "mychain", "node0")
	require.Contains(t, out, "vsysd start --home "+home)

	var log bytes.Buffer
	proc := exec.Command(vsysdBin, "start", "--home", home)
	proc.Stdout, proc.Stderr = &log, &log
	require.NoError(t, proc.Start())
	t.Cleanup(func() { _ = proc.Process.Kill(); _ = proc.Wait() })
	rpcAddr := "127.0.0.1:" + strconv.Itoa(base+2)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // a guard, not a timed assertion
	defer cancel()
	require.NoError(t, client.New(rpcAddr).WaitHeight(ctx, 1), "%s", &log)
	t.Logf("vsysd chain create → first committed block (separate processes): %v", time.Since(begin).Round(time.Millisecond))

	to := address.Derive("cli", []byte("tour"))
	out, err = vsysd(t, work, "tx", "token", "send", to.String(), "1000", "--from", "dev", "--home", home)
	require.NoError(t, err, out)
	require.Contains(t, out, "status ok")
	out, err = vsysd(t, work, "query", "db", "tables", to.String(), "--home", home)
	require.Error(t, err, out)
	require.Contains(t, out, "unknown contract")
}

func mustU128(t *testing.T, s string) codec.U128 {
	t.Helper()
	x, err := codec.ParseU128(s)
	require.NoError(t, err)
	return x
}
