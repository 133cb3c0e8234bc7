package rpc

// The names of the vsys_* methods. The server registers them from
// Methods and the client calls them by these constants, so a name is
// written once; TestMethodTable (rpc/server) checks that the server
// serves exactly the table and that docs/rpc.md documents every entry.
const (
	MethodChainID            = "vsys_chainId"
	MethodStatus             = "vsys_status"
	MethodBlockNumber        = "vsys_blockNumber"
	MethodGetBlock           = "vsys_getBlock"
	MethodSendRawTransaction = "vsys_sendRawTransaction"
	MethodGetTransaction     = "vsys_getTransaction"
	MethodGetAccount         = "vsys_getAccount"
	MethodCall               = "vsys_call"
	MethodEstimateGas        = "vsys_estimateGas"
	MethodGetABI             = "vsys_getABI"
	MethodGetCode            = "vsys_getCode"
	MethodGetContract        = "vsys_getContract"
	MethodGetSchema          = "vsys_getSchema"
	MethodListTables         = "vsys_listTables"
	MethodGetRow             = "vsys_getRow"
	MethodQueryTable         = "vsys_queryTable"
	MethodGetBill            = "vsys_getBill"
	MethodGasPrice           = "vsys_gasPrice"
	MethodProveKey           = "vsys_proveKey"
)

// Method describes one vsys_* JSON-RPC method.
type Method struct {
	// Name is the JSON-RPC method name, one of the Method* constants.
	Name string
	// Doc says in one line what the method answers.
	Doc string
	// NeedsApp is true for the methods that read the vsys application's
	// state; a node running the kvstore baseline (no vsys app) serves only
	// the others, which CometBFT alone answers.
	NeedsApp bool
}

// methods is the one table of the vsys_* methods, in the order of
// docs/rpc.md. It is unexported so that nothing can change it; Methods
// hands out a copy.
var methods = [...]Method{
	{MethodChainID, "the chain id", false},
	{MethodStatus, "who the node is, how far it is, and the chain parameters a client needs to build a tx", false},
	{MethodBlockNumber, "the latest height whose state is readable", false},
	{MethodGetBlock, "the block at a height (latest by default)", false},
	{MethodSendRawTransaction, "submit signed tx bytes; the tx hash once the mempool accepted it", false},
	{MethodGetTransaction, "a committed tx with its calls, results and events, or null", false},
	{MethodGetAccount, "an account's nonce and balances at a height", true},
	{MethodCall, "run a read-only method of a contract at a height", true},
	{MethodEstimateGas, "the exact gas, results and storage deposits of a tx run against the latest state", true},
	{MethodGetABI, "a contract's ABI, by module name or address", true},
	{MethodGetCode, "uploaded code's record and ABI, by code hash", true},
	{MethodGetContract, "a WASM contract's record and ABI", true},
	{MethodListTables, "the names of an owner's tables", true},
	{MethodGetSchema, "a table's schema and its row and key types", true},
	{MethodGetRow, "one row by primary key, with ICS23 proofs on request", true},
	{MethodQueryTable, "one page of an index or range scan of a table", true},
	{MethodGetBill, "what an address holds in state and has paid", true},
	{MethodGasPrice, "the minimum gas price and the storage price per byte", true},
	{MethodProveKey, "an ICS23 proof of any state key at a height, against that height's app hash (relayers)", true},
}

// Methods returns the table of the vsys_* methods, in the order of
// docs/rpc.md.
func Methods() []Method { return append([]Method(nil), methods[:]...) }
