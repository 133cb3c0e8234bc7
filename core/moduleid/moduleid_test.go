package moduleid

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestNoCollisions: ids and names are unique, ids are in order, and a
// lookup by name finds its own id.
func TestNoCollisions(t *testing.T) {
	ids, names := map[byte]bool{}, map[string]bool{}
	prev := -1
	for _, m := range All() {
		require.False(t, ids[m.ID], "id %d twice", m.ID)
		require.Greater(t, int(m.ID), prev, "table in id order")
		require.NotZero(t, m.ID, "id 0 is the zero address")
		ids[m.ID], prev = true, int(m.ID)
		if m.Name == "" {
			continue
		}
		require.False(t, names[m.Name], "name %q twice", m.Name)
		names[m.Name] = true
		a, ok := Lookup(m.Name)
		require.True(t, ok)
		require.Equal(t, m.Address(), a)
	}
	_, ok := Lookup("")
	require.False(t, ok, "the fee collector has no name")
	require.Len(t, Contracts(), len(All())-1)
}

// TestGolden pins the ids: they are where each module's state lives.
func TestGolden(t *testing.T) {
	var got []string
	for _, m := range All() {
		got = append(got, m.Address().String()+" "+m.Name)
	}
	require.Equal(t, []string{
		"vsys1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqp8hmvun token",
		"vsys1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqzfyw6jv wasm",
		"vsys1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqr5j6007 db",
		"vsys1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqy4tdlwm billing",
		"vsys1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq9gae2nf staking",
		"vsys1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqxxwvuak interchain",
		"vsys1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqq8stpr4vq ",
	}, got)
}
