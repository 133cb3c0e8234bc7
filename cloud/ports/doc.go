// Package ports allocates a chain's loopback ports from the cloud's
// configured range: never a port another chain holds, and only ports that
// can be bound at allocation time (something outside the cloud may be
// listening on one).
package ports
