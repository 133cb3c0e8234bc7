package fetch

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cometbft/cometbft/light/provider"
	lighthttp "github.com/cometbft/cometbft/light/provider/http"
	rpchttp "github.com/cometbft/cometbft/rpc/client/http"
	"github.com/cometbft/cometbft/types"

	"github.com/vsys/vsys/modules/interchain/lightclient"
)

// ErrNotYet is a height the node has not committed yet (or whose next
// block, which holds its commit's validators, it has not made): ask again
// after a block.
var ErrNotYet = errors.New("height not available yet")

// Source reads one chain's headers from one node's CometBFT RPC.
type Source struct {
	chainID  string
	rpc      *rpchttp.HTTP
	provider provider.Provider
}

// New opens a Source on a CometBFT RPC address ("http://host:port" or
// "tcp://host:port"); an empty chainID asks the node for it.
func New(ctx context.Context, cometRPC, chainID string) (*Source, error) {
	remote := cometRPC
	if !strings.Contains(remote, "://") {
		remote = "http://" + remote
	}
	remote = strings.Replace(remote, "tcp://", "http://", 1)
	c, err := rpchttp.NewWithTimeout(remote, "/websocket", 10)
	if err != nil {
		return nil, fmt.Errorf("CometBFT RPC %s: %w", remote, err)
	}
	if chainID == "" {
		st, err := c.Status(ctx)
		if err != nil {
			return nil, fmt.Errorf("CometBFT RPC %s: status: %w", remote, err)
		}
		chainID = st.NodeInfo.Network
	}
	return &Source{chainID: chainID, rpc: c, provider: lighthttp.NewWithClient(chainID, c)}, nil
}

// ChainID is the chain the source reads.
func (s *Source) ChainID() string { return s.chainID }

// LatestHeight is the node's latest committed height.
func (s *Source) LatestHeight(ctx context.Context) (uint64, error) {
	st, err := s.rpc.Status(ctx)
	if err != nil {
		return 0, fmt.Errorf("%s: status: %w", s.chainID, err)
	}
	return uint64(st.SyncInfo.LatestBlockHeight), nil
}

// lightBlock is the node's signed header and validator set at height,
// checked to be well formed and of the source's chain.
func (s *Source) lightBlock(ctx context.Context, height uint64) (*types.LightBlock, error) {
	lb, err := s.provider.LightBlock(ctx, int64(height))
	switch {
	case errors.Is(err, provider.ErrHeightTooHigh), errors.Is(err, provider.ErrLightBlockNotFound):
		return nil, fmt.Errorf("%w: %s at %d: %w", ErrNotYet, s.chainID, height, err)
	case err != nil:
		return nil, fmt.Errorf("%s: light block at %d: %w", s.chainID, height, err)
	}
	return lb, nil
}

// Header is the update of a client from trustedHeight (a height the
// client has) to height: the signed header and validators at height and
// the validators at trustedHeight+1 (the trusted state's next ones).
func (s *Source) Header(ctx context.Context, height, trustedHeight uint64) (*lightclient.Header, error) {
	if trustedHeight == 0 || trustedHeight >= height {
		return nil, fmt.Errorf("%w: trusted height %d for a header at %d", lightclient.ErrHeight, trustedHeight, height)
	}
	lb, err := s.lightBlock(ctx, height)
	if err != nil {
		return nil, err
	}
	next, err := s.lightBlock(ctx, trustedHeight+1)
	if err != nil {
		return nil, err
	}
	return &lightclient.Header{
		SignedHeader: lb.SignedHeader, ValidatorSet: lb.ValidatorSet,
		TrustedHeight: trustedHeight, TrustedValidators: next.ValidatorSet,
	}, nil
}

// ConsensusState is the consensus state of the node's header at height,
// as a client stores it (height 0: the latest), and that height.
func (s *Source) ConsensusState(ctx context.Context, height uint64) (lightclient.ConsensusState, uint64, error) {
	lb, err := s.lightBlock(ctx, height)
	if err != nil {
		return lightclient.ConsensusState{}, 0, err
	}
	h := lightclient.Header{SignedHeader: lb.SignedHeader}
	return h.ConsensusState(), h.Height(), nil
}

// Params are the parameters of a new client that the counterparty's
// header does not give.
type Params struct {
	TrustLevel      lightclient.TrustLevel // zero: DefaultTrustLevel
	TrustingPeriod  time.Duration
	UnbondingPeriod time.Duration
	MaxClockDrift   time.Duration
}

// NewClient is the client state and initial consensus state of a new
// client of the source's chain at height (0: the latest), for a create
// transaction; the chain that stores it runs lightclient.ValidateNew.
func (s *Source) NewClient(ctx context.Context, height uint64, p Params) (lightclient.ClientState, lightclient.ConsensusState, error) {
	cons, h, err := s.ConsensusState(ctx, height)
	if err != nil {
		return lightclient.ClientState{}, lightclient.ConsensusState{}, err
	}
	if p.TrustLevel == (lightclient.TrustLevel{}) {
		p.TrustLevel = lightclient.DefaultTrustLevel
	}
	cs := lightclient.ClientState{
		ChainID: s.chainID, TrustLevel: p.TrustLevel,
		TrustingPeriod: p.TrustingPeriod, UnbondingPeriod: p.UnbondingPeriod, MaxClockDrift: p.MaxClockDrift,
		LatestHeight: h,
	}
	return cs, cons, nil
}
