// Package bench is `vsysd bench relay`: two fresh chains in this process
// (real nodes: CometBFT, the app, IAVL on disk), connected by one
// relayer, and two measures of it: the round trip of a packet sent alone
// (its send on A to its acknowledgement on A) and the packets per second
// one relayer carries end to end through a burst.
package bench
