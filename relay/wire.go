package relay

import (
	"fmt"
	"reflect"

	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/modules/interchain/wire"
)

// The interchain module's method arguments and results are package
// wire's, the very types the module's ABI is built from: a call's
// arguments are their canonical encoding, and a query's JSON result is
// read back through the same type (readResult). TestWireMatchesModule
// checks that each is used with the method that takes it.

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

// The results of recv_packet, acknowledge and timeout.
const (
	resultSuccess = "SUCCESS"
	resultNoop    = "NOOP"
)

// The client statuses the module reports.
const (
	statusActive  = "Active"
	statusExpired = "Expired"
	statusFrozen  = "Frozen"
)

// readResult decodes a query's JSON result into out through out's codec
// type: JSON to canonical bytes to the Go value, so a field the mirror
// lacks or names differently is an error, not a zero.
func readResult(js []byte, out any) error {
	rt := reflect.TypeOf(out)
	if rt == nil || rt.Kind() != reflect.Pointer {
		return fmt.Errorf("read a result into %T: want a pointer", out)
	}
	t, err := codec.TypeOfReflect(rt.Elem())
	if err != nil {
		return err
	}
	b, err := codec.FromJSON(t, js)
	if err != nil {
		return err
	}
	return codec.Unmarshal(b, out)
}
