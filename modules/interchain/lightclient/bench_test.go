package lightclient_test

import (
	"fmt"
	"testing"
	"time"

	lc "github.com/vsys/vsys/modules/interchain/lightclient"
	"github.com/vsys/vsys/modules/interchain/lightclient/lctest"
)

// BenchmarkUpdate is the cost of one client update by validator count,
// adjacent and skipping (which checks the commit against two sets): what
// the interchain module's gas for update_client has to cover.
func BenchmarkUpdate(b *testing.B) {
	for _, n := range []int{4, 100} {
		vals := lctest.NewValidators("bench", n, 10)
		cs := lc.ClientState{ChainID: chainID, TrustLevel: lc.DefaultTrustLevel, TrustingPeriod: time.Hour,
			UnbondingPeriod: 2 * time.Hour, MaxClockDrift: 10 * time.Second, LatestHeight: 10}
		trusted := lctest.ConsensusState(f0(vals))
		now := t0.Add(time.Minute)
		for _, height := range []int64{11, 20} {
			h := lctest.Header(lctest.Block{ChainID: chainID, Height: height, Time: t0.Add(5 * time.Second),
				AppHash: []byte{1}, Vals: vals}, 10, vals)
			enc, err := lc.EncodeHeader(h)
			if err != nil {
				b.Fatal(err)
			}
			kind := map[bool]string{true: "adjacent", false: "skipping"}[height == 11]
			b.Run(fmt.Sprintf("%d-validators/%s", n, kind), func(b *testing.B) {
				b.ReportMetric(float64(len(enc)), "header-bytes")
				for i := 0; i < b.N; i++ {
					h, err := lc.DecodeHeader(enc)
					if err != nil {
						b.Fatal(err)
					}
					if _, _, err := lc.Update(cs, trusted, trusted, h, now); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
