package cloud

import (
	"fmt"

	"github.com/vsys/vsys/node/config"
)

// admission is what the cloud writes into a chain node's app.toml
// [admission]; zero fields are no limit.
type admission struct {
	DiskQuotaBytes    int64
	DiskCheckInterval string
	TxsPerSecond      float64
	TxBurst           int
}

// setAdmission writes a chain's disk quota and tx admission rate into its
// node's app.toml ([admission]): the node measures its data directory
// every interval and refuses new txs while it is over the quota
// (node/quota.go), and vsys_sendRawTransaction admits at most the rate
// (rpc/server/admission.go). The node enforces both rather than the
// control plane, so they hold while the control plane is down and a
// refusal is the node's own clear error to the client. With no limit set
// app.toml stays as chainspec wrote it.
func setAdmission(home string, a admission) error {
	if a.DiskQuotaBytes == 0 && a.TxsPerSecond == 0 {
		return nil
	}
	c, err := config.Load(home)
	if err != nil {
		return fmt.Errorf("admission: %w", err)
	}
	if a.DiskQuotaBytes > 0 {
		c.Admission.DiskQuotaBytes, c.Admission.DiskCheckInterval = a.DiskQuotaBytes, a.DiskCheckInterval
	}
	c.Admission.TxsPerSecond, c.Admission.TxBurst = a.TxsPerSecond, a.TxBurst
	if err := config.Save(home, c); err != nil {
		return fmt.Errorf("admission: %w", err)
	}
	return nil
}
