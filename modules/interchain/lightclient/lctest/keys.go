package lctest

import (
	"fmt"
	"os"

	"github.com/cometbft/cometbft/crypto"
	cmtjson "github.com/cometbft/cometbft/libs/json"
	"github.com/cometbft/cometbft/privval"
	"github.com/cometbft/cometbft/types"
)

// LoadKey reads a CometBFT validator key file (a node home's
// config/priv_validator_key.json), so a test can sign as a live chain's
// validator. It reads the file itself: privval's loaders exit the process
// on a bad file.
func LoadKey(path string) (crypto.PrivKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("validator key: %w", err)
	}
	var k privval.FilePVKey
	if err := cmtjson.Unmarshal(b, &k); err != nil {
		return nil, fmt.Errorf("validator key %s: %w", path, err)
	}
	return k.PrivKey, nil
}

// WithKeys is a live chain's validator set with the private keys a test
// holds of it; validators without a key are absent from the commits it
// signs.
func WithKeys(set *types.ValidatorSet, keys ...crypto.PrivKey) *Validators {
	v := &Validators{Set: set, keys: map[string]crypto.PrivKey{}}
	for _, k := range keys {
		v.keys[string(k.PubKey().Address())] = k
	}
	return v
}

// Fork is sh with another app hash, re-signed by v (whose set must be
// sh's validators): the conflicting block at the same height that a
// misbehaving validator set signs, for a light client's Misbehaviour.
func Fork(sh *types.SignedHeader, v *Validators, appHash []byte) *types.SignedHeader {
	h := *sh.Header
	h.AppHash = appHash
	return &types.SignedHeader{Header: &h, Commit: Commit(Block{Vals: v}, &h)}
}
