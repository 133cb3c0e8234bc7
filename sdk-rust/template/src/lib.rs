//! @NAME@: a vsys contract made from sdk-rust/template (scripts/new-contract.sh).
//!
//! A jar of native coins: anyone `deposit`s the coins attached to the call,
//! the owner (who instantiated it) `withdraw`s them, `total` reads the
//! balance. It shows the SDK's pieces: `entry!` (with `#[view]` and doc
//! comments, which become the ABI), the two handles (`&mut Ctx` for
//! methods that write, `&View` for `#[view]` ones, which cannot write),
//! `events!`, typed errors with codes, the token-module client and typed
//! storage.
//!
//! `./test.sh` runs the native tests; `./build.sh` writes `@NAME@.wasm`,
//! whose `vsys_abi` section is generated from the declarations below.
#![no_std]
extern crate alloc;
#[cfg(test)]
extern crate std;

use vsys_sdk::{caller, ensure, entry, events, fail, funds, token, vsys_struct, Address, Ctx, Event, Item, Map, Result, View};

vsys_sdk::abi!();

vsys_struct! {
    pub struct WithdrawArgs { pub amount: u128 }
    pub struct DepositorArgs { pub address: Address }
}

events! {
    pub struct Deposited as "deposited" { pub from: Address, pub amount: u128, pub total: u128 }
    pub struct Withdrawn as "withdrawn" { pub to: Address, pub amount: u128, pub total: u128 }
}

/// Error codes: the tx log shows `E<code>: message`.
pub const E_NOT_OWNER: u32 = 1;
pub const E_NO_FUNDS: u32 = 2;
pub const E_TOO_MUCH: u32 = 3;

static OWNER: Item<Address> = Item::new(b"owner");
static TOTAL: Item<u128> = Item::new(b"total");
/// "d:" ‖ depositor → what it deposited in all.
static DEPOSITS: Map<Address, u128> = Map::new(b"d:");

entry! {
    fn init(ctx: &mut Ctx) -> Result<()> {
        ensure!(!OWNER.exists(ctx), "already initialised");
        OWNER.set(ctx, &caller());
        Ok(())
    }

    /// Keeps the native coins attached to the call; returns the jar's total.
    fn deposit(ctx: &mut Ctx) -> Result<u128> {
        let mut amount: u128 = 0;
        for c in funds() {
            ensure!(c.token == token::NATIVE, code = E_NO_FUNDS, "only {} is accepted, not {}", token::NATIVE, c.token);
            amount = amount.checked_add(c.amount).ok_or("amount overflow")?;
        }
        ensure!(amount > 0, code = E_NO_FUNDS, "attach some {}", token::NATIVE);
        let from = caller();
        let total = TOTAL.get_or(ctx, 0).checked_add(amount).ok_or("total overflow")?;
        TOTAL.set(ctx, &total);
        let before = DEPOSITS.get_or(ctx, &from, 0);
        DEPOSITS.set(ctx, &from, &before.saturating_add(amount));
        Deposited { from, amount, total }.emit(ctx);
        Ok(total)
    }

    /// Owner only: pays amount out of the jar to the owner.
    fn withdraw(ctx: &mut Ctx, a: WithdrawArgs) -> Result<()> {
        let owner = OWNER.load(ctx, "owner");
        if caller() != owner {
            fail!(code = E_NOT_OWNER, "only the owner can withdraw");
        }
        let total = TOTAL.get_or(ctx, 0);
        ensure!(a.amount <= total, code = E_TOO_MUCH, "the jar holds {}, not {}", total, a.amount);
        TOTAL.set(ctx, &(total - a.amount));
        token::send(ctx, token::NATIVE, &owner, a.amount).map_err(|e| e.context("payout failed"))?;
        Withdrawn { to: owner, amount: a.amount, total: total - a.amount }.emit(ctx);
        Ok(())
    }

    /// What the jar holds.
    #[view]
    fn total(v: &View) -> Result<u128> {
        Ok(TOTAL.get_or(v, 0))
    }

    /// What address deposited in all.
    #[view]
    fn deposited(v: &View, a: DepositorArgs) -> Result<u128> {
        Ok(DEPOSITS.get_or(v, &a.address, 0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vsys_sdk::testing::{self, addr, coin};

    fn setup() -> Address {
        testing::reset();
        testing::install_token_module(token::MODULE);
        let owner = addr("owner");
        testing::set_caller(owner);
        testing::exec::<_, ()>(init, &()).unwrap();
        owner
    }

    #[test]
    fn deposit_and_withdraw() {
        let owner = setup();
        let alice = addr("alice");
        testing::set_balance(alice, "VSYS", 100);
        testing::set_caller(alice);
        assert_eq!(testing::exec_with_funds(deposit, &(), &[coin("VSYS", 60)]), Ok(60u128));
        assert_eq!(testing::query(total, &()), Ok(60u128));
        assert_eq!(testing::query(deposited, &DepositorArgs { address: alice }), Ok(60u128));
        assert_eq!(testing::exec::<_, ()>(withdraw, &WithdrawArgs { amount: 1 }), Err("E1: only the owner can withdraw".into()));
        testing::set_caller(owner);
        assert_eq!(testing::exec::<_, ()>(withdraw, &WithdrawArgs { amount: 61 }), Err("E3: the jar holds 60, not 61".into()));
        testing::exec::<_, ()>(withdraw, &WithdrawArgs { amount: 45 }).unwrap();
        assert_eq!(testing::balance(owner, "VSYS"), 45);
        assert_eq!(testing::query(total, &()), Ok(15u128));
        let ev = testing::events();
        assert_eq!(ev[0].decode::<Deposited>(), Deposited { from: alice, amount: 60, total: 60 });
        assert_eq!(ev[1].name, Withdrawn::NAME);
    }

    #[test]
    fn refuses_no_funds() {
        setup();
        assert_eq!(testing::exec::<_, u128>(deposit, &()), Err("E2: attach some VSYS".into()));
    }

    #[test]
    fn abi_is_generated() {
        let m = testing::abi_method(ABI_JSON, "total").unwrap();
        assert!(m.readonly);
        assert_eq!(testing::abi_entry_type(ABI_JSON, "init").as_deref(), Some("struct{}"));
        assert!(ABI_JSON.starts_with("{\"name\":\"@NAME@\""), "{}", ABI_JSON);
    }
}
