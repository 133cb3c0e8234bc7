package interchain_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/modules/interchain"
	"github.com/vsys/vsys/modules/interchain/packet"
	"github.com/vsys/vsys/modules/token"
)

// The memo hook on the two-chain harness: VSYS sent from A to a contract
// on B whose memo names the method to call with them — contracts/escrow's
// deposit (success), its release of an escrow that does not exist (the
// contract fails), contracts/adversarial's loop_forever (out of the
// callback gas limit) — and the rules around it.

type escrowRecord struct {
	Beneficiary address.Address
	Token       string
	Amount      codec.U128
}

// transferMemo sends amount VSYS from alice on A to receiver on B with
// memo; A commits.
func (l *link) transferMemo(amount uint64, receiver, memo string) packet.Packet {
	l.a.t.Helper()
	var seq uint64
	l.a.must(alice, "transfer", interchain.TransferArgs{SourceClient: l.ab, Denom: coin, Amount: u(amount), Receiver: receiver,
		Memo: memo, TimeoutTimestamp: uint64(l.a.next.Add(time.Hour).Unix())}, &seq)
	l.a.commit()
	return sent(l.a, l.ab, seq)
}

func hookMemo(contract address.Address, method, args string) string {
	return fmt.Sprintf(`{"wasm":{"contract":%q,"method":%q,"args":%s}}`, contract, method, args)
}

// TestMemoHookCallsTheContract: the voucher arrives in B's escrow as the
// funds of its deposit call, made by the module; the escrow records it.
func TestMemoHookCallsTheContract(t *testing.T) {
	l := newLink(t)
	withWasm(t, l)
	escrow := l.b.deploy("escrow", struct{ TokenModule address.Address }{token.Address})
	v := voucherOf(l.ba)

	p := l.transferMemo(100, escrow.String(), hookMemo(escrow, "deposit", fmt.Sprintf(`{"beneficiary":%q}`, bob)))
	require.Equal(t, interchain.ResultSuccess, recv(l.a, l.b, l.ba, p))
	require.Equal(t, interchain.ResultSuccess, ack(l.a, l.b, l.ab, p))
	require.Equal(t, u(100), l.b.balance(escrow, v))
	require.True(t, l.b.balance(interchain.Address, v).IsZero(), "the funds only pass through the module")
	var rec *escrowRecord
	l.b.query(escrow, "get", struct {
		Depositor address.Address
		Seq       uint64
	}{interchain.Address, 0}, &rec)
	require.Equal(t, &escrowRecord{Beneficiary: bob, Token: v, Amount: u(100)}, rec, "deposited by the module's call, with the voucher as funds")
	require.Equal(t, u(1_000_000-100), l.a.balance(alice, coin))
	l.conserved(100, 0)

	// A memo that is not a JSON object, or has no "wasm" key, is a note.
	for i, memo := range []string{"for bob", `{"note":"x"}`} {
		p := l.transferMemo(1, bob.String(), memo)
		require.Equal(t, interchain.ResultSuccess, recv(l.a, l.b, l.ba, p))
		require.Equal(t, u(uint64(i+1)), l.b.balance(bob, v))
	}
}

// TestMemoHookFailures: each failing hook is an error acknowledgement
// with nothing credited on B, and the error acknowledgement refunds
// alice on A exactly; escrowed = vouchers throughout.
func TestMemoHookFailures(t *testing.T) {
	l := newLink(t)
	withWasm(t, l)
	escrow := l.b.deploy("escrow", struct{ TokenModule address.Address }{token.Address})
	adversarial := l.b.deploy("adversarial", nil)
	cases := []struct {
		name, receiver, memo, why string
	}{
		{"contract fails", escrow.String(), hookMemo(escrow, "release", `{"seq":7}`), "no escrow 7"},
		{"out of its gas limit", adversarial.String(), hookMemo(adversarial, "loop_forever", `{}`), "out of gas"},
		{"receiver is not the contract", bob.String(), hookMemo(escrow, "deposit", fmt.Sprintf(`{"beneficiary":%q}`, bob)), "is not the hook's contract"},
		{"unknown method", escrow.String(), hookMemo(escrow, "steal", `{}`), "unknown method"},
		{"args do not fit", escrow.String(), hookMemo(escrow, "deposit", `{"beneficiary":7}`), "args of deposit"},
		{"malformed hook", escrow.String(), `{"wasm":{"contract":1}}`, interchain.ErrMemoHook.Error()},
		{"no such contract", carol.String(), hookMemo(carol, "deposit", `{}`), "unknown contract"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := l.transferMemo(100, tc.receiver, tc.memo)
			h := l.b.updateClient(l.ba, l.a)
			before := l.b.dump()
			env, _, err := l.b.callAt(relayer, interchain.Address, "recv_packet", interchain.RecvPacketArgs{Packet: p,
				ProofCommitment: l.a.prove(h, packet.CommitmentKey(p.SourceClient, p.Sequence)), ProofHeight: h}, 0)
			require.NoError(t, err)
			l.b.commit()
			onlyModuleChanged(t, before, l.b.dump())
			require.Equal(t, packet.Acknowledgement{AppAcks: [][]byte{packet.ErrorAck}}, ackOf(l.b, p))
			var wrote interchain.AckEvent
			for _, e := range env.Events {
				if e.Name == "write_acknowledgement" {
					require.NoError(t, codec.Unmarshal(e.Data, &wrote))
				}
			}
			require.Contains(t, wrote.Error, tc.why)
			require.Less(t, env.Gas.Used(), uint64(interchain.DefaultCallbackGasLimit)+2_000_000, "bounded by the callback limit")
			l.conserved(100, 100)
			require.True(t, l.b.supply(voucherOf(l.ba)).IsZero(), "nothing credited")

			require.Equal(t, interchain.ResultSuccess, ack(l.a, l.b, l.ab, p))
			require.Equal(t, u(1_000_000), l.a.balance(alice, coin), "refunded exactly")
			l.conserved(0, 0)
		})
	}
}
