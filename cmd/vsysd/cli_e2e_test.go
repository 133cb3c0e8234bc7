package main

// End-to-end tests of the CLI's rough edges (issue 9, section 3.5, and the
// `make bench` failure): each runs the real binary against a real node.

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/internal/testkit"
)

// artifactPath is a committed contract artifact, absolute.
func artifactPath(t *testing.T, name string) string { return testkit.ArtifactPath(t, name) }

// outputField is the value of the "LABEL VALUE" line of a command's text
// output.
func outputField(t *testing.T, out, label string) string {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		if f := strings.Fields(line); len(f) == 2 && f[0] == label {
			return f[1]
		}
	}
	t.Fatalf("no %q line in:\n%s", label, out)
	return ""
}

// tryEnv is try with extra environment variables (KEY=VALUE).
func (c *chain) tryEnv(env []string, args ...string) (string, error) {
	cmd := exec.Command(vsysdBin, append(args, "--home", c.home)...)
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	return stdout.String() + stderr.String(), err
}

// TestBenchWasm runs `vsysd bench transfers --app wasm` small: it used to
// fail instantiating the token contract, which had no coins for the
// storage deposit of its own state.
func TestBenchWasm(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a node")
	}
	out, err := exec.Command(vsysdBin, "bench", "transfers", "--app", "wasm", "--accounts", "4", "--txs", "40",
		"--block-interval", "100ms", "--wasm-token", artifactPath(t, "token")).CombinedOutput()
	require.NoError(t, err, "%s", out)
	require.Regexp(t, `(?m)^wasm\s+40\s+40\s+0\s`, string(out), "every transfer committed, none failed")
}

// TestCallUnknownContract: a read-only call to an address that holds no
// contract says so, rather than "unknown method".
func TestCallUnknownContract(t *testing.T) {
	c := newChain(t)
	c.start()
	defer c.stop(syscall.SIGTERM)
	bob := strings.Fields(c.run("keys", "add", "bob", "--keyring-backend", "test"))[1]
	for _, args := range [][]string{
		{"query", "call", bob, "balance"},
		{"query", "wasm", "call", bob, "balance"},
		{"tx", "call", bob, "balance", "--from", "dev", "--keyring-backend", "test"},
	} {
		out, err := c.try(args...)
		require.Error(t, err, "%v", args)
		require.Contains(t, out, "unknown contract "+bob, "%v", args)
		require.NotContains(t, out, "unknown method", "%v", args)
	}
}

// TestCleanStopLogsNoError: SIGINT and SIGTERM stop the node with exit
// status 0 and not a single error line in its log.
func TestCleanStopLogsNoError(t *testing.T) {
	c := newChain(t)
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		c.start()
		require.NoError(t, c.proc.Process.Signal(sig))
		require.NoError(t, c.proc.Wait(), "exit status after %s:\n%s", sig, c.log)
		c.proc = nil
		for _, line := range strings.Split(c.log.String(), "\n") {
			require.False(t, strings.HasPrefix(line, "E[") || strings.Contains(strings.ToLower(line), "level=error"),
				"error logged on a clean stop (%s): %s", sig, line)
		}
		require.Contains(t, c.log.String(), "stopping")
	}
}

// TestUnknownSubcommand: a mistyped subcommand, at any level, is an error
// with a suggestion and a non-zero exit (it used to print the group's help
// and exit 0); a bare group still prints its help.
func TestUnknownSubcommand(t *testing.T) {
	for args, want := range map[string]string{
		"tx wasm exeucte":    "execute",
		"tx wsm upload":      "wasm",
		"query tokn balance": "token",
		"keys ad alice":      "add",
		"qurey":              "query",
	} {
		out, err := exec.Command(vsysdBin, strings.Fields(args)...).CombinedOutput()
		var exit *exec.ExitError
		require.ErrorAs(t, err, &exit, "vsysd %s must fail:\n%s", args, out)
		require.NotZero(t, exit.ExitCode())
		require.Contains(t, string(out), "unknown command", args)
		require.Regexp(t, `Did you mean this\?\s+`+want+`\b`, string(out), args)
	}
	out, err := exec.Command(vsysdBin, "tx", "wasm").CombinedOutput()
	require.NoError(t, err, "%s", out)
	require.Contains(t, string(out), "Available Commands:")
}

// TestKeyringBackendSelection: the keyring comes from --keyring-backend,
// else $VSYS_KEYRING_BACKEND, else the home's client.toml (which `vsysd
// init` writes: its dev key is in the test keyring), else file; a key not
// in the chosen keyring is reported with the keyring searched, why it was
// chosen, and how to select the one that holds it.
func TestKeyringBackendSelection(t *testing.T) {
	c := newChain(t)
	c.start()
	defer c.stop(syscall.SIGTERM)
	alice := strings.Fields(c.run("keys", "add", "alice"))[1] // test keyring, from client.toml
	require.Contains(t, c.run("tx", "token", "send", alice, "1", "--from", "dev"), "status ok")

	send := []string{"tx", "token", "send", alice, "1", "--from", "dev"}
	out, err := c.try(append(send, "--keyring-backend", "file")...)
	require.Error(t, err)
	require.Contains(t, out, `key "dev" not found in the file keyring`)
	require.Contains(t, out, "chosen by --keyring-backend")
	require.Contains(t, out, "pass --keyring-backend test, or set VSYS_KEYRING_BACKEND=test")

	out, err = c.tryEnv([]string{"VSYS_KEYRING_BACKEND=file"}, send...)
	require.Error(t, err)
	require.Contains(t, out, "chosen by $VSYS_KEYRING_BACKEND")
	out, err = c.tryEnv([]string{"VSYS_KEYRING_BACKEND=file"}, append(send, "--keyring-backend", "test")...)
	require.NoError(t, err, out)

	// Without client.toml the default is the file keyring; the env selects.
	require.NoError(t, os.Remove(filepath.Join(c.home, "config", "client.toml")))
	out, err = c.try(send...)
	require.Error(t, err)
	require.Contains(t, out, "chosen by default")
	require.Contains(t, out, "exists in the test keyring")
	out, err = c.tryEnv([]string{"VSYS_KEYRING_BACKEND=test"}, send...)
	require.NoError(t, err, out)
	// A key name that is neither an address nor a key says where it looked.
	out, err = c.try("query", "account", "alice")
	require.Error(t, err)
	require.Contains(t, out, `key "alice" not found in the file keyring`)

	// A bad value names its source.
	require.NoError(t, os.WriteFile(filepath.Join(c.home, "config", "client.toml"), []byte("keyring_backend = \"tset\"\n"), 0o644))
	out, err = c.try(send...)
	require.Error(t, err)
	require.Contains(t, out, `client.toml: unknown keyring backend "tset"`)
}

// TestTokenDecimals: amounts are typed and printed in the token's display
// unit, exactly (GEM has 2 decimals: 50GEM is 5000 of its smallest unit,
// 1.5GEM is 150); more fractional digits than decimals are refused;
// --base-units takes and prints the smallest unit; JSON stays in the
// smallest unit.
func TestTokenDecimals(t *testing.T) {
	c := newChain(t)
	c.start()
	defer c.stop(syscall.SIGTERM)
	alice := strings.Fields(c.run("keys", "add", "alice"))[1]
	c.run("tx", "token", "create", "GEM", "Gemstone", "2", "1000000", "--from", "dev")
	c.run("tx", "token", "issue", "50GEM", "--from", "dev")
	require.Contains(t, c.run("query", "token", "balance", "dev", "GEM", "-o", "json"), `"amount": "5000"`)
	require.Equal(t, "50 GEM\n", c.run("query", "token", "balance", "dev", "GEM"))

	c.run("tx", "token", "send", alice, "1.5GEM", "--from", "dev")
	require.Contains(t, c.run("query", "token", "balance", alice, "GEM", "-o", "json"), `"amount": "150"`)
	require.Equal(t, "1.5 GEM\n", c.run("query", "token", "balance", alice, "GEM"))
	require.Equal(t, "150 GEM (smallest unit)\n", c.run("query", "token", "balance", alice, "GEM", "--base-units"))

	out, err := c.try("tx", "token", "send", alice, "1.555GEM", "--from", "dev")
	require.Error(t, err)
	require.Contains(t, out, "2 decimals")
	c.run("tx", "token", "send", alice, "7GEM", "--base-units", "--from", "dev")
	require.Equal(t, "1.57 GEM\n", c.run("query", "token", "balance", alice, "GEM"))
	out, err = c.try("tx", "token", "send", alice, "1.5GEM", "--base-units", "--from", "dev")
	require.Error(t, err)
	require.Contains(t, out, "--base-units")

	// The native coin has 8 decimals; an amount without a symbol is in it.
	c.run("tx", "token", "send", alice, "0.5", "--from", "dev")
	require.Contains(t, c.run("query", "account", alice), "balance 0.5 VSYS")
	require.Contains(t, c.run("query", "account", alice, "-o", "json"), `"amount": "50000000"`)
	info := c.run("query", "token", "info", "GEM")
	require.Contains(t, info, "supply     50 GEM")
	require.Contains(t, info, "max supply 1000000 GEM")
}

// TestWasmUploadSummaryAndFunds: `tx wasm upload` prints a summary (code
// hash, size, gas), not the module as hex; a tx's text output shows the
// funds attached to its calls, in the display unit, and so does `query tx`.
func TestWasmUploadSummaryAndFunds(t *testing.T) {
	wasm := artifactPath(t, "token")
	fi, err := os.Stat(wasm)
	require.NoError(t, err)
	c := newChain(t)
	c.start()
	defer c.stop(syscall.SIGTERM)
	out := c.run("tx", "wasm", "upload", wasm, "--from", "dev")
	require.Less(t, len(out), 2000, "a summary, not the module:\n%s", out)
	require.Regexp(t, `(?m)^code_hash 0x[0-9a-f]{64}$`, out)
	require.Regexp(t, `(?m)^size \d+$`, out)
	require.Contains(t, out, "size "+strconv.FormatInt(fi.Size(), 10))
	require.Regexp(t, `(?m)^gas\s+\d+ used of \d+$`, out)
	hash := regexp.MustCompile(`(?m)^code_hash (0x[0-9a-f]{64})$`).FindStringSubmatch(out)[1]

	out = c.run("tx", "wasm", "instantiate", hash, "gem", `{"name":"Gem","symbol":"GEM","decimals":2,"max_supply":"1000000"}`,
		"--funds", "2.5", "--from", "dev")
	require.Contains(t, out, "funds  2.5 VSYS")
	txHash := regexp.MustCompile(`(?m)^tx\s+(0x[0-9a-f]{64})$`).FindStringSubmatch(out)[1]
	require.Contains(t, c.run("query", "tx", txHash), "funds  2.5 VSYS")
	require.Contains(t, c.run("query", "tx", txHash, "--output", "json"), `"amount": "250000000"`)
}
