//! A contract's own economics: its bill (bytes of state it pays for, the
//! deposit locked for them, fees and gas) from the chain's billing module,
//! and its native-coin balance from the token module. A contract pays the
//! storage deposit for its own state, so it should watch both.

use alloc::string::String;
use alloc::vec::Vec;

use crate::error::Result;
use crate::{call_with, self_address, vsys_struct, Address};

/// The billing module's address (native module 4).
pub const MODULE: Address = Address::module(4);
/// The native token module's address (native module 1); see [`crate::token`].
pub const TOKEN_MODULE: Address = crate::token::MODULE;

vsys_struct! {
    /// Bytes held under one category ("storage", "code", "table/NAME", ...).
    pub struct CategoryBytes { pub category: String, pub bytes: u64 }
    /// What an address holds in state and has paid.
    pub struct Bill {
        pub address: Address,
        pub bytes: u64,
        pub deposit: u128,
        pub fees_paid: u128,
        pub gas_used: u64,
        pub categories: Vec<CategoryBytes>,
    }
    struct BillArgs { address: Address }
}

/// The bill of any address.
pub fn bill_of(addr: &Address) -> Result<Bill> {
    call_with(&MODULE, "bill", &BillArgs { address: *addr }, &[])
}

/// This contract's own bill.
pub fn my_bill() -> Result<Bill> {
    bill_of(&self_address())
}

/// This contract's balance of a token (the native coin pays deposits).
pub fn my_balance(token: &str) -> Result<u128> {
    crate::token::my_balance(token)
}
