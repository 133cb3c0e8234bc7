//! token: a V SYSTEMS-style fungible token contract. The instantiating
//! account is the issuer; supply is capped at max_supply; all amounts are
//! u128 with checked arithmetic.
#![no_std]
extern crate alloc;
#[cfg(test)]
extern crate std;

use alloc::format;
use alloc::string::String;
use vsys_sdk::{fail, caller, entry, events, vsys_struct, Address, Ctx, Event, Item, Map, Result, View};

vsys_sdk::abi!();

vsys_struct! {
    pub struct InitArgs { pub name: String, pub symbol: String, pub decimals: u8, pub max_supply: u128 }
    pub struct AmountArgs { pub amount: u128 }
    pub struct SendArgs { pub to: Address, pub amount: u128 }
    pub struct BalanceArgs { pub address: Address }
    pub struct Info {
        pub name: String,
        pub symbol: String,
        pub decimals: u8,
        pub max_supply: u128,
        pub supply: u128,
        pub issuer: Address,
    }
}

events! {
    pub struct TransferEvent as "transfer" { pub from: Address, pub to: Address, pub amount: u128 }
    pub struct IssueEvent as "issue" { pub to: Address, pub amount: u128, pub supply: u128 }
    pub struct DestroyEvent as "destroy" { pub from: Address, pub amount: u128, pub supply: u128 }
}

/// The token's description and supply.
static INFO: Item<Info> = Item::new(b"info");
/// Balances: "b:" ‖ address → u128.
static BALANCES: Map<Address, u128> = Map::new(b"b:");

pub const MAX_DECIMALS: u8 = 18;
pub const MAX_SYMBOL_LEN: usize = 16;
pub const MAX_NAME_LEN: usize = 64;

fn positive(amount: u128) -> Result<()> {
    if amount == 0 {
        fail!("amount must be positive");
    }
    Ok(())
}

fn debit(c: &mut Ctx, who: &Address, amount: u128) -> Result<()> {
    let have = BALANCES.get_or(c, who, 0);
    let left = have
        .checked_sub(amount)
        .ok_or_else(|| format!("insufficient balance: have {}, need {}", have, amount))?;
    if left == 0 {
        BALANCES.remove(c, who);
    } else {
        BALANCES.set(c, who, &left);
    }
    Ok(())
}

fn credit(c: &mut Ctx, who: &Address, amount: u128) -> Result<()> {
    let v = BALANCES.get_or(c, who, 0).checked_add(amount).ok_or("balance overflow")?;
    BALANCES.set(c, who, &v);
    Ok(())
}

entry! {
    fn init(c: &mut Ctx, a: InitArgs) -> Result<()> {
        if INFO.exists(c) {
            fail!("already initialised");
        }
        if a.symbol.is_empty() || a.symbol.len() > MAX_SYMBOL_LEN {
            fail!("symbol must be 1 to {} bytes", MAX_SYMBOL_LEN);
        }
        if a.name.is_empty() || a.name.len() > MAX_NAME_LEN {
            fail!("name must be 1 to {} bytes", MAX_NAME_LEN);
        }
        if a.decimals > MAX_DECIMALS {
            fail!("decimals must be at most {}", MAX_DECIMALS);
        }
        positive(a.max_supply).map_err(|_| String::from("max_supply must be positive"))?;
        INFO.set(c, &Info {
            name: a.name,
            symbol: a.symbol,
            decimals: a.decimals,
            max_supply: a.max_supply,
            supply: 0,
            issuer: caller(),
        });
        Ok(())
    }

    /// Issuer only: mints amount to the issuer, up to max_supply.
    fn issue(c: &mut Ctx, a: AmountArgs) -> Result<()> {
        positive(a.amount)?;
        let mut info = INFO.load(c, "token");
        let who = caller();
        if who != info.issuer {
            fail!("only the issuer can issue");
        }
        let supply = match info.supply.checked_add(a.amount) {
            Some(s) if s <= info.max_supply => s,
            _ => fail!("issue exceeds max supply: supply {}, max {}", info.supply, info.max_supply),
        };
        info.supply = supply;
        INFO.set(c, &info);
        credit(c, &who, a.amount)?;
        IssueEvent { to: who, amount: a.amount, supply }.emit(c);
        Ok(())
    }

    /// Sends amount from the caller to to.
    fn send(c: &mut Ctx, a: SendArgs) -> Result<()> {
        positive(a.amount)?;
        let from = caller();
        debit(c, &from, a.amount)?;
        credit(c, &a.to, a.amount)?;
        TransferEvent { from, to: a.to, amount: a.amount }.emit(c);
        Ok(())
    }

    /// Burns amount of the caller's tokens.
    fn destroy(c: &mut Ctx, a: AmountArgs) -> Result<()> {
        positive(a.amount)?;
        let from = caller();
        debit(c, &from, a.amount)?;
        let mut info = INFO.load(c, "token");
        info.supply = info.supply.checked_sub(a.amount).ok_or("supply underflow")?;
        let supply = info.supply;
        INFO.set(c, &info);
        DestroyEvent { from, amount: a.amount, supply }.emit(c);
        Ok(())
    }

    /// The balance of address.
    #[view]
    fn balance(v: &View, a: BalanceArgs) -> Result<u128> {
        Ok(BALANCES.get_or(v, &a.address, 0))
    }

    /// Name, symbol, decimals, cap, current supply and issuer.
    #[view]
    fn info(v: &View) -> Result<Info> {
        Ok(INFO.load(v, "token"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;
    use vsys_sdk::testing::{self, addr};
    use vsys_sdk::AbiType;

    fn setup(max: u128) -> Address {
        testing::reset();
        let issuer = addr("issuer");
        testing::set_caller(issuer);
        testing::exec::<_, ()>(init, &init_args(max)).unwrap();
        issuer
    }

    fn init_args(max: u128) -> InitArgs {
        InitArgs { name: "Gold".to_string(), symbol: "GOLD".to_string(), decimals: 8, max_supply: max }
    }

    fn bal(a: Address) -> u128 {
        testing::query(balance, &BalanceArgs { address: a }).unwrap()
    }

    #[test]
    fn abi_matches_types() {
        testing::assert_abi_method(ABI_JSON, "issue", &AmountArgs::abi_type(), "struct{}", false);
        testing::assert_abi_method(ABI_JSON, "send", &SendArgs::abi_type(), "struct{}", false);
        testing::assert_abi_method(ABI_JSON, "destroy", &AmountArgs::abi_type(), "struct{}", false);
        testing::assert_abi_method(ABI_JSON, "balance", &BalanceArgs::abi_type(), "u128", true);
        testing::assert_abi_method(ABI_JSON, "info", "struct{}", &Info::abi_type(), true);
        testing::assert_abi_event(ABI_JSON, "transfer", &TransferEvent::abi_type());
        testing::assert_abi_event(ABI_JSON, "issue", &IssueEvent::abi_type());
        testing::assert_abi_event(ABI_JSON, "destroy", &DestroyEvent::abi_type());
        assert_eq!(testing::abi_entry_type(ABI_JSON, "init"), Some(InitArgs::abi_type()));
    }

    #[test]
    fn issue_send_destroy() {
        let issuer = setup(1_000);
        let bob = addr("bob");
        testing::exec::<_, ()>(issue, &AmountArgs { amount: 600 }).unwrap();
        testing::exec::<_, ()>(send, &SendArgs { to: bob, amount: 250 }).unwrap();
        assert_eq!((bal(issuer), bal(bob)), (350, 250));
        testing::set_caller(bob);
        testing::exec::<_, ()>(destroy, &AmountArgs { amount: 50 }).unwrap();
        let i: Info = testing::query(info, &()).unwrap();
        assert_eq!(i, Info { name: "Gold".into(), symbol: "GOLD".into(), decimals: 8, max_supply: 1_000, supply: 550, issuer });
        let ev = testing::events();
        assert_eq!(ev.iter().map(|e| e.name.as_str()).collect::<std::vec::Vec<_>>(), ["issue", "transfer", "destroy"]);
        assert_eq!(ev[0].decode::<IssueEvent>(), IssueEvent { to: issuer, amount: 600, supply: 600 });
        assert_eq!(ev[1].decode::<TransferEvent>(), TransferEvent { from: issuer, to: bob, amount: 250 });
        assert_eq!(ev[2].decode::<DestroyEvent>(), DestroyEvent { from: bob, amount: 50, supply: 550 });
    }

    #[test]
    fn issuer_only_and_cap() {
        setup(100);
        testing::exec::<_, ()>(issue, &AmountArgs { amount: 100 }).unwrap();
        let e = testing::exec::<_, ()>(issue, &AmountArgs { amount: 1 }).unwrap_err();
        assert_eq!(e, "issue exceeds max supply: supply 100, max 100");
        testing::set_caller(addr("mallory"));
        assert_eq!(testing::exec::<_, ()>(issue, &AmountArgs { amount: 1 }), Err("only the issuer can issue".into()));
    }

    #[test]
    fn u128_edges() {
        let issuer = setup(u128::MAX);
        testing::exec::<_, ()>(issue, &AmountArgs { amount: u128::MAX }).unwrap();
        assert_eq!(bal(issuer), u128::MAX);
        let e = testing::exec::<_, ()>(issue, &AmountArgs { amount: 1 }).unwrap_err();
        assert!(e.starts_with("issue exceeds max supply"), "{}", e);
        testing::exec::<_, ()>(send, &SendArgs { to: addr("bob"), amount: u128::MAX }).unwrap();
        assert_eq!(bal(issuer), 0);
        assert_eq!(bal(addr("bob")), u128::MAX);
    }

    #[test]
    fn failures_change_nothing() {
        let issuer = setup(1_000);
        testing::exec::<_, ()>(issue, &AmountArgs { amount: 10 }).unwrap();
        let n = testing::events().len();
        let e = testing::exec::<_, ()>(send, &SendArgs { to: addr("bob"), amount: 11 }).unwrap_err();
        assert_eq!(e, "insufficient balance: have 10, need 11");
        assert_eq!(testing::exec::<_, ()>(send, &SendArgs { to: addr("bob"), amount: 0 }), Err("amount must be positive".into()));
        assert_eq!(testing::exec::<_, ()>(destroy, &AmountArgs { amount: 11 }), Err("insufficient balance: have 10, need 11".into()));
        assert_eq!(bal(issuer), 10);
        assert_eq!(testing::events().len(), n);
        // self-send keeps the balance
        testing::exec::<_, ()>(send, &SendArgs { to: issuer, amount: 10 }).unwrap();
        assert_eq!(bal(issuer), 10);
    }

    #[test]
    fn init_validation() {
        testing::reset();
        let bad = |a: InitArgs| testing::exec::<_, ()>(init, &a).unwrap_err();
        assert_eq!(bad(InitArgs { symbol: String::new(), ..init_args(1) }), "symbol must be 1 to 16 bytes");
        assert_eq!(bad(InitArgs { decimals: 19, ..init_args(1) }), "decimals must be at most 18");
        assert_eq!(bad(init_args(0)), "max_supply must be positive");
        testing::exec::<_, ()>(init, &init_args(5)).unwrap();
        assert_eq!(bad(init_args(5)), "already initialised");
        assert_eq!(testing::query::<_, u128>(balance, &BalanceArgs { address: addr("x") }), Ok(0));
    }
}
