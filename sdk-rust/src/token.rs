//! A client of the native token module (`Address::module(1)`): send,
//! balances, supply, and issuing tokens the contract created. Its argument
//! structs encode exactly as the module's (modules/token), so contracts no
//! longer copy them.
//!
//! ```ignore
//! use vsys_sdk::token;
//! token::send(c, "VSYS", &to, 40)?;                 // from this contract; c: &mut Ctx
//! let mine = token::balance(v, &vsys_sdk::self_address(), "VSYS")?;   // v: &View (or c)
//! let t = token::Client::at(module_addr);           // a module at another address
//! t.send(c, &coin.token, &owner, coin.amount)?;
//! ```
//!
//! Native coins attached to a call (`funds()`) are already this contract's
//! balance in the module; paying them out is a `send`. Sends, `create`,
//! `issue` and `burn` take the read-write handle ([`Ctx`]), the reads a
//! [`View`].

use alloc::string::String;
use alloc::vec::Vec;

use crate::error::Result;
use crate::{self_address, vsys_struct, Address, Coin, Ctx, View};

/// The token module's address on a standard chain (native module 1),
/// `vsys1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqp8hmvun`.
pub const MODULE: Address = Address::module(1);

/// The chain's native coin (fees, deposits).
pub const NATIVE: &str = "VSYS";

vsys_struct! {
    /// `create`'s arguments.
    pub struct CreateArgs { pub symbol: String, pub name: String, pub decimals: u8, pub max_supply: u128 }
    /// `issue`'s arguments.
    pub struct IssueArgs { pub token: String, pub amount: u128 }
    /// `send`'s arguments.
    pub struct SendArgs { pub token: String, pub to: Address, pub amount: u128 }
    /// `burn`'s arguments.
    pub struct BurnArgs { pub token: String, pub amount: u128 }
    /// `balance`'s arguments.
    pub struct BalanceArgs { pub address: Address, pub token: String }
    /// `balances`' arguments.
    pub struct BalancesArgs { pub address: Address }
    /// `info`'s and `supply`'s arguments.
    pub struct TokenArgs { pub token: String }
    /// A token's record (`info`).
    pub struct Info {
        pub symbol: String,
        pub name: String,
        pub decimals: u8,
        pub max_supply: u128,
        pub supply: u128,
        pub issuer: Address,
    }
}

/// The token module at an address (the standard one: [`Client::default`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Client {
    pub module: Address,
}

impl Default for Client {
    fn default() -> Self {
        Client { module: MODULE }
    }
}

impl Client {
    /// The token module at `module` (e.g. an init argument).
    pub const fn at(module: Address) -> Client {
        Client { module }
    }
    /// Sends `amount` of `token` from this contract to `to`.
    pub fn send(&self, c: &mut Ctx, token: &str, to: &Address, amount: u128) -> Result<()> {
        c.call_with(&self.module, "send", &SendArgs { token: String::from(token), to: *to, amount }, &[])
    }
    /// Sends a coin from this contract to `to`.
    pub fn send_coin(&self, c: &mut Ctx, coin: &Coin, to: &Address) -> Result<()> {
        self.send(c, &coin.token, to, coin.amount)
    }
    /// `address`'s balance of `token` (fails if the token does not exist).
    pub fn balance(&self, v: &View, address: &Address, token: &str) -> Result<u128> {
        v.query_with(&self.module, "balance", &BalanceArgs { address: *address, token: String::from(token) })
    }
    /// Every non-zero balance of `address`.
    pub fn balances(&self, v: &View, address: &Address) -> Result<Vec<Coin>> {
        v.query_with(&self.module, "balances", &BalancesArgs { address: *address })
    }
    /// `token`'s record.
    pub fn info(&self, v: &View, token: &str) -> Result<Info> {
        v.query_with(&self.module, "info", &TokenArgs { token: String::from(token) })
    }
    /// `token`'s current supply.
    pub fn supply(&self, v: &View, token: &str) -> Result<u128> {
        v.query_with(&self.module, "supply", &TokenArgs { token: String::from(token) })
    }
    /// Creates a token issued by this contract; returns its symbol.
    pub fn create(&self, c: &mut Ctx, symbol: &str, name: &str, decimals: u8, max_supply: u128) -> Result<String> {
        let a = CreateArgs { symbol: String::from(symbol), name: String::from(name), decimals, max_supply };
        c.call_with(&self.module, "create", &a, &[])
    }
    /// Issues `amount` of a token this contract created (to itself); returns the supply.
    pub fn issue(&self, c: &mut Ctx, token: &str, amount: u128) -> Result<u128> {
        c.call_with(&self.module, "issue", &IssueArgs { token: String::from(token), amount }, &[])
    }
    /// Burns `amount` of `token` this contract holds; returns the supply.
    pub fn burn(&self, c: &mut Ctx, token: &str, amount: u128) -> Result<u128> {
        c.call_with(&self.module, "burn", &BurnArgs { token: String::from(token), amount }, &[])
    }
}

/// [`Client::send`] on the standard module.
pub fn send(c: &mut Ctx, token: &str, to: &Address, amount: u128) -> Result<()> {
    Client::default().send(c, token, to, amount)
}

/// [`Client::balance`] on the standard module.
pub fn balance(v: &View, address: &Address, token: &str) -> Result<u128> {
    Client::default().balance(v, address, token)
}

/// This contract's balance of `token` on the standard module.
pub fn my_balance(v: &View, token: &str) -> Result<u128> {
    balance(v, &self_address(), token)
}
