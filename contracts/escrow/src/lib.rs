//! escrow: holds coins a depositor attaches for a beneficiary until the
//! depositor releases them to the beneficiary or cancels and takes them
//! back. Payouts go through the native token module (its address is the
//! init argument, `Address::module(1)` on a standard chain).
//!
//! The point it shows (docs/billing.md): the storage deposit for an
//! escrow's record is locked from the tx's signer, never from the
//! contract's balance, so the contract's balance is exactly the sum of the
//! open escrows and a cancel returns exactly what was escrowed.
//! `deposit_cost` predicts that deposit with `vsys_sdk::billing`.
#![no_std]
extern crate alloc;
#[cfg(test)]
extern crate std;

use alloc::string::String;
use vsys_sdk::billing::{deposit_for, params};
use vsys_sdk::{
    caller, encode_to_vec, entry, events, fail, funds, token, vsys_struct, Address, Ctx, Event, Item, Map, Result, View,
};

vsys_sdk::abi!();

vsys_struct! {
    pub struct InitArgs { pub token_module: Address }
    pub struct DepositArgs { pub beneficiary: Address }
    pub struct SeqArgs { pub seq: u64 }
    pub struct GetArgs { pub depositor: Address, pub seq: u64 }
    pub struct CostArgs { pub depositor: Address, pub token: String }
    pub struct Escrow { pub beneficiary: Address, pub token: String, pub amount: u128 }
}

events! {
    pub struct DepositedEvent as "deposited" {
        pub depositor: Address,
        pub seq: u64,
        pub beneficiary: Address,
        pub token: String,
        pub amount: u128,
    }
    pub struct ClosedEvent as "closed" {
        pub depositor: Address,
        pub seq: u64,
        pub to: Address,
        pub token: String,
        pub amount: u128,
        pub released: bool,
    }
}

static TOKEN_MODULE: Item<Address> = Item::new(b"token_module");
/// An escrow's key: its depositor and its number among theirs. Only the
/// depositor writes its keys, so nobody else's tx ever pays for (or is
/// refunded) their bytes.
pub type EscrowKey = (Address, u64);

/// "e:" ‖ depositor ‖ seq (big-endian) → escrow.
static ESCROWS: Map<EscrowKey, Escrow> = Map::new(b"e:");
/// "n:" ‖ depositor → the depositor's next seq.
static NEXT: Map<Address, u64> = Map::new(b"n:");

fn close(c: &mut Ctx, seq: u64, release: bool) -> Result<u128> {
    let depositor = caller();
    let key = (depositor, seq);
    let e = match ESCROWS.get(c, &key) {
        Some(e) => e,
        None => fail!("no escrow {} of {}", seq, depositor),
    };
    ESCROWS.remove(c, &key);
    let to = if release { e.beneficiary } else { depositor };
    let module = TOKEN_MODULE.load(c, "token module");
    token::Client::at(module).send(c, &e.token, &to, e.amount).map_err(|err| err.context("payout failed"))?;
    ClosedEvent { depositor, seq, to, token: e.token, amount: e.amount, released: release }.emit(c);
    Ok(e.amount)
}

entry! {
    fn init(c: &mut Ctx, a: InitArgs) -> Result<()> {
        if TOKEN_MODULE.exists(c) {
            fail!("already initialised");
        }
        TOKEN_MODULE.set(c, &a.token_module);
        Ok(())
    }

    /// Holds the one coin attached as funds for beneficiary until the caller (the depositor)
    /// releases or cancels it; returns the escrow's number among the depositor's. The storage
    /// deposit for its record comes from the signer, never from the escrowed coins (deposit_cost
    /// tells how much).
    fn deposit(c: &mut Ctx, a: DepositArgs) -> Result<u64> {
        let mut coins = funds();
        if coins.len() != 1 || coins[0].amount == 0 {
            fail!("attach exactly one coin");
        }
        let coin = coins.remove(0);
        let depositor = caller();
        let seq = NEXT.get_or(c, &depositor, 0);
        NEXT.set(c, &depositor, &(seq + 1));
        ESCROWS.set(c, &(depositor, seq), &Escrow { beneficiary: a.beneficiary, token: coin.token.clone(), amount: coin.amount });
        DepositedEvent { depositor, seq, beneficiary: a.beneficiary, token: coin.token, amount: coin.amount }.emit(c);
        Ok(seq)
    }

    /// The depositor pays escrow seq to its beneficiary; returns the amount. The record's storage
    /// deposit goes back to whoever paid it.
    fn release(c: &mut Ctx, a: SeqArgs) -> Result<u128> {
        close(c, a.seq, true)
    }

    /// The depositor takes escrow seq back, all of it; returns the amount. The record's storage
    /// deposit goes back to whoever paid it.
    fn cancel(c: &mut Ctx, a: SeqArgs) -> Result<u128> {
        close(c, a.seq, false)
    }

    /// An open escrow.
    #[view]
    fn get(v: &View, a: GetArgs) -> Result<Option<Escrow>> {
        Ok(ESCROWS.get(v, &(a.depositor, a.seq)))
    }

    /// The storage deposit (native coin) a deposit of token by depositor would lock from its
    /// signer, at the chain's price: the record, and the depositor's counter on a first deposit.
    #[view]
    fn deposit_cost(v: &View, a: CostArgs) -> Result<u128> {
        let price = params(v)?.storage_price_per_byte;
        let seq = NEXT.get_or(v, &a.depositor, 0);
        let record = Escrow { beneficiary: a.depositor, token: a.token, amount: 0 };
        let key = ESCROWS.key(&(a.depositor, seq));
        let mut cost = deposit_for(key.len(), encode_to_vec(&record).len(), price);
        if seq == 0 {
            // The depositor's counter is new; later deposits rewrite it at
            // the same size, which locks nothing more.
            cost += deposit_for(NEXT.key(&a.depositor).len(), encode_to_vec(&1u64).len(), price);
        }
        Ok(cost)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;
    use vsys_sdk::billing::Params;
    use vsys_sdk::testing::{self, addr, coin};
    use vsys_sdk::AbiType;

    const VSYS: &str = "VSYS";

    fn setup() -> Address {
        testing::reset();
        let module = Address::module(1);
        testing::install_token_module(module);
        testing::register_native(Address::module(4), |c| match c.method {
            "params" => Ok(encode_to_vec(&Params { storage_price_per_byte: 3, proposer_percent: 20, quota_bytes: 0 })),
            m => Err(format!("billing: unknown method {}", m)),
        });
        testing::exec::<_, ()>(init, &InitArgs { token_module: module }).unwrap();
        let alice = addr("alice");
        testing::set_balance(alice, VSYS, 10_000);
        testing::set_caller(alice);
        alice
    }

    #[test]
    fn abi_matches_types() {
        testing::assert_abi_method(ABI_JSON, "deposit", &DepositArgs::abi_type(), "u64", false);
        testing::assert_abi_method(ABI_JSON, "release", &SeqArgs::abi_type(), "u128", false);
        testing::assert_abi_method(ABI_JSON, "cancel", &SeqArgs::abi_type(), "u128", false);
        testing::assert_abi_method(ABI_JSON, "get", &GetArgs::abi_type(), &Option::<Escrow>::abi_type(), true);
        testing::assert_abi_method(ABI_JSON, "deposit_cost", &CostArgs::abi_type(), "u128", true);
        testing::assert_abi_event(ABI_JSON, "deposited", &DepositedEvent::abi_type());
        testing::assert_abi_event(ABI_JSON, "closed", &ClosedEvent::abi_type());
        assert_eq!(testing::abi_entry_type(ABI_JSON, "init"), Some(InitArgs::abi_type()));
    }

    #[test]
    fn deposit_release_cancel() {
        let alice = setup();
        let (bob, me) = (addr("bob"), testing::contract());
        let s0: u64 = testing::exec_with_funds(deposit, &DepositArgs { beneficiary: bob }, &[coin(VSYS, 5_000)]).unwrap();
        let s1: u64 = testing::exec_with_funds(deposit, &DepositArgs { beneficiary: bob }, &[coin(VSYS, 300)]).unwrap();
        assert_eq!((s0, s1), (0, 1));
        assert_eq!(testing::balance(me, VSYS), 5_300);
        assert_eq!(testing::exec::<_, u128>(release, &SeqArgs { seq: 1 }), Ok(300));
        assert_eq!(testing::balance(bob, VSYS), 300);
        assert_eq!(testing::exec::<_, u128>(cancel, &SeqArgs { seq: 0 }), Ok(5_000));
        assert_eq!(testing::balance(alice, VSYS), 9_700);
        assert_eq!(testing::balance(me, VSYS), 0);
        assert_eq!(testing::exec::<_, u128>(cancel, &SeqArgs { seq: 0 }), Err(format!("no escrow 0 of {}", alice)));
        testing::set_caller(bob);
        let e = testing::exec::<_, u128>(cancel, &SeqArgs { seq: 1 });
        assert!(e.is_err(), "only the depositor closes its escrows");
    }

    #[test]
    fn deposit_cost_counts_record_and_first_counter() {
        let alice = setup();
        // key "e:" ‖ address ‖ u64 = 30 bytes; value address ‖ "VSYS" (4+4) ‖ u128 = 44;
        // counter "n:" ‖ address = 22, u64 = 8; at 3 per byte.
        let first: u128 = testing::query(deposit_cost, &CostArgs { depositor: alice, token: VSYS.into() }).unwrap();
        assert_eq!(first, 3 * (30 + 44 + 22 + 8));
        testing::exec_with_funds::<_, u64>(deposit, &DepositArgs { beneficiary: alice }, &[coin(VSYS, 1)]).unwrap();
        let next: u128 = testing::query(deposit_cost, &CostArgs { depositor: alice, token: VSYS.into() }).unwrap();
        assert_eq!(next, 3 * (30 + 44));
    }

    #[test]
    fn rejects_bad_funds() {
        setup();
        let bob = addr("bob");
        assert_eq!(testing::exec::<_, u64>(deposit, &DepositArgs { beneficiary: bob }), Err("attach exactly one coin".into()));
        testing::set_balance(addr("alice"), "GOLD", 5);
        let e = testing::exec_with_funds::<_, u64>(deposit, &DepositArgs { beneficiary: bob }, &[coin(VSYS, 1), coin("GOLD", 1)]);
        assert_eq!(e, Err("attach exactly one coin".into()));
    }
}
