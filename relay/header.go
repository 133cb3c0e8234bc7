package relay

import (
	"context"
	"fmt"
	"time"

	"github.com/cometbft/cometbft/types"

	"github.com/vsys/vsys/modules/interchain/lightclient"
)

// Snapshot is one height of a chain as a light client sees it: the
// signed header and the validator set that signed it. The state the
// relayer reads and proves is store version Height-1, whose root is the
// header's AppHash (lightclient.ProofHeight): CometBFT puts the result of
// block h-1 into header h, so a proof made at version h-1 verifies
// against the client's consensus state at h.
type Snapshot struct {
	Header     *types.SignedHeader
	Validators *types.ValidatorSet
}

// Height is the snapshot's header height.
func (s Snapshot) Height() int64 { return s.Header.Height }

// Version is the store version whose state the snapshot's header proves.
func (s Snapshot) Version() int64 { return s.Header.Height - 1 }

// Time is the header's time: the chain's block time at Height.
func (s Snapshot) Time() time.Time { return s.Header.Time }

// latestSnapshot is the chain's newest signed header (height at least 2,
// so that version Height-1 holds the genesis state at least).
func (c *Chain) latestSnapshot(ctx context.Context) (Snapshot, error) {
	return c.snapshot(ctx, nil)
}

// snapshot reads the signed header and validators at height (nil: the
// latest).
func (c *Chain) snapshot(ctx context.Context, height *int64) (Snapshot, error) {
	com, err := c.comet.Commit(ctx, height)
	if err != nil {
		return Snapshot{}, fmt.Errorf("%s: commit: %w", c.Name, err)
	}
	h := com.Height
	vals, err := c.validators(ctx, h)
	if err != nil {
		return Snapshot{}, err
	}
	return Snapshot{Header: &com.SignedHeader, Validators: vals}, nil
}

// validators reads the whole validator set at height, page by page.
func (c *Chain) validators(ctx context.Context, height int64) (*types.ValidatorSet, error) {
	var all []*types.Validator
	perPage := 100
	for page := 1; ; page++ {
		res, err := c.comet.Validators(ctx, &height, &page, &perPage)
		if err != nil {
			return nil, fmt.Errorf("%s: validators at %d: %w", c.Name, height, err)
		}
		all = append(all, res.Validators...)
		if len(all) >= res.Total || len(res.Validators) == 0 {
			break
		}
	}
	vs := types.NewValidatorSet(all)
	if err := vs.ValidateBasic(); err != nil {
		return nil, fmt.Errorf("%s: validator set at %d: %w", c.Name, height, err)
	}
	return vs, nil
}

// updateHeader builds the client update from trusted height (the
// client's latest) to s: ibc-go's Header, with the validators that
// signed s and the trusted next validator set (the set at trusted+1).
func (c *Chain) updateHeader(ctx context.Context, s Snapshot, trusted uint64) ([]byte, error) {
	tv, err := c.validators(ctx, int64(trusted)+1)
	if err != nil {
		return nil, err
	}
	h := &lightclient.Header{SignedHeader: s.Header, ValidatorSet: s.Validators, TrustedHeight: trusted, TrustedValidators: tv}
	b, err := lightclient.EncodeHeader(h)
	if err != nil {
		return nil, fmt.Errorf("%s: header %d: %w", c.Name, s.Height(), err)
	}
	return b, nil
}

// clientStateOf is a new client's state and consensus state for a chain
// whose newest header is s (connect's create_client).
func clientStateOf(chainID string, s Snapshot, p ClientParams) (cs, cons []byte) {
	state := lightclient.ClientState{
		ChainID: chainID, TrustLevel: lightclient.DefaultTrustLevel,
		TrustingPeriod: p.TrustingPeriod, UnbondingPeriod: p.UnbondingPeriod, MaxClockDrift: p.MaxClockDrift,
		LatestHeight: uint64(s.Height()),
	}
	consensus := lightclient.ConsensusState{Timestamp: s.Time(), Root: s.Header.AppHash, NextValidatorsHash: s.Header.NextValidatorsHash}
	return lightclient.EncodeClientState(state), lightclient.EncodeConsensusState(consensus)
}
