package staking

import (
	"encoding/binary"
	"fmt"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/core/state"
	"github.com/vsys/vsys/modules/native"
)

var (
	keyGenesis      = []byte("g")
	keyNextProposal = []byte("n")
	keyNextLease    = []byte("m")
)

const (
	pValidator = 'v'
	pProposal  = 'p'
	pPassed    = 'q'
	pCandidate = 'c'
	pConsensus = 'k'
	pLeased    = 'L'
	pLease     = 'l'
	pByLessor  = 'a'
	pByCand    = 'o'
	pRewards   = 'r'
)

// store is the module's part of a root store.
func store(root state.KV) state.KV { return router.StoreOf(root, Address) }

func addrKey(p byte, a address.Address) []byte { return append([]byte{p}, a[:]...) }

func idKey(p byte, id uint64) []byte { return binary.BigEndian.AppendUint64([]byte{p}, id) }

func addrIDKey(p byte, a address.Address, id uint64) []byte {
	return binary.BigEndian.AppendUint64(addrKey(p, a), id)
}

// getRec and putRec are the native modules' record helpers, wrapped so
// that a corrupt record names the module.
func getRec(kv state.KV, key []byte, v any) (bool, error) {
	ok, err := native.GetRecord(kv, key, v)
	if err != nil {
		return false, fmt.Errorf("staking: %w", err)
	}
	return ok, nil
}

func putRec(kv state.KV, key []byte, v any) error { return native.PutRecord(kv, key, v) }

func getU128(kv state.KV, key []byte) (codec.U128, error) {
	var v codec.U128
	_, err := getRec(kv, key, &v)
	return v, err
}

// putU128 stores v, or deletes the key when v is zero.
func putU128(kv state.KV, key []byte, v codec.U128) error {
	if v.IsZero() {
		return kv.Delete(key)
	}
	return putRec(kv, key, v)
}

// nextID returns the counter at key (starting at 1) and advances it.
func nextID(kv state.KV, key []byte) (uint64, error) {
	b, err := kv.Get(key)
	if err != nil {
		return 0, err
	}
	id := uint64(1)
	if len(b) == 8 {
		id = binary.BigEndian.Uint64(b)
	}
	return id, kv.Set(key, binary.BigEndian.AppendUint64(nil, id+1))
}

// scan returns the keys (with the prefix stripped) and values under
// prefix, in key order. It reads everything before returning, so callers
// may write while they walk the result.
func scan(kv state.KV, prefix []byte) (keys, values [][]byte, err error) {
	it, err := kv.Iterator(prefix, state.PrefixEnd(prefix), true)
	if err != nil {
		return nil, nil, err
	}
	defer it.Close()
	for ; it.Valid(); it.Next() {
		keys = append(keys, append([]byte(nil), it.Key()[len(prefix):]...))
		values = append(values, append([]byte(nil), it.Value()...))
	}
	return keys, values, it.Error()
}

// scanIDs returns the big-endian ids that end the keys under prefix.
func scanIDs(kv state.KV, prefix []byte) ([]uint64, error) {
	keys, _, err := scan(kv, prefix)
	if err != nil {
		return nil, err
	}
	ids := make([]uint64, 0, len(keys))
	for _, k := range keys {
		if len(k) != 8 {
			return nil, fmt.Errorf("staking: bad id key %x under %x", k, prefix)
		}
		ids = append(ids, binary.BigEndian.Uint64(k))
	}
	return ids, nil
}

func decode(b []byte, v any) error {
	if err := codec.Unmarshal(b, v); err != nil {
		return fmt.Errorf("staking: corrupt record: %w", err)
	}
	return nil
}
