package main

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/codec"
)

// TestParseDecimal: amounts in the display unit become exact integers in
// the smallest unit; more fractional digits than decimals, or anything but
// digits and one point, is refused.
func TestParseDecimal(t *testing.T) {
	ok := []struct {
		s    string
		dec  uint8
		want string
	}{
		{"5000", 2, "500000"}, {"1.5", 2, "150"}, {"1.05", 2, "105"}, {"0.01", 2, "1"}, {"0", 8, "0"},
		{"1000", 8, "100000000000"}, {"0.00000001", 8, "1"}, {"7", 0, "7"},
		{"340282366920938463463.374607431768211455", 18, codec.MaxU128.String()},
	}
	for _, c := range ok {
		got, err := parseDecimal(c.s, c.dec)
		require.NoError(t, err, c.s)
		require.Equal(t, c.want, got.String(), "%s with %d decimals", c.s, c.dec)
	}
	for _, c := range []struct {
		s   string
		dec uint8
	}{{"1.555", 2}, {"1.5", 0}, {"1.", 2}, {".5", 2}, {"", 2}, {"1.2.3", 4}, {"-1", 2}, {"1e3", 2}, {"1,5", 2},
		{"340282366920938463463.374607431768211456", 18}} {
		_, err := parseDecimal(c.s, c.dec)
		require.ErrorIs(t, err, errAmount, "%q with %d decimals", c.s, c.dec)
	}
}

// TestFormatDecimal: the smallest unit printed in the display unit,
// exactly, without trailing zeros; it inverts parseDecimal.
func TestFormatDecimal(t *testing.T) {
	for _, c := range []struct {
		x    codec.U128
		dec  uint8
		want string
	}{
		{codec.NewU128(150), 2, "1.5"}, {codec.NewU128(100), 2, "1"}, {codec.NewU128(1), 2, "0.01"}, {codec.NewU128(0), 2, "0"},
		{codec.NewU128(105), 2, "1.05"}, {codec.NewU128(7), 0, "7"}, {codec.NewU128(1), 8, "0.00000001"},
		{codec.MaxU128, 18, "340282366920938463463.374607431768211455"},
	} {
		got := formatDecimal(c.x, c.dec)
		require.Equal(t, c.want, got)
		back, err := parseDecimal(got, c.dec)
		require.NoError(t, err)
		require.Equal(t, c.x, back)
	}
}
