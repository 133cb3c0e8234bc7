package app

import (
	"fmt"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/moduleid"
	"github.com/vsys/vsys/core/state"
	"github.com/vsys/vsys/modules/billing"
	"github.com/vsys/vsys/modules/staking"
)

// The end of a block, after its txs: the fees go out of the fee collector,
// then the staking module says how the validator set changes.

// FeeCollector is the account that receives fees until the billing module
// distributes them (address.Module(0xF0), reserved for the chain itself).
var FeeCollector = address.Module(moduleid.FeeCollector)

// blockEnd is what the end of a block needs of the ABCI request.
type blockEnd struct {
	height int64
	// proposer is the block's proposer; hasProposer is false for a block
	// without one (tests driving the app directly), whose fees then stay
	// where they are, and proposer is then the zero address.
	proposer    address.Address
	hasProposer bool
	// signers are the validators that signed the previous block.
	signers []billing.Validator
}

// endBlock pays the block's fees out of the fee collector to its proposer
// and the signers of the previous block (billing's rule), and returns the
// staking module's validator updates.
func (a *App) endBlock(kv state.KV, e blockEnd) ([]staking.Update, error) {
	if e.hasProposer {
		if _, err := a.billing.Distribute(kv, FeeCollector, e.proposer, e.signers); err != nil {
			return nil, fmt.Errorf("height %d: distribute fees: %w", e.height, err)
		}
	}
	updates, err := a.staking.EndBlock(kv, e.height, e.proposer)
	if err != nil {
		return nil, fmt.Errorf("height %d: staking: %w", e.height, err)
	}
	return updates, nil
}
