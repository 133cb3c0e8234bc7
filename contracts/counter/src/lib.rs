//! counter: the smallest stateful contract; also used for WASM→WASM calls
//! (`call_other`) and migrations (`migrate` bumps `version`, keeps the count).
#![no_std]
extern crate alloc;
#[cfg(test)]
extern crate std;

use vsys_sdk::{entry, events, vsys_struct, Address, Ctx, Event, Item, Result, View};

vsys_sdk::abi!();

vsys_struct! {
    pub struct InitArgs { pub start: u64 }
    pub struct IncrementArgs { pub by: u64 }
    pub struct CallOtherArgs { pub other: Address, pub by: u64 }
    pub struct StorageBill { pub bytes: u64, pub deposit: u128, pub balance: u128 }
}

events! {
    pub struct Incremented as "incremented" { pub value: u64 }
}

static COUNT: Item<u64> = Item::new(b"count");
static VERSION: Item<u32> = Item::new(b"version");

entry! {
    fn init(c: &mut Ctx, args: InitArgs) -> Result<()> {
        COUNT.set(c, &args.start);
        VERSION.set(c, &1);
        Ok(())
    }

    /// Adds by to the counter and returns the new value.
    fn increment(c: &mut Ctx, args: IncrementArgs) -> Result<u64> {
        let value = COUNT.get_or(c, 0).checked_add(args.by).ok_or("counter overflow")?;
        COUNT.set(c, &value);
        Incremented { value }.emit(c);
        Ok(value)
    }

    /// The counter's value.
    #[view]
    fn get(v: &View) -> Result<u64> {
        Ok(COUNT.get_or(v, 0))
    }

    /// Calls increment on another counter contract and returns its result.
    fn call_other(c: &mut Ctx, args: CallOtherArgs) -> Result<u64> {
        c.call_with(&args.other, "increment", &IncrementArgs { by: args.by }, &[])
            .map_err(|e| e.context("call_other"))
    }

    /// The code version: 1 after init, +1 per migrate.
    #[view]
    fn version(v: &View) -> Result<u32> {
        Ok(VERSION.get_or(v, 0))
    }

    /// This contract's own bill (bytes of state, deposit locked) and native balance, read through
    /// the billing and token modules.
    #[view]
    fn storage_bill(v: &View) -> Result<StorageBill> {
        let bill = vsys_sdk::billing::my_bill(v)?;
        let balance = vsys_sdk::billing::my_balance(v, "VSYS")?;
        Ok(StorageBill { bytes: bill.bytes, deposit: bill.deposit, balance })
    }

    fn migrate(c: &mut Ctx) -> Result<()> {
        let v = VERSION.get_or(c, 0).checked_add(1).ok_or("version overflow")?;
        VERSION.set(c, &v);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vsys_sdk::testing::{self, addr};
    use vsys_sdk::AbiType;

    fn setup(start: u64) {
        testing::reset();
        testing::exec::<_, ()>(init, &InitArgs { start }).unwrap();
    }

    #[test]
    fn abi_matches_types() {
        testing::assert_abi_method(ABI_JSON, "increment", &IncrementArgs::abi_type(), "u64", false);
        testing::assert_abi_method(ABI_JSON, "get", "struct{}", "u64", true);
        testing::assert_abi_method(ABI_JSON, "call_other", &CallOtherArgs::abi_type(), "u64", false);
        testing::assert_abi_method(ABI_JSON, "version", "struct{}", "u32", true);
        testing::assert_abi_event(ABI_JSON, "incremented", &Incremented::abi_type());
        assert_eq!(testing::abi_entry_type(ABI_JSON, "init"), Some(InitArgs::abi_type()));
        assert_eq!(testing::abi_entry_type(ABI_JSON, "migrate").as_deref(), Some("struct{}"));
    }

    #[test]
    fn increments_and_emits() {
        setup(10);
        assert_eq!(testing::exec(increment, &IncrementArgs { by: 5 }), Ok(15u64));
        assert_eq!(testing::query(get, &()), Ok(15u64));
        let ev = testing::events();
        assert_eq!(ev.len(), 1);
        assert_eq!(ev[0].name, "incremented");
        assert_eq!(ev[0].decode::<Incremented>(), Incremented { value: 15 });
    }

    #[test]
    fn overflow_fails_and_reverts() {
        setup(u64::MAX - 1);
        assert_eq!(testing::exec::<_, u64>(increment, &IncrementArgs { by: 2 }), Err("counter overflow".into()));
        assert_eq!(testing::query(get, &()), Ok(u64::MAX - 1));
        assert!(testing::events().is_empty());
    }

    #[test]
    fn bad_args() {
        setup(0);
        let e = testing::call_entry(increment, &[1, 2]).unwrap_err();
        assert!(e.starts_with("bad args:"), "{}", e);
    }

    #[test]
    fn get_is_readonly_safe_and_increment_is_not() {
        setup(1);
        assert!(testing::query::<_, u64>(increment, &IncrementArgs { by: 1 }).is_err());
        assert_eq!(testing::query(get, &()), Ok(1u64));
    }

    #[test]
    fn calls_another_counter() {
        setup(0);
        let other = addr("other-counter");
        testing::register_contract(other, &[("increment", increment), ("get", get)]);
        // initialise the other instance's state by running init as it
        testing::set_contract(other);
        testing::exec::<_, ()>(init, &InitArgs { start: 100 }).unwrap();
        testing::set_contract(addr("contract"));

        assert_eq!(testing::exec(call_other, &CallOtherArgs { other, by: 7 }), Ok(107u64));
        assert_eq!(testing::query(get, &()), Ok(0u64), "own count unchanged");
        let ev = testing::events();
        assert_eq!(ev.last().unwrap().contract, other);
        // an unknown address fails the call with the callee's error
        let e = testing::exec::<_, u64>(call_other, &CallOtherArgs { other: addr("nobody"), by: 1 }).unwrap_err();
        assert!(e.starts_with("call_other: no contract at"), "{}", e);
        // calling itself is reentrant and fails
        testing::register_contract(addr("contract"), &[("increment", increment)]);
        let e = testing::exec::<_, u64>(call_other, &CallOtherArgs { other: addr("contract"), by: 1 }).unwrap_err();
        assert!(e.contains("reentrant"), "{}", e);
    }

    #[test]
    fn migrate_keeps_state() {
        setup(42);
        assert_eq!(testing::query(version, &()), Ok(1u32));
        testing::exec::<_, ()>(migrate, &()).unwrap();
        assert_eq!(testing::query(version, &()), Ok(2u32));
        assert_eq!(testing::query(get, &()), Ok(42u64));
    }
}
