package relay

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/vsys/vsys/core/tx"
	"github.com/vsys/vsys/modules/interchain/lightclient"
	"github.com/vsys/vsys/modules/interchain/lightclient/fetch"
	"github.com/vsys/vsys/rpc/client"
)

// ClientParams are a new client's trust parameters (07-tendermint's).
type ClientParams struct {
	// TrustingPeriod: a client not updated for this long expires; the
	// relayer refreshes it when a third of it is left.
	TrustingPeriod time.Duration
	// UnbondingPeriod is the counterparty's; it must exceed the trusting
	// period.
	UnbondingPeriod time.Duration
	// MaxClockDrift is how far a header's time may run ahead of the
	// verifying chain's block time.
	MaxClockDrift time.Duration
}

// DefaultClientParams are two weeks of trust under a three-week
// unbonding period (ibc-go's and Hermes' usual two thirds), and 10 s of
// drift: above a block interval, since a header is signed about a block
// before the block that verifies it.
var DefaultClientParams = ClientParams{TrustingPeriod: 14 * 24 * time.Hour, UnbondingPeriod: 21 * 24 * time.Hour, MaxClockDrift: 10 * time.Second}

// merklePrefix is the one-element merkle prefix of every vsys chain: the
// interchain module's store prefix, 'c' ‖ its address
// (router.StorePrefix, which this package does not import: it would pull
// the store in; TestMerklePrefix checks they agree).
func merklePrefix() [][]byte { return [][]byte{append([]byte{'c'}, moduleAddress[:]...)} }

// Connected is what Connect made: A's client of B and B's client of A.
type Connected struct {
	AClient string `json:"a_client"`
	BClient string `json:"b_client"`
	AChain  string `json:"a_chain_id"`
	BChain  string `json:"b_chain_id"`
}

// Connect creates a client of each chain on the other, from the other's
// newest header, and registers each as the other's counterparty (IBC
// v2: no handshake). Each chain's endpoint key creates and registers
// there, as only a client's creator may register its counterparty.
func Connect(ctx context.Context, a, b *Chain, p ClientParams) (Connected, error) {
	out := Connected{AChain: a.ChainID, BChain: b.ChainID}
	var err error
	if out.AClient, err = createClient(ctx, a, b, p); err != nil {
		return out, err
	}
	if out.BClient, err = createClient(ctx, b, a, p); err != nil {
		return out, err
	}
	if err := register(ctx, a, out.AClient, out.BClient); err != nil {
		return out, err
	}
	return out, register(ctx, b, out.BClient, out.AClient)
}

// createClient creates on host a client of other and returns its id.
func createClient(ctx context.Context, host, other *Chain, p ClientParams) (string, error) {
	cs, cons, err := other.headers.NewClient(ctx, 0, fetch.Params{TrustingPeriod: p.TrustingPeriod, UnbondingPeriod: p.UnbondingPeriod, MaxClockDrift: p.MaxClockDrift})
	if err != nil {
		return "", fmt.Errorf("a client of %s: %w", other.Name, err)
	}
	res, err := sendOne(ctx, host, "create_client", CreateClientArgs{ClientState: lightclient.EncodeClientState(cs), ConsensusState: lightclient.EncodeConsensusState(cons)})
	if err != nil {
		return "", fmt.Errorf("create a client of %s on %s: %w", other.ChainID, host.Name, err)
	}
	var id string
	if err := json.Unmarshal(res, &id); err != nil {
		return "", fmt.Errorf("create_client result %s: %w", res, err)
	}
	return id, nil
}

func register(ctx context.Context, host *Chain, id, counterparty string) error {
	_, err := sendOne(ctx, host, "register_counterparty",
		RegisterArgs{ClientID: id, CounterpartyClientID: counterparty, CounterpartyMerklePrefix: merklePrefix()})
	if err != nil {
		return fmt.Errorf("register %s as the counterparty of %s on %s: %w", counterparty, id, host.Name, err)
	}
	return nil
}

// sendOne sends one interchain call as host's key and returns its result.
func sendOne(ctx context.Context, host *Chain, method string, args any) (json.RawMessage, error) {
	c, err := call(method, args)
	if err != nil {
		return nil, err
	}
	sent, err := host.sendTx(ctx, []tx.Call{c}, client.SendOptions{})
	if err != nil {
		return nil, err
	}
	if sent.Tx.Code != 0 || len(sent.Tx.Results) != 1 {
		return nil, fmt.Errorf("tx %x failed (%s code %d): %s", sent.Hash, sent.Tx.Codespace, sent.Tx.Code, sent.Tx.Log)
	}
	return sent.Tx.Results[0], nil
}
