package codec

import "math/big"

// MulDiv returns floor(x·num/den), computed exactly, for num ≤ den (so
// the result fits in 128 bits), or zero when den is zero. It is the one
// pro-rata share of the chain: fees among validators by power, rewards
// among lessors by lease.
func (x U128) MulDiv(num, den U128) U128 {
	if den.IsZero() {
		return U128{}
	}
	p := new(big.Int).Mul(x.Big(), num.Big())
	p.Quo(p, den.Big())
	lo := new(big.Int).And(p, new(big.Int).SetUint64(^uint64(0)))
	return U128{Hi: new(big.Int).Rsh(p, 64).Uint64(), Lo: lo.Uint64()}
}

// Big returns x as a big.Int.
func (x U128) Big() *big.Int {
	b := new(big.Int).SetUint64(x.Hi)
	return b.Lsh(b, 64).Or(b, new(big.Int).SetUint64(x.Lo))
}
