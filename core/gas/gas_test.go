package gas

import (
	"encoding/hex"
	"errors"
	"testing"
)

func TestMeter(t *testing.T) {
	m := NewMeter(100)
	if err := m.Consume(60, "a"); err != nil {
		t.Fatal(err)
	}
	if err := m.ConsumeBytes(10, 2, 10, "b"); err != nil { // 30
		t.Fatal(err)
	}
	if m.Used() != 90 || m.Remaining() != 10 {
		t.Fatalf("used %d remaining %d", m.Used(), m.Remaining())
	}
	err := m.Consume(11, "c")
	if !errors.Is(err, ErrOutOfGas) {
		t.Fatalf("want out of gas, got %v", err)
	}
	if m.Used() != 100 {
		t.Fatalf("out of gas must use the whole limit, used %d", m.Used())
	}
	if err := NewMeter(10).ConsumeBytes(1, ^uint64(0), 2, "overflow"); !errors.Is(err, ErrOutOfGas) {
		t.Fatalf("overflowing charge: %v", err)
	}
	if err := Infinite().Consume(^uint64(0), "max"); err != nil {
		t.Fatalf("infinite meter: %v", err)
	}
}

// TestCostsHashGolden pins schedule 1: changing a price must change this
// golden on purpose, because cached derived code is keyed on it.
func TestCostsHashGolden(t *testing.T) {
	h := DefaultCosts().Hash()
	const want = "5a5c21df6fdedb4ceba7c051fb145b32badfc641ebb27159100d31a01d391b58"
	if got := hex.EncodeToString(h[:]); got != want {
		t.Fatalf("costs hash = %s, want %s", got, want)
	}
	c := DefaultCosts()
	c.WriteByte++
	if c.Hash() == h {
		t.Fatal("changing a price must change the hash")
	}
}
