package address

import (
	"crypto/ed25519"
	"errors"
	"strings"
	"testing"
)

func TestGoldenAddresses(t *testing.T) {
	seed := make([]byte, ed25519.SeedSize) // all-zero seed: a fixed, public test key
	pub := ed25519.NewKeyFromSeed(seed).Public().(ed25519.PublicKey)
	cases := []struct {
		name string
		addr Address
		want string
	}{
		{"zero-seed key", FromPubKey(pub), "vsys1zw0rjs8xfd2fzu3q3rv6p46pv28usfhqzedsdc"},
		{"token module", Module(1), "vsys1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqp8hmvun"},
	}
	for _, c := range cases {
		if got := c.addr.String(); got != c.want {
			t.Errorf("%s: got %s, want %s", c.name, got, c.want)
		}
		back, err := Parse(c.want)
		if err != nil || back != c.addr {
			t.Errorf("%s: Parse(%s) = %x, %v", c.name, c.want, back, err)
		}
	}
}

func TestParseRejects(t *testing.T) {
	good := Module(1).String()
	flipped := []byte(good)
	flipped[len(flipped)-1] ^= 1 // break the checksum
	cases := map[string]string{
		"empty":         "",
		"bad checksum":  string(flipped),
		"wrong prefix":  "cosmos1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqnrql8a",
		"mixed case":    "vsys1" + strings.ToUpper(good[5:10]) + good[10:],
		"not bech32":    "hello world",
		"short payload": "vsys1qqqqqqqqqqqq6nvzgu",
	}
	for name, s := range cases {
		if _, err := Parse(s); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: Parse(%q) err = %v, want ErrInvalid", name, s, err)
		}
	}
	if _, err := Parse(strings.ToUpper(good)); err != nil {
		t.Errorf("all-upper form must parse: %v", err)
	}
}

func TestModule(t *testing.T) {
	if !Module(3).IsModule() || Zero.IsModule() || FromPubKey(make([]byte, 32)).IsModule() {
		t.Fatal("IsModule misclassifies")
	}
}

func FuzzParse(f *testing.F) {
	f.Add(Module(1).String())
	f.Add("vsys1")
	f.Fuzz(func(t *testing.T, s string) {
		a, err := Parse(s)
		if err != nil {
			return
		}
		if b, err := Parse(a.String()); err != nil || b != a {
			t.Fatalf("round trip of %q failed", s)
		}
	})
}
