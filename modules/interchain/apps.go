package interchain

import (
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/modules/interchain/packet"
)

// App is an application bound to a port: the module calls it for each
// payload addressed to its port (OnRecv) or sent from it (OnAck,
// OnTimeout), on the state of the relayer's call. OnRecv returns the
// payload's application acknowledgement, or an error: then nothing any
// payload's application wrote is kept, and the packet's acknowledgement
// is the error acknowledgement (ibc-go's RecvPacket). OnAck gets the
// payload's application acknowledgement, or packet.ErrorAck when the
// receive failed; an error from OnAck or OnTimeout fails the relayer's
// call, as in ibc-go.
type App interface {
	OnRecv(ctx *router.Context, p packet.Packet, pl packet.Payload) ([]byte, error)
	OnAck(ctx *router.Context, p packet.Packet, pl packet.Payload, ack []byte) error
	OnTimeout(ctx *router.Context, p packet.Packet, pl packet.Payload) error
}

// MaxAckBytes bounds a packet's application acknowledgements together:
// they are kept in state until pruned with the receipt.
const MaxAckBytes = 64 << 10
