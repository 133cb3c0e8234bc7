package staking

import (
	"math/big"

	"github.com/vsys/vsys/core/codec"
)

// votingPowers maps stakes to CometBFT powers: max(1, stake >> shift) with
// the smallest shift that keeps their sum below MaxTotalPower. len(stakes)
// is at most MaxValidatorsLimit, so a shift always exists.
func votingPowers(stakes []codec.U128) []int64 {
	total := new(big.Int)
	for _, s := range stakes {
		total.Add(total, s.Big())
	}
	limit := big.NewInt(MaxTotalPower)
	shift := uint(0)
	if n := total.BitLen(); n > 50 {
		shift = uint(n - 50)
	}
	for {
		sum := new(big.Int)
		powers := make([]int64, len(stakes))
		for i, s := range stakes {
			p := new(big.Int).Rsh(s.Big(), shift)
			if p.Sign() == 0 {
				p.SetInt64(1)
			}
			sum.Add(sum, p)
			if p.IsInt64() {
				powers[i] = p.Int64()
			}
		}
		if sum.Cmp(limit) < 0 {
			return powers
		}
		shift++
	}
}
