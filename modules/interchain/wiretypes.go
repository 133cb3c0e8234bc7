package interchain

import "github.com/vsys/vsys/modules/interchain/wire"

// The methods' argument and result types live in package wire, so a
// relayer speaks them without importing the state machine.

type (
	// ClientArgs is wire.ClientArgs.
	ClientArgs = wire.ClientArgs
	// ClientInfo is wire.ClientInfo.
	ClientInfo = wire.ClientInfo
	// SeqArgs is wire.SeqArgs.
	SeqArgs = wire.SeqArgs
	// SeqsArgs is wire.SeqsArgs.
	SeqsArgs = wire.SeqsArgs
	// Entry is wire.Entry.
	Entry = wire.Entry
	// AckEntry is wire.AckEntry.
	AckEntry = wire.AckEntry
	// PendingArgs is wire.PendingArgs.
	PendingArgs = wire.PendingArgs
	// Counterparty is wire.Counterparty.
	Counterparty = wire.Counterparty
	// CreateClientArgs is wire.CreateClientArgs.
	CreateClientArgs = wire.CreateClientArgs
	// UpdateClientArgs is wire.UpdateClientArgs.
	UpdateClientArgs = wire.UpdateClientArgs
	// UpdateResult is wire.UpdateResult.
	UpdateResult = wire.UpdateResult
	// RegisterArgs is wire.RegisterArgs.
	RegisterArgs = wire.RegisterArgs
	// RecvPacketArgs is wire.RecvPacketArgs.
	RecvPacketArgs = wire.RecvPacketArgs
	// AckArgs is wire.AckArgs.
	AckArgs = wire.AckArgs
	// TimeoutArgs is wire.TimeoutArgs.
	TimeoutArgs = wire.TimeoutArgs
	// TransferArgs is wire.TransferArgs.
	TransferArgs = wire.TransferArgs
)
