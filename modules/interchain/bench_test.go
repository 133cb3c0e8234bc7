package interchain_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/modules/interchain"
	"github.com/vsys/vsys/modules/interchain/packet"
)

// BenchmarkRecvTransfer is the state machine's side of relaying: one
// recv_packet of an ICS-20 transfer (proof check, receipt, voucher mint,
// acknowledgement) on a real IAVL store, the proofs made beforehand. The
// packets are sent in one block on A and B's client is updated once, as
// a relayer's batch does.
func BenchmarkRecvTransfer(b *testing.B) {
	l := newLink(b)
	n := b.N
	timeout := uint64(l.a.next.Add(time.Hour).Unix())
	for i := 0; i < n; i++ {
		var seq uint64
		l.a.must(alice, "transfer", interchain.TransferArgs{SourceClient: l.ab, Denom: coin, Amount: u(1), Receiver: bob.String(), TimeoutTimestamp: timeout}, &seq)
	}
	l.a.commit()
	h := l.b.updateClient(l.ba, l.a)
	l.b.commit()
	args := make([]interchain.RecvPacketArgs, n)
	for i := range args {
		p := sent(l.a, l.ab, uint64(i+1))
		args[i] = interchain.RecvPacketArgs{Packet: p, ProofCommitment: l.a.prove(h, packet.CommitmentKey(l.ab, p.Sequence)), ProofHeight: h}
	}
	b.ResetTimer()
	for i := range args {
		var res string
		l.b.must(relayer, "recv_packet", args[i], &res)
		if res != interchain.ResultSuccess {
			b.Fatal(res)
		}
	}
	b.StopTimer()
	l.b.commit()
	require.Equal(b, u(uint64(n)), l.b.balance(bob, voucherOf(l.ba)))
}
