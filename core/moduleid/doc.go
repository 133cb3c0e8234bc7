// Package moduleid is the one table of the native modules' reserved ids
// and router names. A module's address is address.Module(id); the router
// registers each module under its name, and the CLI accepts the name
// wherever an address goes. Both read this table, and a test checks that
// ids and names never collide and that the router registers exactly these.
package moduleid
