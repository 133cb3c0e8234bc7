package ports

import (
	"errors"
	"net"
	"slices"
	"strconv"
	"testing"

	"github.com/vsys/vsys/internal/testkit"
)

// TestAllocate: ports held by a chain or bound by anything are skipped,
// and a range without enough left is ErrExhausted.
func TestAllocate(t *testing.T) {
	base, err := testkit.ReservePortRange(6)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(base+1)))
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	got, err := Allocate(base, base+5, 3, map[int]bool{base: true, base + 3: true})
	if err != nil || !slices.Equal(got, []int{base + 2, base + 4, base + 5}) {
		t.Fatalf("Allocate: %v %v", got, err)
	}
	if _, err := Allocate(base, base+5, 6, nil); !errors.Is(err, ErrExhausted) {
		t.Fatalf("6 of 6 with one bound: %v, want ErrExhausted", err)
	}
}
