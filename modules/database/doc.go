// Package database is the blockchain database, a native contract ("db") at
// the reserved address address.Module(3). It owns typed tables: each table
// has an owner (the account or contract that created it), a schema of typed
// columns (docs/encoding.md's type system), a primary key of 1..4 keyable
// columns and up to 8 secondary indexes, unique or not. Only the owner and
// the addresses it grants may write a table; everyone reads.
//
// Rows are canonical values of the table's row struct (RowType). They are
// stored under order-preserving keys (keys.go), so get, prefix, range and
// ordered scans by primary key or by any index are single IAVL iterations,
// metered like every other storage access when run in a call. Queries are
// bounded: at most MaxLimit rows returned and MaxScan entries scanned per
// page; an opaque, checked cursor continues a scan.
//
// State, under the module's own prefix (see db.go for the layout):
//
//	'n'                              -> last table id (u64 BE)
//	't' owner name                   -> table record: id and schema
//	'g' id grantee                   -> write grant
//	'r' id pk-key                    -> row
//	'x' id index index-key pk-key    -> index entry (empty value)
//
// alter_table appends option columns without rewriting rows: a stored row
// lacking trailing columns reads them as none (NormalizeRow). New indexes
// are built over the existing rows in the same call, gas-metered.
//
// Methods: create_table, alter_table, grant, insert, update, upsert, delete
// (state-changing); get, query, schema, tables (read-only). Reader gives the
// JSON-RPC the same reads over a committed view of the whole state.
package database
