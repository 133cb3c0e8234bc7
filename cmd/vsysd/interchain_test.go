package main

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/cloud"
	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/modules/interchain/transfer"
	"github.com/vsys/vsys/relay"
)

// TestInterchainCLI drives the interchain module from the command line
// on two real chains: `relay connect`, `query interchain clients|client|
// counterparty`, `tx interchain transfer`, the packet pending, its
// commitment, then a `relay start` process delivering it: the receipt
// and the success acknowledgement on B, the commitment gone on A, A's
// escrow equal to B's voucher supply. Bad input gets clear errors.
func TestInterchainCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("two nodes and a relayer process")
	}
	a, b, sides, conn := connectedPair(t, "iccli")

	out := a.run("query", "interchain", "clients")
	require.Contains(t, out, conn.AClient)
	require.Contains(t, out, "iccli-b")
	require.Contains(t, out, "Active")
	var ci struct {
		ClientID string `json:"client_id"`
		ChainID  string `json:"chain_id"`
		Status   string `json:"status"`
	}
	require.NoError(t, json.Unmarshal([]byte(a.run("query", "interchain", "client", conn.AClient, "-o", "json")), &ci))
	require.Equal(t, "iccli-b", ci.ChainID)
	require.Equal(t, "Active", ci.Status)
	require.Contains(t, a.run("query", "interchain", "counterparty", conn.AClient), "counterparty  "+conn.BClient)

	bob := address.Derive("iccli-bob", nil).String()
	out = a.run("tx", "interchain", "transfer", conn.AClient, bob, "7", "--base-units", "--from", "dev", "--keyring-backend", "test", "--memo", "hi")
	require.Contains(t, out, "status ok")
	require.Contains(t, out, "sequence 1")
	require.Contains(t, a.run("query", "interchain", "pending", conn.AClient), "1  to "+conn.BClient)
	var cms []struct {
		Sequence   string `json:"sequence"`
		Commitment string `json:"commitment"`
	}
	require.NoError(t, json.Unmarshal([]byte(a.run("query", "interchain", "commitments", conn.AClient, "-o", "json")), &cms))
	require.Len(t, cms, 1)
	require.Equal(t, "1", cms[0].Sequence)
	pkt := a.run("query", "interchain", "packet", conn.AClient, "1")
	require.Contains(t, pkt, "value 0x"+strings.TrimPrefix(cms[0].Commitment, "0x"), "the commitment in state is the packet's")
	require.Contains(t, b.run("query", "interchain", "receipt", conn.BClient, "1"), "no receipt")

	// Bad input: each a clear error.
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"tx", "interchain", "transfer", "07-tendermint-9", bob, "1", "--from", "dev"}, "07-tendermint-9"},
		{[]string{"tx", "interchain", "transfer", conn.AClient, "nobody", "1", "--from", "dev"}, `"nobody" is neither an address`},
		{[]string{"tx", "interchain", "transfer", conn.AClient, bob, "1", "--from", "dev", "--packet-timeout", "25h"}, "at most 24h"},
		{[]string{"tx", "interchain", "register-counterparty", conn.AClient, conn.BClient, "--from", "dev"}, "already has a counterparty"},
		{[]string{"tx", "interchain", "recover-client", conn.AClient, conn.AClient, "--from", "dev"}, "not a validator"},
		{[]string{"query", "interchain", "packet", conn.AClient, "x"}, `SEQ "x"`},
		{[]string{"query", "interchain", "client", "07-tendermint-9"}, "07-tendermint-9"},
	} {
		args := c.args
		if args[0] == "tx" {
			args = append(args, "--keyring-backend", "test")
		}
		out, err := a.try(args...)
		require.Error(t, err, "%v:\n%s", c.args, out)
		require.Contains(t, out, c.want, "%v", c.args)
	}
	require.Contains(t, a.run("query", "interchain", "pending", conn.AClient), "1  to ", "nothing sent by the refused commands")

	relayer := exec.Command(vsysdBin, append([]string{"relay", "start", "--home", a.home, "--a-client", conn.AClient, "--b-client", conn.BClient}, sides...)...)
	var log bytes.Buffer
	relayer.Stdout, relayer.Stderr = &log, &log
	require.NoError(t, relayer.Start())
	defer func() { _ = relayer.Process.Signal(syscall.SIGINT); _ = relayer.Wait() }()
	require.Eventually(t, func() bool {
		return strings.Contains(a.run("query", "interchain", "packet", conn.AClient, "1"), "no commitment")
	}, time.Minute, 100*time.Millisecond, "not acknowledged:\n%s", &log)
	require.Contains(t, b.run("query", "interchain", "receipt", conn.BClient, "1"), "receipt "+conn.BClient+"/1")
	require.Contains(t, b.run("query", "interchain", "ack", conn.BClient, "1"), "ack   success")
	require.Contains(t, a.run("query", "interchain", "pending", conn.AClient), "no pending packets")

	voucher := transfer.Denom{Base: "VSYS", Trace: []transfer.Hop{{Port: transfer.PortID, Client: conn.BClient}}}.LocalDenom()
	require.Equal(t, "transfer/"+conn.BClient+"/VSYS\n", b.run("query", "interchain", "denom-trace", voucher))
	require.Equal(t, "7\n", a.run("query", "interchain", "escrow", "VSYS"))
	require.Contains(t, b.run("query", "token", "balance", bob, voucher, "-o", "json"), `"amount": "7"`)
	require.Contains(t, b.run("query", "token", "supply", voucher, "-o", "json"), `"7"`, "vouchers outstanding = escrow")
}

// TestRelayerFinalErrors: the cloud keeps down a relayer that exits with
// one of these, which it knows by text: they are the relayer's own.
func TestRelayerFinalErrors(t *testing.T) {
	require.Equal(t, []string{relay.ErrClientExpired.Error(), relay.ErrClientFrozen.Error()}, cloud.RelayerFinalErrors)
}
