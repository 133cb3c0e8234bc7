package app

import (
	"errors"

	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/gas"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/core/tx"
	"github.com/vsys/vsys/modules/token"
)

// Codespace is the ABCI codespace of every vsys error code.
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
)

// Result codes, stable across versions: clients test them. Each number
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
)

// CodeInfo is one row of the result-code table.
type CodeInfo struct {
	Code    uint32
	Name    string // the constant's name without "Code"
	Err     error  // the sentinel an error wraps to get this code; nil for OK and CallFailed
	Meaning string // one line, for docs/transactions.md
}

// Codes is the one table of result codes, in code order: CodeOf reads it
// and the docs' table is checked against it.
var Codes = []CodeInfo{
	{CodeOK, "OK", nil, "ok"},
	{CodeMalformed, "Malformed", tx.ErrMalformed, "malformed tx"},
	{CodeBadSignature, "BadSignature", tx.ErrBadSignature, "bad signature"},
	{CodeWrongChain, "WrongChain", ErrWrongChain, "wrong chain id"},
	{CodeBadNonce, "BadNonce", ErrBadNonce, "bad nonce"},
	{CodeInsufficientFee, "InsufficientFee", ErrInsufficientFee, "balance cannot cover the fee"},
	{CodeGasPriceTooLow, "GasPriceTooLow", ErrGasPriceTooLow, "gas price below minimum"},
	{CodeGasLimit, "GasLimit", ErrGasLimit, "gas limit out of range"},
	{CodeTxTooLarge, "TxTooLarge", ErrTxTooLarge, "tx too large"},
	{CodeOutOfGas, "OutOfGas", gas.ErrOutOfGas, "out of gas"},
	{CodeUnknownContract, "UnknownContract", router.ErrUnknownContract, "unknown contract"},
	{CodeUnknownMethod, "UnknownMethod", router.ErrUnknownMethod, "unknown method"},
	{CodeBadArgs, "BadArgs", router.ErrBadArgs, "bad arguments"},
	{CodeInsufficientFunds, "InsufficientFunds", token.ErrInsufficientFunds, "insufficient funds"},
	{CodeOverflow, "Overflow", codec.ErrOverflow, "u128 overflow"},
	{CodeCallDepth, "CallDepth", router.ErrCallDepth, "call depth exceeded"},
	{CodeReadOnly, "ReadOnly", router.ErrReadOnlyCall, "state change in a read-only call"},
	{CodeCallFailed, "CallFailed", nil, "any other failure inside a call"},
	{CodeTooManyWaiting, "TooManyWaiting", ErrTooManyWaiting, "too many txs waiting for an earlier nonce"},
	{CodeMemoryBudget, "MemoryBudget", router.ErrMemoryBudget, "wasm memory of the call stack over the budget"},
}

// CodeOf maps an error to its result code.
func CodeOf(err error) uint32 {
	if err == nil {
		return CodeOK
	}
	for _, c := range Codes {
		if c.Err != nil && errors.Is(err, c.Err) {
			return c.Code
		}
	}
	return CodeCallFailed
}
