package router

import (
	"github.com/vsys/vsys/core/abi"
	"github.com/vsys/vsys/core/address"
)

// MethodOf is the ABI of contract's method name as a call from this
// context would find it (Router.Method's errors: ErrUnknownContract,
// ErrUnknownMethod). A module that takes a call's arguments as JSON —
// the interchain module's memo hook — encodes them by it before the call.
// The lookup is not metered: the call that follows pays CallBase for it.
func (c *Context) MethodOf(contract address.Address, name string) (*abi.Method, error) {
	_, m, err := c.router.Method(c.root, contract, name)
	return m, err
}
