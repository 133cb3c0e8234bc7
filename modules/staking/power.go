package staking

import (
	"math/big"

	"github.com/vsys/vsys/core/codec"
)

func toBig(x codec.U128) *big.Int {
	b := new(big.Int).SetUint64(x.Hi)
	return b.Lsh(b, 64).Or(b, new(big.Int).SetUint64(x.Lo))
}

// fromBig narrows a value known to fit in 128 bits.
func fromBig(b *big.Int) codec.U128 {
	lo := new(big.Int).And(b, new(big.Int).SetUint64(^uint64(0)))
	return codec.U128{Hi: new(big.Int).Rsh(b, 64).Uint64(), Lo: lo.Uint64()}
}

// mulDiv returns floor(x*num/den) for num <= den (so the result fits),
// or zero when den is zero.
func mulDiv(x, num, den codec.U128) codec.U128 {
	if den.IsZero() {
		return codec.U128{}
	}
	p := new(big.Int).Mul(toBig(x), toBig(num))
	return fromBig(p.Quo(p, toBig(den)))
}

// votingPowers maps stakes to CometBFT powers: max(1, stake >> shift) with
// the smallest shift that keeps their sum below MaxTotalPower. len(stakes)
// is at most MaxValidatorsLimit, so a shift always exists.
func votingPowers(stakes []codec.U128) []int64 {
	total := new(big.Int)
	for _, s := range stakes {
		total.Add(total, toBig(s))
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
			p := new(big.Int).Rsh(toBig(s), shift)
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
