package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/keys"
	"github.com/vsys/vsys/core/tx"
	"github.com/vsys/vsys/modules/interchain"
	"github.com/vsys/vsys/modules/interchain/transfer"
	"github.com/vsys/vsys/relay"
	"github.com/vsys/vsys/rpc/client"
)

// TestRelayKill9: `vsysd relay connect` connects two real chains (two
// `vsysd start` processes); a `vsysd relay start` process is killed with
// SIGKILL while it carries a burst of transfers, a second one finishes
// the work, and every packet arrives exactly once; SIGINT then stops the
// relayer with exit status 0.
func TestRelayKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("two nodes and two relayer processes")
	}
	a, b, sides, conn := connectedPair(t, "relay-cli")
	require.Equal(t, "relay-cli-b", conn.BChain)

	kr, err := keys.Open(a.home, keys.BackendTest, nil)
	require.NoError(t, err)
	dev, err := kr.Signer("dev")
	require.NoError(t, err)
	to := address.Derive("relay-kill9", nil)
	const packets = 40
	calls := make([]tx.Call, packets)
	for i := range calls {
		args, err := codec.Marshal(relay.TransferArgs{SourceClient: conn.AClient, Denom: "VSYS", Amount: codec.NewU128(uint64(i + 1)),
			Receiver: to.String(), TimeoutTimestamp: uint64(time.Now().Add(time.Hour).Unix())})
		require.NoError(t, err)
		calls[i] = tx.Call{Contract: interchain.Address, Method: "transfer", Args: args}
	}
	ca, cb := client.New(a.rpc), client.New(b.rpc)
	sent, err := ca.Send(context.Background(), dev, calls, client.SendOptions{})
	require.NoError(t, err)
	require.Equal(t, "ok", sent.Tx.Status, sent.Tx.Log)
	voucher := transfer.Denom{Base: "VSYS", Trace: []transfer.Hop{{Port: transfer.PortID, Client: conn.BClient}}}.LocalDenom()
	received := func() uint64 {
		acc, err := cb.GetAccount(context.Background(), to, 0)
		require.NoError(t, err)
		for _, c := range acc.Balances {
			if c.Token == voucher {
				return c.Amount.Lo
			}
		}
		return 0
	}

	start := func() (*exec.Cmd, *bytes.Buffer) {
		args := append([]string{"relay", "start", "--home", a.home, "--a-client", conn.AClient, "--b-client", conn.BClient,
			"--max-calls-per-tx", "4", "--batch", "8"}, sides...)
		cmd := exec.Command(vsysdBin, args...)
		var log bytes.Buffer
		cmd.Stdout, cmd.Stderr = &log, &log
		require.NoError(t, cmd.Start())
		return cmd, &log
	}
	pending := func() int { // packets sent on A and not yet acknowledged there
		res, err := ca.Call(context.Background(), "interchain", "pending", map[string]any{"client_id": conn.AClient, "start_sequence": "0", "limit": "1000"}, 0)
		require.NoError(t, err)
		var ps []json.RawMessage
		require.NoError(t, json.Unmarshal(res.Result, &ps))
		return len(ps)
	}
	// Killed as soon as it has delivered something. The receives may all
	// land in one block on a fast run, but their acknowledgements need at
	// least one more block on A, so the kill always lands mid-flight:
	// packets received and not yet acknowledged.
	first, firstLog := start()
	require.Eventually(t, func() bool { return received() > 0 }, time.Minute, 20*time.Millisecond, "nothing relayed:\n%s", firstLog)
	require.NoError(t, first.Process.Signal(syscall.SIGKILL))
	_ = first.Wait()
	want := uint64(packets * (packets + 1) / 2)
	require.Positive(t, pending(), "killed before the end: packets still unacknowledged on A")

	second, secondLog := start()
	require.Eventually(t, func() bool { return received() == want && pending() == 0 }, time.Minute, 50*time.Millisecond,
		"not all relayed (%d of %d):\n%s", received(), want, secondLog)
	require.NoError(t, second.Process.Signal(syscall.SIGINT))
	require.NoError(t, second.Wait(), "SIGINT stops the relayer cleanly:\n%s", secondLog)
	require.True(t, strings.Contains(secondLog.String(), "stopped"), secondLog.String())
	require.Equal(t, want, received(), "every packet exactly once")
}

// connectedPair starts two `vsysd start` processes, chains NAME-a and
// NAME-b (stopped when the test ends), and connects them with `vsysd
// relay connect`; sides are the relay commands' flags for the pair.
func connectedPair(t *testing.T, name string) (a, b *chain, sides []string, conn relay.Connected) {
	t.Helper()
	a, b = newChainID(t, name+"-a"), newChainID(t, name+"-b")
	a.start()
	t.Cleanup(func() { a.stop(syscall.SIGTERM) })
	b.start()
	t.Cleanup(func() { b.stop(syscall.SIGTERM) })
	sides = []string{"--a", a.rpc, "--a-comet", "http://" + a.cometRPC, "--b", b.rpc, "--b-comet", "http://" + b.cometRPC,
		"--b-home", b.home, "--from", "dev", "--keyring-backend", "test"}
	require.NoError(t, json.Unmarshal([]byte(a.run(append([]string{"relay", "connect", "-o", "json"}, sides...)...)), &conn))
	return a, b, sides, conn
}
