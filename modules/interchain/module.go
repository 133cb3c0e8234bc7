package interchain

import (
	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/moduleid"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/modules/interchain/packet"
	"github.com/vsys/vsys/modules/interchain/transfer"
	"github.com/vsys/vsys/modules/native"
)

// Name is the module's router name.
const Name = moduleid.NameInterchain

// Address is the module's reserved address; its store prefix
// (router.StorePrefix(Address)) is the merkle prefix counterparties
// register for this chain.
var Address = address.Module(moduleid.Interchain)

// MerklePrefix is the counterparty merkle prefix of a vsys chain: the one
// element under which every path of its interchain module is proven.
func MerklePrefix() [][]byte { return [][]byte{router.StorePrefix(Address)} }

// Module is the interchain module: its methods and the applications
// bound to its ports.
type Module struct {
	*native.Module
	apps     map[string]App // by port; looked up, never iterated
	transfer transfer.App
	// callbackGas bounds each contract callback (contracts.go).
	callbackGas uint64
}

// New builds the module with the transfer app bound to its port. The app
// wires router.SetVouchers(Address, …) so the transfer app can mint.
func New() *Module {
	m := &Module{apps: map[string]App{}}
	m.apps[transfer.PortID] = m.transfer
	c := native.New(Name)
	m.wireContracts(c) // contracts as apps, the memo hook (contracts.go, hooks.go)
	for _, e := range []string{"create_client", "update_client", "client_misbehaviour", "recover_client"} {
		native.EventType[ClientEvent](c, e)
	}
	native.EventType[CounterpartyEvent](c, "register_counterparty")
	for _, e := range []string{"send_packet", "recv_packet", "acknowledge_packet", "timeout_packet"} {
		native.EventType[PacketEvent](c, e)
	}
	native.EventType[AckEvent](c, "write_acknowledgement")

	native.Method(c, "create_client", "Create a light client of another chain from a trusted client and consensus state; returns its id.", false, m.createClient)
	native.Method(c, "update_client", "Verify a header of the client's chain and store its consensus state (a conflicting header freezes the client).", false, m.updateClient)
	native.Method(c, "submit_misbehaviour", "Freeze a client with two conflicting headers its validators signed.", false, m.submitMisbehaviour)
	native.Method(c, "recover_client", "Vote, as a validator, to recover a frozen or expired client from an active substitute; applied past 2/3 of the power.", false, m.recoverClient)
	native.Method(c, "register_counterparty", "Name the client on the other chain that tracks this one, and its merkle prefix (the client's creator, once).", false, m.registerCounterparty)
	native.Method(c, "send_packet", "Commit a packet whose payloads come from the caller's port (its address); returns the sequence.", false, m.sendPacket)
	native.Method(c, "transfer", "Send tokens to another chain (ICS-20): escrowed, or burned if they are vouchers going home; returns the sequence.", false,
		func(ctx *router.Context, a TransferArgs) (uint64, error) {
			pl, err := m.transfer.Send(ctx, a.SourceClient, a.Denom, a.Amount, ctx.Caller, a.Receiver, a.Memo)
			if err != nil {
				return 0, err
			}
			return m.send(ctx, a.SourceClient, a.TimeoutTimestamp, []packet.Payload{pl})
		})
	native.Method(c, "recv_packet", "Receive a packet with a proof of its commitment on the source chain; NOOP if received before.", false, m.recvPacket)
	native.Method(c, "acknowledge", "Prove a packet's acknowledgement back to its source; NOOP if done before.", false, m.acknowledge)
	native.Method(c, "timeout", "Time a packet out with a proof that the destination never received it; NOOP if done before.", false, m.timeout)
	m.queries(c)
	m.Module = c
	return m
}
