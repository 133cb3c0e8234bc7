package server

import (
	"context"
	"encoding/json"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/modules/billing"
	"github.com/vsys/vsys/rpc"
)

// The methods about an address's holdings and the prices it pays.

func (h *handlers) getAccount(_ context.Context, raw json.RawMessage) (any, error) {
	var addr address.Address
	var height rpc.Height
	if err := params(raw, 1, &addr, &height); err != nil {
		return nil, err
	}
	acc, err := h.App.Account(int64(height), addr)
	if err != nil {
		return nil, appError(err)
	}
	out := rpc.Account{Address: acc.Address, Nonce: acc.Nonce, Height: acc.Height, Balances: make([]rpc.Coin, len(acc.Balances))}
	for i, c := range acc.Balances {
		out.Balances[i] = rpc.Coin{Token: c.Token, Amount: c.Amount}
	}
	return out, nil
}

func (h *handlers) gasPrice(context.Context, json.RawMessage) (any, error) {
	p := h.App.Params()
	return rpc.GasPrice{MinGasPrice: p.MinGasPrice, StoragePricePerByte: p.Billing.StoragePricePerByte, NativeToken: h.App.NativeToken()}, nil
}

func (h *handlers) getBill(_ context.Context, raw json.RawMessage) (any, error) {
	var addr address.Address
	var height rpc.Height
	if err := params(raw, 1, &addr, &height); err != nil {
		return nil, err
	}
	kv, hgt, err := h.App.View(int64(height))
	if err != nil {
		return nil, appError(err)
	}
	b, err := billing.ReadBill(kv, addr)
	if err != nil {
		return nil, appError(err)
	}
	out := rpc.Bill{Address: b.Address, Bytes: b.Bytes, Deposit: b.Deposit, FeesPaid: b.FeesPaid, GasUsed: b.GasUsed,
		Funded: b.Funded, Height: hgt, Categories: make([]rpc.BillCategory, len(b.Categories))}
	for i, c := range b.Categories {
		out.Categories[i] = rpc.BillCategory{Category: c.Category, Bytes: c.Bytes}
	}
	return out, nil
}
