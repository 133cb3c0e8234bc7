package app

import (
	"context"
	"fmt"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/core/state"
	"github.com/vsys/vsys/core/tx"
	"github.com/vsys/vsys/modules/billing"
	"github.com/vsys/vsys/modules/staking"
)

// The ABCI adapter: each abci.Application method translates CometBFT's
// types and calls the job's own function. Query and the snapshot methods
// are BaseApplication's (no-ops): JSON-RPC reads state through View,
// Call and Simulate instead.

// Info implements abci.Application: CometBFT's handshake replays blocks
// above the height reported here.
func (a *App) Info(context.Context, *abci.RequestInfo) (*abci.ResponseInfo, error) {
	res := &abci.ResponseInfo{Data: "vsys", Version: Version, AppVersion: AppVersion, LastBlockHeight: a.store.Version()}
	if res.LastBlockHeight > 0 {
		res.LastBlockAppHash = a.store.Hash()
	}
	return res, nil
}

// InitChain writes the genesis state into the working tree; block 1
// commits it (initchain.go).
func (a *App) InitChain(_ context.Context, req *abci.RequestInitChain) (*abci.ResponseInitChain, error) {
	var vals []staking.GenesisValidator
	for _, v := range req.Validators {
		vals = append(vals, staking.GenesisValidator{PubKey: v.PubKey.GetEd25519(), Power: v.Power})
	}
	hash, err := a.initChain(req.ChainId, req.AppStateBytes, vals, req.InitialHeight)
	if err != nil {
		return nil, err
	}
	return &abci.ResponseInitChain{AppHash: hash}, nil
}

// CheckTx admits a tx to the mempool or says why not (mempool.go).
func (a *App) CheckTx(_ context.Context, req *abci.RequestCheckTx) (*abci.ResponseCheckTx, error) {
	t, err := a.checkTx(req.Tx, req.Type == abci.CheckTxType_Recheck)
	if err != nil {
		a.opts.Metrics.txRejected()
		codespace, code := ResultOf(err)
		return &abci.ResponseCheckTx{Code: code, Codespace: codespace, Log: err.Error()}, nil
	}
	return &abci.ResponseCheckTx{GasWanted: int64(t.Body.GasLimit)}, nil
}

// PrepareProposal fills a block from the mempool's txs under the block
// rules (proposal.go).
func (a *App) PrepareProposal(_ context.Context, req *abci.RequestPrepareProposal) (*abci.ResponsePrepareProposal, error) {
	txs, err := a.propose(req.Txs, req.MaxTxBytes)
	if err != nil {
		return nil, err
	}
	return &abci.ResponsePrepareProposal{Txs: txs}, nil
}

// ProcessProposal accepts a proposed block only if it follows the block
// rules, judged exactly as PrepareProposal judges them (proposal.go).
func (a *App) ProcessProposal(_ context.Context, req *abci.RequestProcessProposal) (*abci.ResponseProcessProposal, error) {
	if err := a.checkProposal(req.Txs); err != nil {
		a.log.Error("rejected proposal", "height", req.Height, "proposer", fmt.Sprintf("%X", req.ProposerAddress), "err", err)
		return &abci.ResponseProcessProposal{Status: abci.ResponseProcessProposal_REJECT}, nil
	}
	return &abci.ResponseProcessProposal{Status: abci.ResponseProcessProposal_ACCEPT}, nil
}

// FinalizeBlock executes a decided block on the working tree: each tx by
// execTx (exec.go), then the end of the block (endblock.go).
func (a *App) FinalizeBlock(_ context.Context, req *abci.RequestFinalizeBlock) (*abci.ResponseFinalizeBlock, error) {
	start := time.Now()
	ci, r := a.chainInfo()
	a.block = router.Block{Height: req.Height, Time: req.Time, ChainID: ci.chainID}
	decoded, errs := a.decodeBlock(req.Txs, ci.params.MaxTxBytes)
	kv := a.store.Working()
	results := make([]*abci.ExecTxResult, len(req.Txs))
	var gasUsed uint64
	for i := range req.Txs {
		out, err := execTx(r, &ci, kv, decoded[i], errs[i], a.block, execMode{})
		if err != nil { // a broken store: halting beats diverging
			return nil, fmt.Errorf("height %d tx %d: %w", req.Height, i, err)
		}
		a.opts.Metrics.txDone(out.Err == nil)
		results[i] = txResult(r, kv, decoded[i], out)
		gasUsed += out.GasUsed
	}
	updates, err := a.endBlock(kv, blockEndOf(req))
	if err != nil {
		return nil, err
	}
	var valUpdates []abci.ValidatorUpdate
	for _, u := range updates {
		valUpdates = append(valUpdates, abci.Ed25519ValidatorUpdate(u.PubKey, u.Power))
	}
	hash := a.store.WorkingHash()
	a.blockTxs, a.blockGas = len(req.Txs), gasUsed
	a.opts.Metrics.blockDone(time.Since(start), len(req.Txs), gasUsed)
	return &abci.ResponseFinalizeBlock{TxResults: results, AppHash: hash, ValidatorUpdates: valUpdates}, nil
}

// txResult is a tx's ABCI result. A refused tx used no gas and reports
// neither its gas limit nor events.
func txResult(r *router.Router, kv state.KV, t *tx.Tx, out Outcome) *abci.ExecTxResult {
	res := &abci.ExecTxResult{}
	if !out.refused {
		res.GasWanted, res.GasUsed = int64(t.Body.GasLimit), int64(out.GasUsed)
		res.Events = abciEvents(r, kv, t, out.Events)
	}
	if out.Err != nil {
		res.Codespace, res.Code = ResultOf(out.Err)
		res.Log = out.Err.Error()
	} else {
		res.Data = EncodeResults(out.Results)
	}
	return res
}

// blockEndOf is what the end of the block needs of req: its proposer and
// the validators that signed the previous block.
func blockEndOf(req *abci.RequestFinalizeBlock) blockEnd {
	e := blockEnd{height: req.Height}
	if len(req.ProposerAddress) == address.Len {
		e.proposer, _ = address.FromBytes(req.ProposerAddress)
		e.hasProposer = true
	}
	for _, v := range req.DecidedLastCommit.Votes {
		if v.BlockIdFlag != cmtproto.BlockIDFlagCommit || len(v.Validator.Address) != address.Len {
			continue
		}
		va, _ := address.FromBytes(v.Validator.Address)
		e.signers = append(e.signers, billing.Validator{Address: va, Power: v.Validator.Power})
	}
	return e
}

// Commit saves the working tree as the next version (commit.go).
func (a *App) Commit(context.Context, *abci.RequestCommit) (*abci.ResponseCommit, error) {
	if err := a.commit(); err != nil {
		return nil, err
	}
	return &abci.ResponseCommit{}, nil
}
