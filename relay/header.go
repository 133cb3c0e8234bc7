package relay

import (
	"context"
	"fmt"
	"time"

	"github.com/vsys/vsys/modules/interchain/lightclient"
)

// Snapshot is one height of a chain as a light client sees it. The state
// the relayer reads and proves is store version Height-1, whose root is
// header Height's AppHash (lightclient.ProofHeight): CometBFT puts the
// result of block h-1 into header h, so a proof made at version h-1
// verifies against the client's consensus state at h.
type Snapshot struct {
	height int64
	time   time.Time
	// update is the client update to Height (signed header and
	// validators, from the client's latest height); nil when the client
	// already has Height.
	update *lightclient.Header
}

// Height is the snapshot's header height.
func (s Snapshot) Height() int64 { return s.height }

// Version is the store version whose state the snapshot's header proves.
func (s Snapshot) Version() int64 { return s.height - 1 }

// Time is the header's time: the chain's block time at Height.
func (s Snapshot) Time() time.Time { return s.time }

// snapshotFor is the snapshot a client at clientHeight proves against:
// the chain's newest header, with the update to it from clientHeight; or,
// if the client is already there (another relayer got there first), the
// client's own height, which needs no update.
func (c *Chain) snapshotFor(ctx context.Context, clientHeight uint64) (Snapshot, error) {
	latest, err := c.headers.LatestHeight(ctx)
	if err != nil {
		return Snapshot{}, err
	}
	if clientHeight >= latest {
		cons, h, err := c.headers.ConsensusState(ctx, clientHeight)
		if err != nil {
			return Snapshot{}, fmt.Errorf("%s: %w", c.Name, err)
		}
		return Snapshot{height: int64(h), time: cons.Timestamp}, nil
	}
	up, err := c.headers.Header(ctx, latest, clientHeight)
	if err != nil {
		return Snapshot{}, fmt.Errorf("%s: %w", c.Name, err)
	}
	return Snapshot{height: int64(up.Height()), time: up.SignedHeader.Time, update: up}, nil
}
