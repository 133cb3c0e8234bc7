package token

import (
	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/core/state"
	"github.com/vsys/vsys/modules/native"
)

// CreateArgs are the arguments of create; the caller becomes the issuer.
type CreateArgs struct {
	Symbol    string
	Name      string
	Decimals  uint8
	MaxSupply codec.U128
}

// IssueArgs are the arguments of issue: new tokens go to the issuer.
type IssueArgs struct {
	Token  string
	Amount codec.U128
}

// SendArgs are the arguments of send.
type SendArgs struct {
	Token  string
	To     address.Address
	Amount codec.U128
}

// BurnArgs are the arguments of burn.
type BurnArgs struct {
	Token  string
	Amount codec.U128
}

// BalanceArgs are the arguments of balance.
type BalanceArgs struct {
	Address address.Address
	Token   string
}

// BalancesArgs are the arguments of balances.
type BalancesArgs struct{ Address address.Address }

// TokenArgs name one token.
type TokenArgs struct{ Token string }

// CreatedEvent is emitted by create.
type CreatedEvent struct {
	Token     string
	Issuer    address.Address
	MaxSupply codec.U128
}

// TransferEvent is emitted by send.
type TransferEvent struct {
	Token  string
	From   address.Address
	To     address.Address
	Amount codec.U128
}

// SupplyEvent is emitted by issue and burn.
type SupplyEvent struct {
	Token   string
	Account address.Address
	Amount  codec.U128
	Supply  codec.U128
}

// Module is the token module: the native contract (create, issue, send,
// burn and the reads) and the router.Bank through which the router, the
// other modules and the app reach balances. It holds no state of its own
// beyond its methods: every ledger it opens works on the state given.
type Module struct {
	*native.Module // the methods: the router.Contract side
}

var _ router.Bank = (*Module)(nil)

// Ledger implements router.Bank: the ledger on root, a root store.
func (*Module) Ledger(root state.KV) router.Ledger { return ledgerAt(root) }

// Minter implements router.Bank: minting on root, a root store.
func (*Module) Minter(root state.KV) router.Minter { return ledgerAt(root) }

// New returns the token module.
func New() *Module {
	c := native.New("token")
	native.EventType[CreatedEvent](c, "created")
	native.EventType[TransferEvent](c, "transfer")
	native.EventType[SupplyEvent](c, "issued")
	native.EventType[SupplyEvent](c, "burned")

	native.Method(c, "create", "Create a token; the caller is its issuer.", false,
		func(ctx *router.Context, a CreateArgs) (string, error) {
			l := ledger{ctx.Store()}
			if err := l.Create(Info{Symbol: a.Symbol, Name: a.Name, Decimals: a.Decimals, MaxSupply: a.MaxSupply, Issuer: ctx.Caller}); err != nil {
				return "", err
			}
			return a.Symbol, native.Emit(ctx, "created", CreatedEvent{Token: a.Symbol, Issuer: ctx.Caller, MaxSupply: a.MaxSupply})
		})
	native.Method(c, "issue", "Issue new tokens to the issuer, up to the max supply.", false,
		func(ctx *router.Context, a IssueArgs) (codec.U128, error) {
			l := ledger{ctx.Store()}
			info, err := l.Info(a.Token)
			if err != nil {
				return codec.U128{}, err
			}
			if info.Issuer == address.Zero || info.Issuer != ctx.Caller {
				return codec.U128{}, ErrNotIssuer
			}
			if err := l.Mint(ctx.Caller, a.Token, a.Amount); err != nil {
				return codec.U128{}, err
			}
			info, _ = l.Info(a.Token)
			return info.Supply, native.Emit(ctx, "issued", SupplyEvent{Token: a.Token, Account: ctx.Caller, Amount: a.Amount, Supply: info.Supply})
		})
	native.Method(c, "send", "Send tokens from the caller to an address.", false,
		func(ctx *router.Context, a SendArgs) (native.Empty, error) {
			if err := (ledger{ctx.Store()}).Transfer(ctx.Caller, a.To, a.Token, a.Amount); err != nil {
				return native.Empty{}, err
			}
			return native.Empty{}, native.Emit(ctx, "transfer", TransferEvent{Token: a.Token, From: ctx.Caller, To: a.To, Amount: a.Amount})
		})
	native.Method(c, "burn", "Destroy tokens the caller holds.", false,
		func(ctx *router.Context, a BurnArgs) (codec.U128, error) {
			l := ledger{ctx.Store()}
			if err := l.Burn(ctx.Caller, a.Token, a.Amount); err != nil {
				return codec.U128{}, err
			}
			info, err := l.Info(a.Token)
			if err != nil {
				return codec.U128{}, err
			}
			return info.Supply, native.Emit(ctx, "burned", SupplyEvent{Token: a.Token, Account: ctx.Caller, Amount: a.Amount, Supply: info.Supply})
		})
	native.Method(c, "balance", "Balance of one token held by an address.", true,
		func(ctx *router.Context, a BalanceArgs) (codec.U128, error) {
			l := ledger{ctx.Store()}
			if _, err := l.Info(a.Token); err != nil {
				return codec.U128{}, err
			}
			return l.Balance(a.Address, a.Token)
		})
	native.Method(c, "balances", "Every non-zero balance of an address.", true,
		func(ctx *router.Context, a BalancesArgs) ([]router.Coin, error) {
			return ledger{ctx.Store()}.Balances(a.Address)
		})
	native.Method(c, "info", "A token's record.", true,
		func(ctx *router.Context, a TokenArgs) (Info, error) {
			return ledger{ctx.Store()}.Info(a.Token)
		})
	native.Method(c, "supply", "A token's current supply.", true,
		func(ctx *router.Context, a TokenArgs) (codec.U128, error) {
			info, err := ledger{ctx.Store()}.Info(a.Token)
			return info.Supply, err
		})
	return &Module{c}
}
