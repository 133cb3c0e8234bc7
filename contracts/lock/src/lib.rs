//! lock: locks native coins attached to a call until a block height and/or
//! a block time, then pays them back through the native token module
//! (its address is the init argument: `vsys1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqp8hmvun`,
//! `Address::module(1)`, on a standard chain).
#![no_std]
extern crate alloc;
#[cfg(test)]
extern crate std;

use alloc::string::String;
use vsys_sdk::{fail, 
    block_height, block_time, caller, entry, events, funds, token, vsys_struct, Address, Ctx, Event, Item, Map, Result, View,
};

vsys_sdk::abi!();

vsys_struct! {
    pub struct InitArgs { pub token_module: Address }
    pub struct LockArgs { pub until_height: u64, pub until_time: i64 }
    pub struct OwnerArgs { pub owner: Address }
    pub struct Lock { pub amount: u128, pub token: String, pub until_height: u64, pub until_time: i64 }
}

events! {
    pub struct LockedEvent as "locked" {
        pub owner: Address,
        pub token: String,
        pub amount: u128,
        pub total: u128,
        pub until_height: u64,
        pub until_time: i64,
    }
    pub struct WithdrawnEvent as "withdrawn" { pub owner: Address, pub token: String, pub amount: u128 }
}

static TOKEN_MODULE: Item<Address> = Item::new(b"token_module");
/// "l:" ‖ owner → lock.
static LOCKS: Map<Address, Lock> = Map::new(b"l:");

entry! {
    fn init(c: &mut Ctx, a: InitArgs) -> Result<()> {
        if TOKEN_MODULE.exists(c) {
            fail!("already initialised");
        }
        TOKEN_MODULE.set(c, &a.token_module);
        Ok(())
    }

    /// Locks the one native coin attached as funds for the caller until both the block height
    /// reaches until_height and the block time (Unix ns) reaches until_time (0 disables either).
    /// Adding to an existing lock of the same token keeps the later deadlines.
    fn lock(c: &mut Ctx, a: LockArgs) -> Result<()> {
        let mut coins = funds();
        if coins.is_empty() {
            fail!("no funds attached");
        }
        if coins.len() != 1 {
            fail!("attach exactly one coin");
        }
        let coin = coins.remove(0);
        if coin.amount == 0 {
            fail!("no funds attached");
        }
        let owner = caller();
        let l = match LOCKS.get(c, &owner) {
            None => Lock { amount: coin.amount, token: coin.token.clone(), until_height: a.until_height, until_time: a.until_time },
            Some(old) => {
                if old.token != coin.token {
                    fail!("already locking {}; withdraw first", old.token);
                }
                Lock {
                    amount: old.amount.checked_add(coin.amount).ok_or("amount overflow")?,
                    token: old.token,
                    until_height: old.until_height.max(a.until_height),
                    until_time: old.until_time.max(a.until_time),
                }
            }
        };
        LOCKS.set(c, &owner, &l);
        LockedEvent {
                owner,
                token: coin.token,
                amount: coin.amount,
                total: l.amount,
                until_height: l.until_height,
                until_time: l.until_time,
            }.emit(c);
        Ok(())
    }

    /// After the deadline, pays the caller's locked coins back through the token module's send;
    /// returns the amount.
    fn withdraw(c: &mut Ctx) -> Result<u128> {
        let owner = caller();
        let l = LOCKS.get(c, &owner).ok_or("nothing locked")?;
        let (h, t) = (block_height(), block_time());
        if h < l.until_height || t < l.until_time {
            fail!(
                "locked until height {} and time {} (now height {}, time {})",
                l.until_height, l.until_time, h, t
            );
        }
        LOCKS.remove(c, &owner);
        let module = TOKEN_MODULE.load(c, "token module");
        token::Client::at(module).send(c, &l.token, &owner, l.amount).map_err(|e| e.context("payout failed"))?;
        WithdrawnEvent { owner, token: l.token, amount: l.amount }.emit(c);
        Ok(l.amount)
    }

    /// The owner's lock, if any.
    #[view]
    fn info(v: &View, a: OwnerArgs) -> Result<Option<Lock>> {
        Ok(LOCKS.get(v, &a.owner))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vsys_sdk::testing::{self, addr, coin};
    use vsys_sdk::AbiType;

    const VSYS: &str = "VSYS";

    fn setup() -> Address {
        testing::reset();
        let module = Address::module(1);
        testing::install_token_module(module);
        testing::exec::<_, ()>(init, &InitArgs { token_module: module }).unwrap();
        let alice = addr("alice");
        testing::set_balance(alice, VSYS, 1_000);
        testing::set_caller(alice);
        testing::set_block(10, 1_000);
        alice
    }

    #[test]
    fn abi_matches_types() {
        testing::assert_abi_method(ABI_JSON, "lock", &LockArgs::abi_type(), "struct{}", false);
        testing::assert_abi_method(ABI_JSON, "withdraw", "struct{}", "u128", false);
        testing::assert_abi_method(ABI_JSON, "info", &OwnerArgs::abi_type(), &Option::<Lock>::abi_type(), true);
        testing::assert_abi_event(ABI_JSON, "locked", &LockedEvent::abi_type());
        testing::assert_abi_event(ABI_JSON, "withdrawn", &WithdrawnEvent::abi_type());
        assert_eq!(testing::abi_entry_type(ABI_JSON, "init"), Some(InitArgs::abi_type()));
        assert_eq!(Address::module(1).to_bech32(), "vsys1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqp8hmvun");
    }

    #[test]
    fn lock_then_withdraw_after_deadline() {
        let alice = setup();
        let me = testing::contract();
        testing::exec_with_funds::<_, ()>(lock, &LockArgs { until_height: 20, until_time: 5_000 }, &[coin(VSYS, 300)]).unwrap();
        assert_eq!(testing::balance(alice, VSYS), 700);
        assert_eq!(testing::balance(me, VSYS), 300);
        let l: Option<Lock> = testing::query(info, &OwnerArgs { owner: alice }).unwrap();
        assert_eq!(l, Some(Lock { amount: 300, token: VSYS.into(), until_height: 20, until_time: 5_000 }));

        let e = testing::exec::<_, u128>(withdraw, &()).unwrap_err();
        assert_eq!(e, "locked until height 20 and time 5000 (now height 10, time 1000)");
        testing::set_block(20, 4_999);
        assert!(testing::exec::<_, u128>(withdraw, &()).is_err(), "time not reached");
        testing::set_block(20, 5_000);
        assert_eq!(testing::exec::<_, u128>(withdraw, &()), Ok(300));
        assert_eq!(testing::balance(alice, VSYS), 1_000);
        assert_eq!(testing::balance(me, VSYS), 0);
        assert_eq!(testing::query::<_, Option<Lock>>(info, &OwnerArgs { owner: alice }), Ok(None));
        assert_eq!(testing::exec::<_, u128>(withdraw, &()), Err("nothing locked".into()));
        let ev = testing::events();
        assert_eq!(ev.last().unwrap().decode::<WithdrawnEvent>(), WithdrawnEvent { owner: alice, token: VSYS.into(), amount: 300 });
    }

    #[test]
    fn top_up_keeps_later_deadline() {
        let alice = setup();
        testing::exec_with_funds::<_, ()>(lock, &LockArgs { until_height: 50, until_time: 0 }, &[coin(VSYS, 100)]).unwrap();
        testing::exec_with_funds::<_, ()>(lock, &LockArgs { until_height: 30, until_time: 7 }, &[coin(VSYS, 50)]).unwrap();
        let l: Option<Lock> = testing::query(info, &OwnerArgs { owner: alice }).unwrap();
        assert_eq!(l, Some(Lock { amount: 150, token: VSYS.into(), until_height: 50, until_time: 7 }));
        testing::set_balance(alice, "GOLD", 5);
        let e = testing::exec_with_funds::<_, ()>(lock, &LockArgs { until_height: 1, until_time: 0 }, &[coin("GOLD", 5)]);
        assert_eq!(e, Err("already locking VSYS; withdraw first".into()));
        assert_eq!(testing::balance(alice, "GOLD"), 5, "funds of a failed call go back");
    }

    #[test]
    fn rejects_bad_funds() {
        let alice = setup();
        assert_eq!(testing::exec::<_, ()>(lock, &LockArgs { until_height: 1, until_time: 0 }), Err("no funds attached".into()));
        testing::set_balance(alice, "GOLD", 5);
        let e = testing::exec_with_funds::<_, ()>(lock, &LockArgs { until_height: 1, until_time: 0 }, &[coin(VSYS, 1), coin("GOLD", 1)]);
        assert_eq!(e, Err("attach exactly one coin".into()));
        assert_eq!(testing::balance(alice, VSYS), 1_000);
    }

    #[test]
    fn failed_payout_keeps_the_lock() {
        let alice = setup();
        testing::exec_with_funds::<_, ()>(lock, &LockArgs { until_height: 0, until_time: 0 }, &[coin(VSYS, 10)]).unwrap();
        // a token module that refuses: the withdraw fails and the lock stays
        testing::register_native(Address::module(1), |_| Err("token module down".into()));
        let e = testing::exec::<_, u128>(withdraw, &()).unwrap_err();
        assert_eq!(e, "payout failed: token module down");
        assert!(testing::query::<_, Option<Lock>>(info, &OwnerArgs { owner: alice }).unwrap().is_some());
    }
}
