package app

import (
	"errors"

	"github.com/vsys/vsys/app/codec"
	"github.com/vsys/vsys/app/gas"
	"github.com/vsys/vsys/app/router"
	"github.com/vsys/vsys/app/tx"
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

// Result codes, stable across versions: clients test them.
const (
	CodeOK uint32 = iota
	CodeMalformed
	CodeBadSignature
	CodeWrongChain
	CodeBadNonce
	CodeInsufficientFee
	CodeGasPriceTooLow
	CodeGasLimit
	CodeTxTooLarge
	CodeOutOfGas
	CodeUnknownContract
	CodeUnknownMethod
	CodeBadArgs
	CodeInsufficientFunds
	CodeOverflow
	CodeCallDepth
	CodeReadOnly
	CodeCallFailed     // any other failure inside a call
	CodeTooManyWaiting // the sender's parked txs are at their bound
	CodeMemoryBudget   // the call stack's wasm memory is over the chain's budget
)

var codeOf = []struct {
	err  error
	code uint32
}{
	{tx.ErrMalformed, CodeMalformed},
	{tx.ErrBadSignature, CodeBadSignature},
	{ErrWrongChain, CodeWrongChain},
	{ErrBadNonce, CodeBadNonce},
	{ErrInsufficientFee, CodeInsufficientFee},
	{ErrGasPriceTooLow, CodeGasPriceTooLow},
	{ErrGasLimit, CodeGasLimit},
	{ErrTxTooLarge, CodeTxTooLarge},
	{ErrTooManyWaiting, CodeTooManyWaiting},
	{gas.ErrOutOfGas, CodeOutOfGas},
	{router.ErrUnknownContract, CodeUnknownContract},
	{router.ErrUnknownMethod, CodeUnknownMethod},
	{router.ErrBadArgs, CodeBadArgs},
	{token.ErrInsufficientFunds, CodeInsufficientFunds},
	{codec.ErrOverflow, CodeOverflow},
	{router.ErrCallDepth, CodeCallDepth},
	{router.ErrReadOnlyCall, CodeReadOnly},
	{router.ErrMemoryBudget, CodeMemoryBudget},
}

// CodeOf maps an error to its result code.
func CodeOf(err error) uint32 {
	if err == nil {
		return CodeOK
	}
	for _, c := range codeOf {
		if errors.Is(err, c.err) {
			return c.code
		}
	}
	return CodeCallFailed
}
