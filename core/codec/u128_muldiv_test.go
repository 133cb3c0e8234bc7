package codec

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestMulDiv(t *testing.T) {
	u := NewU128
	require.Equal(t, u(33), u(100).MulDiv(u(1), u(3)))
	require.Equal(t, MaxU128, MaxU128.MulDiv(MaxU128, MaxU128), "x·num overflows 128 bits, the result does not")
	require.Equal(t, MaxU128, MaxU128.MulDiv(u(7), u(7)))
	require.Equal(t, U128{Hi: 1<<63 - 1, Lo: ^uint64(0)}, MaxU128.MulDiv(u(1), u(2)))
	require.True(t, u(5).MulDiv(u(1), u(0)).IsZero(), "den 0 is zero, not a panic")
	// Floor, like the two copies it replaces: 20 % of 1,000,003 and a
	// 3-of-8 power share.
	require.Equal(t, u(200_000), u(1_000_003).MulDiv(u(20), u(100)))
	require.Equal(t, u(300_001), u(800_003).MulDiv(u(3), u(8)))
}
