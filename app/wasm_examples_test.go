package app

import (
	"crypto/ed25519"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/tx"
	"github.com/vsys/vsys/modules/billing"
	"github.com/vsys/vsys/modules/token"
)

type tokenModuleInit struct{ TokenModule address.Address }

func withFunds(c tx.Call, amount uint64) tx.Call {
	c.Funds = []tx.Coin{{Token: "VSYS", Amount: codec.NewU128(amount)}}
	return c
}

// TestLockContractCallsNativeToken: the lock contract holds native coins
// attached as funds and pays them back by calling the native token
// module, through the same call path a tx uses.
func TestLockContractCallsNativeToken(t *testing.T) {
	h := newRichHarness(t)
	lock := h.instantiate(alice, h.upload(alice, artifact(t, "lock")), "lock", nil, tokenModuleInit{token.Address})
	type lockArgs struct {
		UntilHeight uint64
		UntilTime   int64
	}
	carolFunded(t, h)
	start := h.balance(lock, "VSYS")
	until := uint64(h.Height() + 3) // lock at +1, refused at +2, an empty block, withdraw at +4
	h.ok(carol, 1_000_000, withFunds(contractCall(lock, "lock", lockArgs{UntilHeight: until}), 40_000))
	want, _ := start.Add(codec.NewU128(40_000))
	require.Equal(t, want, h.balance(lock, "VSYS"), "the locked coins, all of them: carol paid the record's deposit")

	early := h.block(h.sign(carol, 1_000_000, contractCall(lock, "withdraw", struct{}{})))[0]
	require.NotZero(t, early.Code)
	require.Equal(t, want, h.balance(lock, "VSYS"), "a refused withdraw moves nothing")

	h.block()
	before := h.holdings(addr(carol))
	res := h.ok(carol, 1_000_000, contractCall(lock, "withdraw", struct{}{}))
	var paid codec.U128
	require.NoError(t, codec.Unmarshal(res.Data, &paid))
	require.Equal(t, codec.NewU128(40_000), paid)
	require.Equal(t, start, h.balance(lock, "VSYS"), "the coins went back")
	after, _ := before.Add(codec.NewU128(40_000))
	after, _ = after.Sub(codec.NewU128(uint64(res.GasUsed)))
	require.Equal(t, after, h.holdings(addr(carol)))
	require.True(t, h.bill(addr(carol)).Funded.IsZero(), "the freed record's deposit went back to carol")
	var kinds []string
	for _, e := range res.Events {
		kinds = append(kinds, e.Type)
	}
	require.Contains(t, kinds, "transfer", "the native token module's event")
	require.Contains(t, kinds, "withdrawn", "the lock contract's event")
}

// carolFunded gives carol coins from alice and returns her key.
func carolFunded(t *testing.T, h *harness) ed25519.PrivateKey {
	t.Helper()
	h.ok(alice, 100_000, send(addr(carol), 10_000_000))
	return carol
}

// TestPaymentChannel: a deposit, receipts signed off-chain with ed25519
// and checked by the contract through the host, payouts by the native
// token module, a forged receipt refused.
func TestPaymentChannel(t *testing.T) {
	h := newRichHarness(t)
	pc := h.instantiate(alice, h.upload(alice, artifact(t, "payment_channel")), "pc", nil, tokenModuleInit{token.Address})
	type createArgs struct {
		Recipient     address.Address
		ExpiresAt     int64
		CreatorPubkey []byte
	}
	type collectArgs struct {
		ID        uint64
		Amount    codec.U128
		Signature []byte
	}
	type receipt struct {
		Channel address.Address
		ID      uint64
		Amount  codec.U128
	}
	start := h.balance(pc, "VSYS")
	res := h.ok(alice, 1_000_000, withFunds(contractCall(pc, "create", createArgs{
		Recipient: addr(bob), ExpiresAt: 1 << 62, CreatorPubkey: alice.Public().(ed25519.PublicKey)}), 500))
	var id uint64
	require.NoError(t, codec.Unmarshal(res.Data, &id))

	sign := func(k ed25519.PrivateKey, amount uint64) []byte {
		return ed25519.Sign(k, mustMarshal(receipt{Channel: pc, ID: id, Amount: codec.NewU128(amount)}))
	}
	bobBefore, aliceFunded := h.holdings(addr(bob)), h.bill(addr(alice)).Funded
	res = h.ok(bob, 1_000_000, contractCall(pc, "collect", collectArgs{ID: id, Amount: codec.NewU128(100), Signature: sign(alice, 100)}))
	want, _ := bobBefore.Add(codec.NewU128(100))
	want, _ = want.Sub(codec.NewU128(uint64(res.GasUsed)))
	require.Equal(t, want, h.holdings(addr(bob)))
	// bob rewrote the channel's record: he now holds its deposit, and
	// alice got hers back.
	require.Positive(t, h.bill(addr(bob)).Funded.Lo)
	back, _ := aliceFunded.Sub(h.bill(addr(alice)).Funded)
	require.Equal(t, h.bill(addr(bob)).Funded, back)

	forged := h.block(h.sign(bob, 1_000_000, contractCall(pc, "collect", collectArgs{ID: id, Amount: codec.NewU128(400), Signature: sign(bob, 400)})))[0]
	require.NotZero(t, forged.Code)
	require.Contains(t, forged.Log, "invalid signature")
	left, _ := start.Add(codec.NewU128(400))
	require.Equal(t, left, h.balance(pc, "VSYS"), "500 deposited, 100 collected")
}

// TestNFT: mint, transfer, and the read methods' typed results.
func TestNFT(t *testing.T) {
	h := newRichHarness(t)
	nft := h.instantiate(alice, h.upload(alice, artifact(t, "nft")), "art", nil, struct{ Name string }{"Art"})
	type mintArgs struct{ ID, URI string }
	type transferArgs struct {
		ID string
		To address.Address
	}
	h.ok(alice, 1_000_000, contractCall(nft, "mint", mintArgs{"a1", "ipfs://a1"}))
	h.ok(alice, 1_000_000, contractCall(nft, "mint", mintArgs{"a2", "ipfs://a2"}))
	h.ok(alice, 1_000_000, contractCall(nft, "transfer", transferArgs{"a1", addr(bob)}))
	notOwner := h.block(h.sign(alice, 1_000_000, contractCall(nft, "transfer", transferArgs{"a1", addr(carol)})))[0]
	require.NotZero(t, notOwner.Code)

	var owner address.Address
	h.query(nft, "owner_of", struct{ ID string }{"a1"}, &owner)
	require.Equal(t, addr(bob), owner)
	var ids []string
	h.query(nft, "tokens_of", struct{ Owner address.Address }{addr(alice)}, &ids)
	require.Equal(t, []string{"a2"}, ids)
	notMinter := h.block(h.sign(bob, 1_000_000, contractCall(nft, "mint", mintArgs{"b1", "x"})))[0]
	require.NotZero(t, notMinter.Code)
}

// holdings is an account's native balance plus the storage deposits it
// has locked (billing.Locked): what it owns, however billing holds it.
func (h *harness) holdings(a address.Address) codec.U128 {
	h.t.Helper()
	kv, _, err := h.app.View(0)
	require.NoError(h.t, err)
	locked, err := billing.Locked(kv, a)
	require.NoError(h.t, err)
	sum, err := h.balance(a, "VSYS").Add(locked)
	require.NoError(h.t, err)
	return sum
}

func (h *harness) bill(a address.Address) billing.Bill {
	h.t.Helper()
	kv, _, err := h.app.View(0)
	require.NoError(h.t, err)
	b, err := billing.ReadBill(kv, a)
	require.NoError(h.t, err)
	return b
}
