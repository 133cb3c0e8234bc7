package billing

import (
	"sort"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/state"
)

// Validator is one signer of a block, by its CometBFT address (which is
// its vsys address: both are the first 20 bytes of sha256(pubkey)).
type Validator struct {
	Address address.Address
	Power   int64
}

// Distribute pays out everything the fee collector holds: ProposerPercent
// to the proposer, the rest to the validators by power, and what rounding
// leaves to the proposer. It returns what each got, for events and tests.
func (m *Module) Distribute(root state.KV, collector, proposer address.Address, validators []Validator) (map[address.Address]codec.U128, error) {
	ledger := m.bank.Ledger(root)
	total, err := ledger.Balance(collector, m.native)
	if err != nil || total.IsZero() {
		return nil, err
	}
	paid := map[address.Address]codec.U128{}
	pay := func(to address.Address, amt codec.U128) error {
		if amt.IsZero() {
			return nil
		}
		if err := ledger.Transfer(collector, to, m.native, amt); err != nil {
			return err
		}
		sum, err := paid[to].Add(amt)
		paid[to] = sum
		return err
	}
	var totalPower uint64
	for _, v := range validators {
		if v.Power > 0 {
			totalPower += uint64(v.Power)
		}
	}
	share := total.MulDiv(codec.NewU128(uint64(m.params.ProposerPercent)), codec.NewU128(100))
	if totalPower == 0 {
		share = total
	}
	rest, _ := total.Sub(share)
	var given codec.U128
	// In address order, so every node pays in the same order.
	vs := append([]Validator(nil), validators...)
	sort.Slice(vs, func(i, j int) bool { return string(vs[i].Address[:]) < string(vs[j].Address[:]) })
	for _, v := range vs {
		if v.Power <= 0 {
			continue
		}
		amt := rest.MulDiv(codec.NewU128(uint64(v.Power)), codec.NewU128(totalPower))
		if err := pay(v.Address, amt); err != nil {
			return nil, err
		}
		given, _ = given.Add(amt)
	}
	left, _ := total.Sub(given)
	return paid, pay(proposer, left)
}
