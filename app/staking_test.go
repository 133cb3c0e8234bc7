package app

import (
	"crypto/ed25519"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/app/genesis"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/tx"
	"github.com/vsys/vsys/internal/testkit/chain"
	"github.com/vsys/vsys/modules/staking"
)

// TestPoAVoteChangesCometBFTSet: on a PoA chain the genesis validator
// votes a second validator in; FinalizeBlock hands CometBFT the update.
// A non-member's proposal is refused.
func TestPoAVoteChangesCometBFTSet(t *testing.T) {
	validator := chain.ValidatorKey()
	gs := genesis.Default()
	gs.Accounts = []genesis.Account{chain.Fund(validator, 10_000_000), chain.Fund(bob, 10_000_000)}
	h := newGenesisHarness(t, Options{}, gs)

	newcomer := key(201).Public().(ed25519.PublicKey)
	propose := func(k ed25519.PrivateKey) []byte {
		b, _ := codec.Marshal(staking.ProposeArgs{Action: "add", PubKey: newcomer, Power: 10})
		return h.sign(k, 1_000_000, tx.Call{Contract: staking.Address, Method: "propose", Args: b})
	}
	res := h.block(propose(bob))[0]
	require.NotZero(t, res.Code, "bob is not a validator")

	fin := h.Finalize(propose(validator))
	require.Zero(t, fin.TxResults[0].Code, fin.TxResults[0].Log)
	require.Len(t, fin.ValidatorUpdates, 1, "the lone validator's vote is more than 2/3")
	require.Equal(t, []byte(newcomer), fin.ValidatorUpdates[0].PubKey.GetEd25519())
	require.Equal(t, int64(10), fin.ValidatorUpdates[0].Power)
}

// TestSPoSEpochRotatesCometBFTSet: on an spos chain a candidate registers,
// a holder leases to it, and at the next epoch boundary FinalizeBlock
// hands CometBFT the new set. (Reward minting and sharing is tested in
// modules/staking.)
func TestSPoSEpochRotatesCometBFTSet(t *testing.T) {
	gs := genesis.Default()
	gs.Params.Staking = staking.Params{Mode: staking.ModeSPoS, EpochBlocks: 4, MaxValidators: 1,
		MinSelfStake: codec.NewU128(1_000), RewardPerBlock: codec.NewU128(101)}
	gs.Accounts = []genesis.Account{chain.Fund(alice, 10_000_000), chain.Fund(bob, 10_000_000)}
	h := newGenesisHarness(t, Options{}, gs)

	newKey := key(201).Public().(ed25519.PublicKey)
	regArgs, _ := codec.Marshal(staking.RegisterArgs{PubKey: newKey, SharePercent: 50})
	leaseArgs, _ := codec.Marshal(staking.LeaseArgs{Candidate: addr(alice), Amount: codec.NewU128(500_000)})
	res := h.block(
		h.sign(alice, 1_000_000, tx.Call{Contract: staking.Address, Method: "register", Args: regArgs}),
		h.sign(bob, 1_000_000, tx.Call{Contract: staking.Address, Method: "lease", Args: leaseArgs}),
	)
	for _, r := range res {
		require.Zero(t, r.Code, r.Log)
	}
	// Run blocks up to the epoch boundary; the top candidate (alice's, by
	// stake) replaces the zero-stake genesis validator (max_validators 1).
	var updates []abci.ValidatorUpdate
	for h.Height() < 8 {
		updates = append(updates, h.Finalize().ValidatorUpdates...)
	}
	require.Len(t, updates, 2, "one in, one out")
	in := map[string]int64{}
	for _, u := range updates {
		in[string(u.PubKey.GetEd25519())] = u.Power
	}
	require.Positive(t, in[string(newKey)], "the candidate joins")
	require.Zero(t, in[string(testValidators()[0].PubKey.GetEd25519())], "the genesis validator leaves")
}
