package gas

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"
)

// ErrOutOfGas is returned (wrapped) when a charge exceeds the meter's limit.
var ErrOutOfGas = errors.New("out of gas")

// Meter counts gas used against a limit. It is not safe for concurrent use:
// one tx executes on one goroutine.
type Meter struct {
	limit, used uint64
}

// NewMeter returns a meter allowing up to limit gas.
func NewMeter(limit uint64) *Meter { return &Meter{limit: limit} }

// Infinite returns a meter with no practical limit, for genesis and
// begin/end-block work that no user pays for.
func Infinite() *Meter { return &Meter{limit: ^uint64(0)} }

// Consume charges amount. When the charge would pass the limit, the meter
// is left exactly at the limit (the whole limit is paid) and the error
// names what was being charged.
func (m *Meter) Consume(amount uint64, what string) error {
	sum, carry := bits.Add64(m.used, amount, 0)
	if carry != 0 || sum > m.limit {
		m.used = m.limit
		return fmt.Errorf("%w: %s needs %d, %d left of %d", ErrOutOfGas, what, amount, m.limit-min(m.used, m.limit), m.limit)
	}
	m.used = sum
	return nil
}

// ConsumeBytes charges flat + perByte*n, saturating on overflow.
func (m *Meter) ConsumeBytes(flat, perByte uint64, n int, what string) error {
	hi, lo := bits.Mul64(perByte, uint64(n))
	total, carry := bits.Add64(lo, flat, 0)
	if hi != 0 || carry != 0 {
		total = ^uint64(0)
	}
	return m.Consume(total, what)
}

// Used returns the gas consumed so far.
func (m *Meter) Used() uint64 { return m.used }

// Limit returns the meter's limit.
func (m *Meter) Limit() uint64 { return m.limit }

// Remaining returns limit - used.
func (m *Meter) Remaining() uint64 { return m.limit - m.used }

// Costs is the gas price list of a chain. It is a chain parameter, stored in
// genesis; Version names the schedule so that logs and caches can tell
// schedules apart, and Hash commits to every field.
type Costs struct {
	Version uint32 `json:"version" toml:"version"`

	TxBase    uint64 `json:"tx_base"`    // every tx, before anything runs
	TxByte    uint64 `json:"tx_byte"`    // per byte of the encoded tx
	SigVerify uint64 `json:"sig_verify"` // one ed25519 verification
	CallBase  uint64 `json:"call_base"`  // every contract call, nested calls too

	ReadFlat   uint64 `json:"read_flat"`   // each state read
	ReadByte   uint64 `json:"read_byte"`   // per byte of key and value read
	WriteFlat  uint64 `json:"write_flat"`  // each state write
	WriteByte  uint64 `json:"write_byte"`  // per byte of key and value written
	DeleteFlat uint64 `json:"delete_flat"` // each state delete
	IterNext   uint64 `json:"iter_next"`   // each step of an iterator
	IterByte   uint64 `json:"iter_byte"`   // per byte of key and value an iterator yields
	EventFlat  uint64 `json:"event_flat"`  // each emitted event
	EventByte  uint64 `json:"event_byte"`  // per byte of event data
}

// DefaultCosts is schedule 1. Reads are cheaper than writes because writes
// grow every node's disk and must be hashed into the tree at commit.
func DefaultCosts() Costs {
	return Costs{
		Version:    1,
		TxBase:     10_000,
		TxByte:     10,
		SigVerify:  1_000,
		CallBase:   1_000,
		ReadFlat:   100,
		ReadByte:   3,
		WriteFlat:  2_000,
		WriteByte:  30,
		DeleteFlat: 1_000,
		IterNext:   30,
		IterByte:   3,
		EventFlat:  200,
		EventByte:  10,
	}
}

// Hash commits to every field of the schedule, in declaration order.
func (c Costs) Hash() [32]byte {
	fields := []uint64{uint64(c.Version), c.TxBase, c.TxByte, c.SigVerify, c.CallBase,
		c.ReadFlat, c.ReadByte, c.WriteFlat, c.WriteByte, c.DeleteFlat,
		c.IterNext, c.IterByte, c.EventFlat, c.EventByte}
	buf := make([]byte, 0, 8*len(fields)+16)
	buf = append(buf, "vsys-gas-costs"...)
	for _, f := range fields {
		buf = binary.LittleEndian.AppendUint64(buf, f)
	}
	return sha256.Sum256(buf)
}
