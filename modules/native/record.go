package native

import (
	"fmt"

	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/state"
)

// GetRecord decodes the canonical record stored at key into v and reports
// whether there was one; an absent key leaves v as it was. Every native
// module keeps its records this way, so one value has one encoding in
// state whichever module wrote it.
func GetRecord(kv state.KV, key []byte, v any) (bool, error) {
	b, err := kv.Get(key)
	if err != nil || b == nil {
		return false, err
	}
	if err := codec.Unmarshal(b, v); err != nil {
		return false, fmt.Errorf("record %x: %w", key, err)
	}
	return true, nil
}

// PutRecord stores the canonical encoding of v at key.
func PutRecord(kv state.KV, key []byte, v any) error {
	b, err := codec.Marshal(v)
	if err != nil {
		return fmt.Errorf("record %x: %w", key, err)
	}
	return kv.Set(key, b)
}
