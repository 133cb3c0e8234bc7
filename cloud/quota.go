package cloud

import (
	"fmt"

	"github.com/vsys/vsys/node/config"
)

// setDiskQuota writes a chain's disk quota into its node's app.toml
// ([admission]): the node measures its data directory every interval and
// refuses new txs while it is over the quota (node/quota.go). The node
// enforces it rather than the control plane, so it holds while the
// control plane is down and the refusal is the node's own clear error to
// the client. A zero quota leaves app.toml as chainspec wrote it.
func setDiskQuota(home string, quota int64, interval string) error {
	if quota == 0 {
		return nil
	}
	c, err := config.Load(home)
	if err != nil {
		return fmt.Errorf("disk quota: %w", err)
	}
	c.Admission.DiskQuotaBytes, c.Admission.DiskCheckInterval = quota, interval
	if err := config.Save(home, c); err != nil {
		return fmt.Errorf("disk quota: %w", err)
	}
	return nil
}
