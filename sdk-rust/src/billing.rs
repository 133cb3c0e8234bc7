//! A contract's economics: bills (bytes of state held, the deposit locked
//! for them, fees and gas) from the chain's billing module, and
//! native-coin balances from the token module.
//!
//! Storage deposits (docs/billing.md): the deposit for the bytes a call
//! adds to a contract's state comes from the tx's **signer**, key by key,
//! and goes back to whoever paid for a key when it is deleted (or
//! overwritten by another signer, who then pays for all of it). A
//! contract's own balance never pays deposits, so coins it holds for its
//! users (escrows, locks) stay whole. [`deposit_for`] and
//! [`deposit_for_entry`] predict what a write will lock, so a contract (or
//! a dApp reading its ABI) can tell users before they sign.

use alloc::string::String;
use alloc::vec::Vec;

use crate::error::Result;
use crate::{encode_to_vec, self_address, vsys_struct, Address, Encode, View};

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
        /// Bytes of its state (a contract's: whoever paid for them).
        pub bytes: u64,
        /// Native coin locked for those bytes.
        pub deposit: u128,
        pub fees_paid: u128,
        pub gas_used: u64,
        pub categories: Vec<CategoryBytes>,
        /// Native coin it locked for contracts' state its txs added.
        pub funded: u128,
    }
    /// The chain's billing parameters (genesis `params.billing`).
    pub struct Params {
        /// Native coin locked per byte of key and value a write adds.
        pub storage_price_per_byte: u128,
        pub proposer_percent: u32,
        pub quota_bytes: u64,
    }
    struct BillArgs { address: Address }
}

/// The bill of any address.
pub fn bill_of(v: &View, addr: &Address) -> Result<Bill> {
    v.query_with(&MODULE, "bill", &BillArgs { address: *addr })
}

/// This contract's own bill.
pub fn my_bill(v: &View) -> Result<Bill> {
    bill_of(v, &self_address())
}

/// This contract's balance of a token (the native coin pays deposits).
pub fn my_balance(v: &View, token: &str) -> Result<u128> {
    crate::token::my_balance(v, token)
}

/// The chain's billing parameters.
pub fn params(v: &View) -> Result<Params> {
    v.query_with(&MODULE, "params", &())
}

/// The deposit, at `price` per byte, that storing a value of `value_len`
/// bytes under a key of `key_len` bytes locks from the signer when the key
/// is new (an overwrite by the same signer locks only the growth; by
/// another signer, the whole entry, while the previous payer gets theirs
/// back). Keys are the full storage key: `Map::key(&k)`, `Item::key()`.
pub const fn deposit_for(key_len: usize, value_len: usize, price: u128) -> u128 {
    price.saturating_mul((key_len + value_len) as u128)
}

/// [`deposit_for`] of an encoded `value` under `key`, at the chain's price.
pub fn deposit_for_entry<T: Encode + ?Sized>(v: &View, key: &[u8], value: &T) -> Result<u128> {
    Ok(deposit_for(key.len(), encode_to_vec(value).len(), params(v)?.storage_price_per_byte))
}
