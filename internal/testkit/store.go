package testkit

import (
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/state"
)

// OpenStore opens a real IAVL store in a temp dir, closed when the test
// ends.
func OpenStore(t testing.TB) *state.Store {
	t.Helper()
	s, err := state.Open(t.TempDir(), state.Options{})
	if err != nil {
		t.Fatalf("testkit: open store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// Dump is every key and value under kv, as strings, for comparing states.
func Dump(t testing.TB, kv state.KV) map[string]string {
	t.Helper()
	it, err := kv.Iterator(nil, nil, true)
	if err != nil {
		t.Fatalf("testkit: dump: %v", err)
	}
	defer it.Close()
	m := map[string]string{}
	for ; it.Valid(); it.Next() {
		m[string(it.Key())] = string(it.Value())
	}
	if err := it.Error(); err != nil {
		t.Fatalf("testkit: dump: %v", err)
	}
	return m
}

// FormatDump renders a dump one key a line, in key order, keys and values
// in hex (a long value cut short), for a failing test's log.
func FormatDump(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s = %s\n", hex.EncodeToString([]byte(k)), shortHex(m[k]))
	}
	return b.String()
}

// shortHex is v in hex, cut after 64 bytes (wasm code is stored whole).
func shortHex(v string) string {
	const most = 64
	if len(v) <= most {
		return hex.EncodeToString([]byte(v))
	}
	return fmt.Sprintf("%s… (%d bytes)", hex.EncodeToString([]byte(v[:most])), len(v))
}

// OnFailure logs what(), under title, when the test has failed by the
// time it ends: the state or results a reader needs to see why, printed
// only when there is something to explain.
func OnFailure(t testing.TB, title string, what func() string) {
	t.Helper()
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("%s:\n%s", title, what())
		}
	})
}

// Marshal is codec.Marshal that fails the test on error.
func Marshal(t testing.TB, v any) []byte {
	t.Helper()
	b, err := codec.Marshal(v)
	if err != nil {
		t.Fatalf("testkit: marshal %T: %v", v, err)
	}
	return b
}
