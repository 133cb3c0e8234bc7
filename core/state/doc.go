// Package state owns vsys's state: one IAVL tree (cosmos/iavl over
// cosmos-db, goleveldb by default) whose version is the block height and
// whose root hash is the app hash, plus the views every module and
// contract reads and writes through: KV, Cache (revertible writes),
// Prefix (a contract's own key space), GasKV (metered) and ReadOnly.
//
// Concurrency: the working tree belongs to the block-executing goroutine.
// Views of committed versions (At) may be opened and read from any
// goroutine while a block executes and commits. IAVL's fast-node index is
// disabled because its latest-version shortcut can race a commit (the
// family of IAVL #1142); reads walk immutable saved nodes instead.
package state
