package transfer_test

import (
	"testing"

	"github.com/vsys/vsys/modules/interchain/transfer"
)

// FuzzDecode: hostile payload values never panic; what decodes validates
// and re-encodes to bytes that decode to the same data, and a denom's
// path survives parsing.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"denom":"uatom","amount":"1000000","sender":"sender","receiver":"receiver","memo":"memo"}`))
	f.Add([]byte(`{"denom":"transfer/07-tendermint-0/VSYS","amount":"1","sender":"s","receiver":"r"}`))
	f.Add([]byte(`{"denom":"a/b/c/d","amount":"340282366920938463463374607431768211455","sender":"s","receiver":"r"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := transfer.Decode(b, transfer.Version, transfer.EncodingJSON)
		if err != nil {
			return
		}
		again, err := transfer.Decode(d.Encode(), transfer.Version, transfer.EncodingJSON)
		if err != nil || again != d {
			t.Fatalf("%q decoded to %+v, whose encoding decodes to %+v, %v", b, d, again, err)
		}
		if p := transfer.ParseDenom(d.Denom).Path(); p != d.Denom {
			t.Fatalf("denom %q parses to path %q", d.Denom, p)
		}
	})
}
