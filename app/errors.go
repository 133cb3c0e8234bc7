package app

import (
	"errors"

	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/gas"
	"github.com/vsys/vsys/core/moduleid"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/core/tx"
	"github.com/vsys/vsys/modules/billing"
	"github.com/vsys/vsys/modules/database"
	"github.com/vsys/vsys/modules/interchain"
	"github.com/vsys/vsys/modules/interchain/lightclient"
	"github.com/vsys/vsys/modules/interchain/packet"
	"github.com/vsys/vsys/modules/interchain/transfer"
	"github.com/vsys/vsys/modules/staking"
	"github.com/vsys/vsys/modules/token"
	"github.com/vsys/vsys/modules/wasm"
)

// Codespace is the ABCI codespace of the app's, the router's and the tx's
// errors, whose codes are the Code constants. A native module's errors
// have the module's router name as their codespace (Codes).
const Codespace = "vsys"

// Ante errors: the tx is rejected before anything runs and pays nothing.
var (
	ErrTxTooLarge        = errors.New("tx too large")
	ErrWrongChain        = errors.New("wrong chain id")
	ErrBadNonce          = errors.New("bad nonce")
	ErrGasPriceTooLow    = errors.New("gas price below the minimum")
	ErrGasLimit          = errors.New("gas limit out of range")
	ErrInsufficientFee   = errors.New("insufficient balance for the fee")
	ErrBlockHeightNotYet = errors.New("height not yet committed")
	// ErrTooManyWaiting: the sender already has as many txs waiting for
	// their turn (nonces ahead of the next) as one sender may.
	ErrTooManyWaiting = errors.New("too many txs waiting for an earlier nonce")
	// ErrDiskQuota: the node's data directory is over its disk quota
	// (node-local, app.toml [admission]), so it admits no new txs; reads
	// still work.
	ErrDiskQuota = errors.New("node over its disk quota")
)

// Result codes of the "vsys" codespace, stable across versions: clients
// test them. Each number
// is written out (never iota) so that inserting a line cannot renumber the
// rest; TestResultCodesGolden pins them and docs/transactions.md's table is
// checked against Codes.
const (
	CodeOK                uint32 = 0
	CodeMalformed         uint32 = 1
	CodeBadSignature      uint32 = 2
	CodeWrongChain        uint32 = 3
	CodeBadNonce          uint32 = 4
	CodeInsufficientFee   uint32 = 5
	CodeGasPriceTooLow    uint32 = 6
	CodeGasLimit          uint32 = 7
	CodeTxTooLarge        uint32 = 8
	CodeOutOfGas          uint32 = 9
	CodeUnknownContract   uint32 = 10
	CodeUnknownMethod     uint32 = 11
	CodeBadArgs           uint32 = 12
	CodeInsufficientFunds uint32 = 13
	CodeOverflow          uint32 = 14
	CodeCallDepth         uint32 = 15
	CodeReadOnly          uint32 = 16
	CodeCallFailed        uint32 = 17 // any other failure inside a call
	CodeTooManyWaiting    uint32 = 18 // the sender's parked txs are at their bound
	CodeMemoryBudget      uint32 = 19 // the call stack's wasm memory is over the chain's budget
	CodeEventTooLarge     uint32 = 20 // an event's data is over max_event_bytes
	CodeReentrancy        uint32 = 21 // a call into a contract already running
	CodeHeightNotYet      uint32 = 22 // a query at a height not committed yet
	CodeNoLedger          uint32 = 23 // funds moved on a router without a token ledger (a wiring fault)
	CodeDiskQuota         uint32 = 24 // the node's data directory is over its disk quota: no new txs
	CodeNoVouchers        uint32 = 25 // a voucher mint by a contract it was not granted to
)

// CodeInfo is one row of the result-code table. A result is identified
// by its codespace and its code together, as in Cosmos SDK: each
// codespace numbers its own codes.
type CodeInfo struct {
	Codespace string // "vsys", or the module's router name (moduleid)
	Code      uint32
	Name      string // vsys: the constant's name without "Code"; a module's: its sentinel's name without "Err"
	Err       error  // the sentinel an error wraps to get this code; nil for OK and CallFailed
	Meaning   string // one line, for docs/transactions.md
}

// Codes is the one table of result codes: first the "vsys" codespace (the
// app's, the router's and the tx's errors), in code order, then each
// module's codespace, in module id order and code order. CodeOf reads it
// in this order, so an error wrapping both a vsys sentinel and a module's
// gets the vsys code, as before module codespaces existed; the docs'
// table is checked against it.
//
// token.ErrInsufficientFunds keeps vsys code 13: it is the error of the
// router's funds mover as well (funds attached to any call), and clients
// test that code. Module codes are written out like the vsys ones, and
// TestResultCodesGolden pins them too.
var Codes = []CodeInfo{
	{Codespace, CodeOK, "OK", nil, "ok"},
	{Codespace, CodeMalformed, "Malformed", tx.ErrMalformed, "malformed tx"},
	{Codespace, CodeBadSignature, "BadSignature", tx.ErrBadSignature, "bad signature"},
	{Codespace, CodeWrongChain, "WrongChain", ErrWrongChain, "wrong chain id"},
	{Codespace, CodeBadNonce, "BadNonce", ErrBadNonce, "bad nonce"},
	{Codespace, CodeInsufficientFee, "InsufficientFee", ErrInsufficientFee, "balance cannot cover the fee"},
	{Codespace, CodeGasPriceTooLow, "GasPriceTooLow", ErrGasPriceTooLow, "gas price below minimum"},
	{Codespace, CodeGasLimit, "GasLimit", ErrGasLimit, "gas limit out of range"},
	{Codespace, CodeTxTooLarge, "TxTooLarge", ErrTxTooLarge, "tx too large"},
	{Codespace, CodeOutOfGas, "OutOfGas", gas.ErrOutOfGas, "out of gas"},
	{Codespace, CodeUnknownContract, "UnknownContract", router.ErrUnknownContract, "unknown contract"},
	{Codespace, CodeUnknownMethod, "UnknownMethod", router.ErrUnknownMethod, "unknown method"},
	{Codespace, CodeBadArgs, "BadArgs", router.ErrBadArgs, "bad arguments"},
	{Codespace, CodeInsufficientFunds, "InsufficientFunds", token.ErrInsufficientFunds, "insufficient funds"},
	{Codespace, CodeOverflow, "Overflow", codec.ErrOverflow, "u128 overflow"},
	{Codespace, CodeCallDepth, "CallDepth", router.ErrCallDepth, "call depth exceeded"},
	{Codespace, CodeReadOnly, "ReadOnly", router.ErrReadOnlyCall, "state change in a read-only call"},
	{Codespace, CodeCallFailed, "CallFailed", nil, "any other failure inside a call"},
	{Codespace, CodeTooManyWaiting, "TooManyWaiting", ErrTooManyWaiting, "too many txs waiting for an earlier nonce"},
	{Codespace, CodeMemoryBudget, "MemoryBudget", router.ErrMemoryBudget, "wasm memory of the call stack over the budget"},
	{Codespace, CodeEventTooLarge, "EventTooLarge", router.ErrEventTooLarge, "event data over max_event_bytes"},
	{Codespace, CodeReentrancy, "Reentrancy", router.ErrReentrancy, "reentrant call into a running contract"},
	{Codespace, CodeHeightNotYet, "HeightNotYet", ErrBlockHeightNotYet, "height not committed yet (queries)"},
	{Codespace, CodeNoLedger, "NoLedger", router.ErrNoLedger, "no token ledger wired (a node fault)"},
	{Codespace, CodeDiskQuota, "DiskQuota", ErrDiskQuota, "node over its disk quota: no new txs (node-local)"},
	{Codespace, CodeNoVouchers, "NoVouchers", router.ErrNoVouchers, "voucher mint not granted to this contract"},

	{moduleid.NameToken, 1, "UnknownToken", token.ErrUnknownToken, "unknown token"},
	{moduleid.NameToken, 2, "TokenExists", token.ErrTokenExists, "token already exists"},
	{moduleid.NameToken, 3, "NotIssuer", token.ErrNotIssuer, "only the issuer may do this"},
	{moduleid.NameToken, 4, "MaxSupply", token.ErrMaxSupply, "max supply exceeded"},
	{moduleid.NameToken, 5, "Invalid", token.ErrInvalid, "invalid token parameters"},
	{moduleid.NameToken, 6, "NotVoucher", token.ErrNotVoucher, "not a voucher denom"},

	{moduleid.NameWasm, 1, "Unauthorized", wasm.ErrUnauthorized, "not the contract's admin"},
	{moduleid.NameWasm, 2, "CodeNotFound", wasm.ErrCodeNotFound, "code not found"},
	{moduleid.NameWasm, 3, "ContractExists", wasm.ErrContractExists, "contract exists"},
	{moduleid.NameWasm, 4, "NotContract", wasm.ErrNotContract, "not a contract"},

	{moduleid.NameDatabase, 1, "Schema", database.ErrSchema, "invalid schema"},
	{moduleid.NameDatabase, 2, "TableExists", database.ErrTableExists, "table already exists"},
	{moduleid.NameDatabase, 3, "NoTable", database.ErrNoTable, "no such table"},
	{moduleid.NameDatabase, 4, "Unauthorized", database.ErrUnauthorized, "not allowed to write this table"},
	{moduleid.NameDatabase, 5, "Duplicate", database.ErrDuplicate, "duplicate key"},
	{moduleid.NameDatabase, 6, "NotFound", database.ErrNotFound, "row not found"},
	{moduleid.NameDatabase, 7, "Row", database.ErrRow, "invalid row"},
	{moduleid.NameDatabase, 8, "Query", database.ErrQuery, "invalid query"},

	{moduleid.NameBilling, 1, "Deposit", billing.ErrDeposit, "storage deposit not covered"},
	{moduleid.NameBilling, 2, "Quota", billing.ErrQuota, "storage quota exceeded"},

	{moduleid.NameStaking, 1, "Invalid", staking.ErrInvalid, "invalid staking input"},
	{moduleid.NameStaking, 2, "Genesis", staking.ErrGenesis, "invalid staking genesis"},
	{moduleid.NameStaking, 3, "FundsAttached", staking.ErrFundsAttached, "staking methods take no attached funds"},
	{moduleid.NameStaking, 4, "NotMember", staking.ErrNotMember, "not a validator"},
	{moduleid.NameStaking, 5, "UnknownProposal", staking.ErrUnknownProposal, "unknown proposal"},
	{moduleid.NameStaking, 6, "AlreadyVoted", staking.ErrAlreadyVoted, "already voted"},
	{moduleid.NameStaking, 7, "LastValidator", staking.ErrLastValidator, "cannot remove the last validator"},
	{moduleid.NameStaking, 8, "TotalPower", staking.ErrTotalPower, "total voting power too large"},
	{moduleid.NameStaking, 9, "AlreadyCandidate", staking.ErrAlreadyCandidate, "already a candidate"},
	{moduleid.NameStaking, 10, "UnknownCandidate", staking.ErrUnknownCandidate, "unknown candidate"},
	{moduleid.NameStaking, 11, "PubKeyInUse", staking.ErrPubKeyInUse, "consensus pubkey already in use"},
	{moduleid.NameStaking, 12, "UnknownLease", staking.ErrUnknownLease, "unknown lease"},
	{moduleid.NameStaking, 13, "NotLessor", staking.ErrNotLessor, "only the lessor may do this"},

	{moduleid.NameInterchain, 1, "ClientNotFound", interchain.ErrClientNotFound, "client not found"},
	{moduleid.NameInterchain, 2, "ConsensusNotFound", interchain.ErrConsensusNotFound, "no consensus state at the proof height"},
	{moduleid.NameInterchain, 3, "CounterpartyNotFound", interchain.ErrCounterpartyNotFound, "counterparty not registered"},
	{moduleid.NameInterchain, 4, "Counterparty", interchain.ErrCounterparty, "invalid counterparty"},
	{moduleid.NameInterchain, 5, "Unauthorized", interchain.ErrUnauthorized, "not allowed (creator, validator or port)"},
	{moduleid.NameInterchain, 6, "Timeout", interchain.ErrTimeout, "invalid or elapsed timeout"},
	{moduleid.NameInterchain, 7, "CommitmentMismatch", interchain.ErrCommitmentMismatch, "packet does not match its commitment"},
	{moduleid.NameInterchain, 8, "ClientNotActive", interchain.ErrClientNotActive, "client frozen or expired"},
	{moduleid.NameInterchain, 9, "BadClientState", lightclient.ErrBadClientState, "invalid client state"},
	{moduleid.NameInterchain, 10, "BadConsensusState", lightclient.ErrBadConsensusState, "invalid consensus state"},
	{moduleid.NameInterchain, 11, "BadHeader", lightclient.ErrBadHeader, "invalid header"},
	{moduleid.NameInterchain, 12, "TooLarge", lightclient.ErrTooLarge, "header, misbehaviour or proof too large"},
	{moduleid.NameInterchain, 13, "ChainID", lightclient.ErrChainID, "header of another chain"},
	{moduleid.NameInterchain, 14, "Height", lightclient.ErrHeight, "invalid header height"},
	{moduleid.NameInterchain, 15, "TrustedValidators", lightclient.ErrTrustedValidators, "trusted validators do not match"},
	{moduleid.NameInterchain, 16, "HeaderFuture", lightclient.ErrHeaderFuture, "header beyond the max clock drift"},
	{moduleid.NameInterchain, 17, "InsufficientPower", lightclient.ErrInsufficientPower, "header signed by too little power"},
	{moduleid.NameInterchain, 18, "Frozen", lightclient.ErrFrozen, "client is frozen"},
	{moduleid.NameInterchain, 19, "Expired", lightclient.ErrExpired, "client is expired"},
	{moduleid.NameInterchain, 20, "Misbehaviour", lightclient.ErrMisbehaviour, "misbehaviour detected"},
	{moduleid.NameInterchain, 21, "NotMisbehaviour", lightclient.ErrNotMisbehaviour, "not valid misbehaviour"},
	{moduleid.NameInterchain, 22, "Proof", lightclient.ErrProof, "proof does not verify"},
	{moduleid.NameInterchain, 23, "Substitute", lightclient.ErrSubstitute, "invalid substitute client"},
	{moduleid.NameInterchain, 24, "InvalidPacket", packet.ErrInvalidPacket, "invalid packet"},
	{moduleid.NameInterchain, 25, "InvalidPayload", packet.ErrInvalidPayload, "invalid or oversized payload"},
	{moduleid.NameInterchain, 26, "InvalidAck", packet.ErrInvalidAck, "invalid acknowledgement"},
	{moduleid.NameInterchain, 27, "TransferData", transfer.ErrInvalidData, "invalid transfer packet data"},
	{moduleid.NameInterchain, 28, "TransferDenom", transfer.ErrInvalidDenom, "invalid transfer denom"},
	{moduleid.NameInterchain, 29, "TransferAck", transfer.ErrInvalidAck, "invalid transfer acknowledgement"},
	{moduleid.NameInterchain, 30, "Callback", interchain.ErrCallback, "contract callback failed (an error acknowledgement or a contract_callback event, never a tx result)"},
	{moduleid.NameInterchain, 31, "MemoHook", interchain.ErrMemoHook, "invalid memo hook (an error acknowledgement)"},
}

// ResultOf maps an error to its codespace and result code: the first row
// of Codes whose sentinel it wraps, else ("vsys", CodeCallFailed). A nil
// error is ("", CodeOK): ABCI leaves a success's codespace empty.
func ResultOf(err error) (codespace string, code uint32) {
	if err == nil {
		return "", CodeOK
	}
	for _, c := range Codes {
		if c.Err != nil && errors.Is(err, c.Err) {
			return c.Codespace, c.Code
		}
	}
	return Codespace, CodeCallFailed
}

// CodeOf maps an error to its result code within its codespace
// (ResultOf's; the code alone is ambiguous across codespaces).
func CodeOf(err error) uint32 {
	_, code := ResultOf(err)
	return code
}
