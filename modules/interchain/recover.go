package interchain

import (
	"fmt"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/moduleid"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/modules/interchain/lightclient"
	"github.com/vsys/vsys/modules/native"
	"github.com/vsys/vsys/modules/staking"
)

// Recovery of a frozen or expired client is the chain's operators'
// decision, as a governance proposal is in ibc-go: the validators vote,
// each calling recover_client with the same subject and substitute, and
// the vote that takes the voters past 2/3 of the set's power applies it
// (the staking module's PoA rule, counted on its current set, read
// through its public "validators" method). A chain without the staking
// module has no one to vote, and cannot recover a client: it creates a
// new one.

// RecoverArgs are recover_client's: the client to recover and an active
// client of the same chain to take its place's state from.
type RecoverArgs struct {
	SubjectClientID    string
	SubstituteClientID string
}

// RecoverResult is the vote's state after this vote.
type RecoverResult struct {
	VotedPower int64
	TotalPower int64
	Recovered  bool
}

type recoveryVotes struct{ Voters []address.Address }

func validators(ctx *router.Context) ([]staking.Validator, error) {
	addr, _ := moduleid.Lookup(moduleid.NameStaking)
	out, err := ctx.Call(addr, "validators", nil, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: the validator set: %w", ErrUnauthorized, err)
	}
	var vals []staking.Validator
	return vals, codec.Unmarshal(out, &vals)
}

func (m *Module) recoverClient(ctx *router.Context, a RecoverArgs) (RecoverResult, error) {
	vals, err := validators(ctx)
	if err != nil {
		return RecoverResult{}, err
	}
	var res RecoverResult
	member := false
	for _, v := range vals {
		res.TotalPower += v.Power
		member = member || v.Address == ctx.Caller
	}
	if !member {
		return res, fmt.Errorf("%w: %s is not a validator; only validators vote a recovery", ErrUnauthorized, ctx.Caller)
	}
	kv := ctx.Store()
	c := clients{kv}
	subject, err := c.load(a.SubjectClientID)
	if err != nil {
		return res, err
	}
	substitute, err := c.load(a.SubstituteClientID)
	if err != nil {
		return res, err
	}
	// Checked at every vote, so a vote for a recovery that cannot happen
	// fails at once instead of waiting for a quorum.
	recovered, err := lightclient.Recover(subject.cs, subject.latest, substitute.cs, substitute.latest, now(ctx))
	if err != nil {
		return res, err
	}
	var votes recoveryVotes
	if _, err := native.GetRecord(kv, recoveryKey(a.SubjectClientID, a.SubstituteClientID), &votes); err != nil {
		return res, err
	}
	seen := false
	for _, v := range votes.Voters {
		seen = seen || v == ctx.Caller
	}
	if !seen {
		votes.Voters = append(votes.Voters, ctx.Caller)
	}
	for _, v := range vals {
		for _, voter := range votes.Voters {
			if v.Address == voter {
				res.VotedPower += v.Power
			}
		}
	}
	if 3*res.VotedPower <= 2*res.TotalPower {
		return res, native.PutRecord(kv, recoveryKey(a.SubjectClientID, a.SubstituteClientID), votes)
	}
	if err := kv.Delete(recoveryKey(a.SubjectClientID, a.SubstituteClientID)); err != nil {
		return res, err
	}
	if err := c.putState(subject.id, recovered); err != nil {
		return res, err
	}
	if err := c.putConsensus(subject.id, recovered.LatestHeight, substitute.latest); err != nil {
		return res, err
	}
	res.Recovered = true
	return res, native.Emit(ctx, "recover_client", ClientEvent{ClientID: subject.id, Height: recovered.LatestHeight, Status: lightclient.Active.String()})
}
