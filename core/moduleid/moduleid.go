package moduleid

import "github.com/vsys/vsys/core/address"

// The reserved ids. They are consensus: a module's state lives under its
// address, so an id never changes once a chain runs.
const (
	Token        byte = 1    // the token ledger: native coin and user tokens
	Wasm         byte = 2    // the contract lifecycle (upload, instantiate, migrate)
	Database     byte = 3    // typed tables
	Billing      byte = 4    // storage deposits and bills
	Staking      byte = 5    // validator set: poa votes or spos supernodes
	Interchain   byte = 6    // light clients of other chains, packets, token transfer
	FeeCollector byte = 0xF0 // holds a block's fees until they are distributed; not a contract
)

// The router names.
const (
	NameToken      = "token"
	NameWasm       = "wasm"
	NameDatabase   = "db"
	NameBilling    = "billing"
	NameStaking    = "staking"
	NameInterchain = "interchain"
)

// Module is one row of the table.
type Module struct {
	ID   byte
	Name string // the router name; empty for an address that is not a contract
	Doc  string
}

// Address is the module's reserved address.
func (m Module) Address() address.Address { return address.Module(m.ID) }

// table is in id order.
var table = [...]Module{
	{Token, NameToken, "native coin and user tokens"},
	{Wasm, NameWasm, "WASM contract lifecycle"},
	{Database, NameDatabase, "typed, indexed tables"},
	{Billing, NameBilling, "storage deposits, bills, fee distribution"},
	{Staking, NameStaking, "validator set (poa or spos)"},
	{Interchain, NameInterchain, "light clients, packets and token transfer with other chains"},
	{FeeCollector, "", "the block's fees until distribution"},
}

// All returns the table, in id order (a copy: the table cannot be changed
// through it).
func All() []Module { return append([]Module(nil), table[:]...) }

// Contracts returns the rows that are callable modules (those with a name).
func Contracts() []Module {
	var out []Module
	for _, m := range table {
		if m.Name != "" {
			out = append(out, m)
		}
	}
	return out
}

// Lookup returns the address of the module called name.
func Lookup(name string) (address.Address, bool) {
	for _, m := range table {
		if m.Name != "" && m.Name == name {
			return m.Address(), true
		}
	}
	return address.Address{}, false
}
