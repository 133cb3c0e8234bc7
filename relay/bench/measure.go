package bench

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/vsys/vsys/core/tx"
	"github.com/vsys/vsys/modules/interchain/packet"
	"github.com/vsys/vsys/relay"
	"github.com/vsys/vsys/rpc/client"
)

// measure sends packets on A and watches them come back.
type measure struct {
	a, b   *chain
	ra     *relay.Chain // A, for reads
	conn   relay.Connected
	native string
}

// poll is how often the bench looks; it bounds the resolution of its
// figures (a block is ten times longer or more).
const poll = 20 * time.Millisecond

// stallAfter is the guard that turns a relayer that stopped into an error.
const stallAfter = 2 * time.Minute

// roundTrip sends one transfer on A and waits until A has its
// acknowledgement (its commitment is gone): send to ack, as a user sees.
func (m *measure) roundTrip(ctx context.Context, key ed25519.PrivateKey) (time.Duration, error) {
	c, err := transferCall(m.conn.AClient, m.native, time.Now().Add(time.Hour))
	if err != nil {
		return 0, err
	}
	start := time.Now()
	sent, err := m.a.c.Send(ctx, key, []tx.Call{c}, client.SendOptions{})
	if err != nil {
		return 0, err
	}
	if sent.Tx.Code != 0 || len(sent.Tx.Results) != 1 {
		return 0, fmt.Errorf("transfer failed: %s", sent.Tx.Log)
	}
	var s string
	if err := json.Unmarshal(sent.Tx.Results[0], &s); err != nil {
		return 0, err
	}
	seq, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, err
	}
	for deadline := time.Now().Add(stallAfter); time.Now().Before(deadline); time.Sleep(poll) {
		var e relay.Entry
		if err := m.ra.Query(ctx, 0, "commitment", relay.SeqArgs{ClientID: m.conn.AClient, Sequence: seq}, &e); err != nil {
			return 0, err
		}
		if !e.Found {
			return time.Since(start), nil
		}
	}
	return 0, fmt.Errorf("%w: packet %d not acknowledged in %v", errStalled, seq, stallAfter)
}

// burst sends o.Burst transfers from o.Senders accounts at once (one tx
// each) and times their receipt on B and acknowledgement on A.
func (m *measure) burst(ctx context.Context, o Options, res *Result) error {
	per := (o.Burst + o.Senders - 1) / o.Senders
	timeout := time.Now().Add(time.Hour)
	vouchersBefore, err := m.vouchers(ctx)
	if err != nil {
		return err
	}
	start := time.Now()
	var wg sync.WaitGroup
	errs := make([]error, o.Senders)
	left := o.Burst
	for i := range o.Senders {
		n := min(per, left)
		left -= n
		calls := make([]tx.Call, n)
		for j := range calls {
			if calls[j], err = transferCall(m.conn.AClient, m.native, timeout); err != nil {
				return err
			}
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			sent, err := m.a.c.Send(ctx, senderKey(i), calls, client.SendOptions{})
			if err == nil && sent.Tx.Code != 0 {
				err = fmt.Errorf("burst tx failed: %s", sent.Tx.Log)
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	res.BurstSent = time.Since(start)
	fmt.Fprintf(o.Log, "burst of %d committed on A in %v\n", o.Burst, res.BurstSent.Round(time.Millisecond))
	sent := time.Now()
	for deadline := time.Now().Add(stallAfter); ; time.Sleep(poll) {
		if time.Now().After(deadline) {
			return fmt.Errorf("%w: burst not relayed in %v", errStalled, stallAfter)
		}
		if res.BurstReceived == 0 {
			v, err := m.vouchers(ctx)
			if err != nil {
				return err
			}
			if v-vouchersBefore >= uint64(o.Burst) {
				res.BurstReceived = time.Since(sent)
				fmt.Fprintf(o.Log, "received on B after %v\n", res.BurstReceived.Round(time.Millisecond))
			}
		}
		var pending []packet.Packet
		if err := m.ra.Query(ctx, 0, "pending", relay.PendingArgs{ClientID: m.conn.AClient, Limit: 1}, &pending); err != nil {
			return err
		}
		if len(pending) == 0 && res.BurstReceived != 0 {
			res.BurstAcked = time.Since(sent)
			break
		}
	}
	res.PacketsPerSecond = float64(o.Burst) / res.BurstAcked.Seconds()
	fmt.Fprintf(o.Log, "acknowledged on A after %v: %.0f packets/s\n", res.BurstAcked.Round(time.Millisecond), res.PacketsPerSecond)
	return nil
}

// vouchers is the receiver's voucher balance on B.
func (m *measure) vouchers(ctx context.Context) (uint64, error) {
	acc, err := m.b.c.GetAccount(ctx, receiver(), 0)
	if err != nil {
		return 0, err
	}
	var sum uint64
	for _, c := range acc.Balances {
		if len(c.Token) > 4 && c.Token[:4] == "ibc/" {
			sum += c.Amount.Lo
		}
	}
	return sum, nil
}
