package router

import (
	"github.com/vsys/vsys/core/gas"
	"github.com/vsys/vsys/core/state"
)

// Atomic runs fn as this call (same contract, caller and depth) on a
// cache of the call's state: fn's writes and events are kept only if it
// returns nil, while what the call wrote before stays either way. A
// module uses it for a step whose failure must leave nothing behind but
// must not fail the call: the interchain module runs an application's
// receive in it, and writes the error acknowledgement when it fails.
func (c *Context) Atomic(fn func(*Context) error) error {
	sub := &Context{Caller: c.Caller, Self: c.Self, Env: c.Env, depth: c.depth, readOnly: c.readOnly}
	_, err := c.router.run(state.NewCache(c.root), sub, func(ctx *Context) ([]byte, error) { return nil, fn(ctx) })
	return err
}

// Costs is the gas schedule this call is charged by: a native module
// charges work the store does not see (the interchain module's signature
// checks) at the schedule's prices.
func (c *Context) Costs() *gas.Costs { return &c.router.costs }
