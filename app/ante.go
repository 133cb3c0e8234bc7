package app

import (
	"encoding/binary"
	"fmt"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/gas"
	"github.com/vsys/vsys/core/state"
	"github.com/vsys/vsys/core/tx"
)

// The ante checks: what is checked of a tx before any of its calls runs.
// A tx refused here changes nothing and pays nothing. The signature is
// checked before, when the tx is decoded (verify.go), in parallel for a
// whole block.

// accountKey is where an account's next nonce is kept.
func accountKey(a address.Address) []byte {
	return append([]byte{'a'}, a[:]...)
}

// staticCheck is the part of ante that depends only on the tx, the gas
// limit it runs with and the chain's params: a tx failing it can never
// run, whatever the state. Proposals leave such txs out (ProcessProposal
// rejects a block with one). gasLimit is the tx's own, except in Simulate.
func staticCheck(ci *chainInfo, t *tx.Tx, gasLimit uint64) error {
	b := &t.Body
	p := &ci.params
	if b.ChainID != ci.chainID {
		return fmt.Errorf("%w: tx is for %q, this chain is %q", ErrWrongChain, b.ChainID, ci.chainID)
	}
	if b.GasPrice.Cmp(p.MinGasPrice) < 0 {
		return fmt.Errorf("%w: %s < %s", ErrGasPriceTooLow, b.GasPrice, p.MinGasPrice)
	}
	intrinsic := IntrinsicGas(&p.Costs, len(t.Bytes()))
	if gasLimit < intrinsic || gasLimit > p.MaxGasPerTx {
		return fmt.Errorf("%w: gas limit %d, need at least %d (intrinsic) and at most %d", ErrGasLimit, gasLimit, intrinsic, p.MaxGasPerTx)
	}
	return nil
}

// holdMaxFee is the mempool's admission check (CheckTx): admit with the
// tx's own gas limit, then it holds the maximum fee (gas_limit ×
// gas_price) on the check state, so that the sender's next tx is checked
// against what is left. Delivery never moves the maximum fee: see execTx.
func holdMaxFee(kv state.KV, ci *chainInfo, t *tx.Tx) error {
	maxFee, err := admit(kv, ci, t, t.Body.GasLimit, t.Body.GasLimit)
	if err != nil {
		return err
	}
	if err := ci.bank.Ledger(kv).Transfer(t.Sender(), FeeCollector, ci.native, maxFee); err != nil {
		return fmt.Errorf("%w: fee up to %s %s: %v", ErrInsufficientFee, maxFee, ci.native, err)
	}
	return nil
}

// admit checks what can be checked without running calls, for a tx run
// with gasLimit: chain id, gas price, intrinsic ≤ gasLimit ≤ max_gas_per_tx,
// the nonce, and that the sender's native balance covers payFor ×
// gas_price (payFor is gasLimit, except in the first pass of Simulate).
// On success it bumps the nonce and returns gasLimit × gas_price. It moves
// no coin: the fee is taken after the calls (execTx), so what the calls
// see, and therefore the gas they use, cannot depend on the gas limit.
func admit(kv state.KV, ci *chainInfo, t *tx.Tx, gasLimit, payFor uint64) (codec.U128, error) {
	if err := staticCheck(ci, t, gasLimit); err != nil {
		return codec.U128{}, err
	}
	b := &t.Body
	sender := t.Sender()
	nonce, err := Nonce(kv, sender)
	if err != nil {
		return codec.U128{}, err
	}
	if b.Nonce != nonce {
		return codec.U128{}, fmt.Errorf("%w: account %s expects nonce %d, tx has %d", ErrBadNonce, sender, nonce, b.Nonce)
	}
	maxFee, err := b.GasPrice.Mul64(gasLimit)
	if err != nil {
		return codec.U128{}, fmt.Errorf("%w: gas_limit × gas_price: %v", ErrInsufficientFee, err)
	}
	need, _ := b.GasPrice.Mul64(payFor) // payFor ≤ gasLimit
	bal, err := ci.bank.Ledger(kv).Balance(sender, ci.native)
	if err != nil {
		return codec.U128{}, err
	}
	if bal.Cmp(need) < 0 {
		return codec.U128{}, fmt.Errorf("%w: fee up to %s %s: %s has %s", ErrInsufficientFee, need, ci.native, sender, bal)
	}
	return maxFee, setNonce(kv, sender, nonce+1)
}

// IntrinsicGas is what every tx pays before its first call: a base, its
// bytes and one signature check. It depends only on the tx's length, so an
// estimate made with a placeholder signature is exact.
func IntrinsicGas(c *gas.Costs, txLen int) uint64 {
	return c.TxBase + c.TxByte*uint64(txLen) + c.SigVerify
}

// Nonce returns the next nonce an account must use.
func Nonce(kv state.KV, a address.Address) (uint64, error) {
	b, err := kv.Get(accountKey(a))
	if err != nil || b == nil {
		return 0, err
	}
	if len(b) != 8 {
		return 0, fmt.Errorf("account %s: corrupt nonce record", a)
	}
	return binary.LittleEndian.Uint64(b), nil
}

func setNonce(kv state.KV, a address.Address, n uint64) error {
	return kv.Set(accountKey(a), binary.LittleEndian.AppendUint64(nil, n))
}
