//! The two handles an entry point gets: [`View`] reads, [`Ctx`] reads and
//! writes.
//!
//! Read-only is a type, not only a flag: a `#[view]` method of
//! [`entry!`](crate::entry) receives `&View`, a method without it
//! `&mut Ctx` (which derefs to `View`, so every read works on both). What
//! changes state — storage writes ([`Ctx::set`], [`Item::set`](crate::Item::set),
//! [`Map::set`](crate::Map::set), `remove`), events ([`Ctx::emit`],
//! [`Event::emit`](crate::Event::emit)), calls that may write or carry
//! funds ([`Ctx::call`], hence [`token`](crate::token) sends and
//! [`db`](crate::db) writes) — takes `&mut Ctx`, so writing from a view
//! does not compile (cosmwasm's `Deps`/`DepsMut`, near-sdk's
//! `&self`/`&mut self`):
//!
//! ```compile_fail
//! use vsys_sdk::{entry, Item, Result, View};
//! static COUNT: Item<u64> = Item::new(b"count");
//! entry! {
//!     #[view]
//!     fn sneaky(v: &View) -> Result<()> {
//!         COUNT.set(v, &1);   // error: expected `&mut Ctx`, found `&View`
//!         Ok(())
//!     }
//! }
//! ```
//!
//! nor does asking for a `Ctx` in a view:
//!
//! ```compile_fail
//! use vsys_sdk::{entry, Ctx, Result};
//! entry! {
//!     #[view]
//!     fn sneaky(c: &mut Ctx) -> Result<()> { Ok(()) }
//! }
//! ```
//!
//! nor emitting or calling with a `View`:
//!
//! ```compile_fail
//! use vsys_sdk::{entry, Address, Result, View};
//! entry! {
//!     #[view]
//!     fn sneaky(v: &View) -> Result<()> {
//!         v.call(&Address::module(1), "send", &[], &[])?;
//!         Ok(())
//!     }
//! }
//! ```
//!
//! nor emitting an event from one:
//!
//! ```compile_fail
//! use vsys_sdk::{entry, events, Event, Result, View};
//! events! { pub struct Seen as "seen" { pub n: u64 } }
//! entry! {
//!     #[view]
//!     fn sneaky(v: &View) -> Result<()> {
//!         Seen { n: 1 }.emit(v);   // error: expected `&mut Ctx`, found `&View`
//!         Ok(())
//!     }
//! }
//! ```
//!
//! nor making a `Ctx` of its own (the constructor is private to the SDK):
//!
//! ```compile_fail
//! use vsys_sdk::{entry, Ctx, Item, Result, View};
//! static COUNT: Item<u64> = Item::new(b"count");
//! entry! {
//!     #[view]
//!     fn sneaky(_v: &View) -> Result<()> {
//!         COUNT.set(&mut Ctx::new(), &1);   // error: associated function `new` is private
//!         Ok(())
//!     }
//! }
//! ```
//!
//! while the same body compiles in a method that may write:
//!
//! ```
//! use vsys_sdk::{entry, Ctx, Item, Result, View};
//! static COUNT: Item<u64> = Item::new(b"count");
//! entry! {
//!     fn bump(c: &mut Ctx) -> Result<u64> {
//!         let n = COUNT.get_or(c, 0) + 1;
//!         COUNT.set(c, &n);
//!         Ok(n)
//!     }
//!     #[view]
//!     fn get(v: &View) -> Result<u64> { Ok(COUNT.get_or(v, 0)) }
//! }
//! ```
//!
//! The handles are zero-sized: passing them costs nothing in the module.
//! Only the SDK makes them (their constructors are private to it): for the
//! entry points of [`entry!`](crate::entry) and, in native tests,
//! [`testing::ctx`](crate::testing::ctx). The chain checks
//! read-only on its side as well (it runs a `readonly` method, and every call
//! it makes, read-only), so a handle is a compile-time guard, not the
//! enforcement.

use crate::api::storage::Iter;
use crate::encoding::{decode_all, encode_to_vec, Decode, Encode};
use crate::{sys, Address, Coin, Error};
use alloc::string::String;
use alloc::vec::Vec;

/// The read-only handle: storage reads, iteration and calls that carry no
/// funds ([`View::query`]). A `#[view]` method gets `&View`; `&mut Ctx`
/// coerces to it.
#[derive(Debug)]
pub struct View {
    _private: (),
}

/// The read-write handle of a method without `#[view]`: everything a
/// [`View`] does (it derefs to one), plus storage writes, events and calls.
#[derive(Debug)]
pub struct Ctx {
    view: View,
}

impl View {
    /// Made by the SDK only: for an entry point (`api::__run_view`,
    /// `__run_entry`) and, natively, `testing::view`.
    pub(crate) fn new() -> View {
        View { _private: () }
    }

    /// The value stored under `key`.
    pub fn get(&self, key: &[u8]) -> Option<Vec<u8>> {
        sys::host_storage_get(key)
    }
    /// Entries with keys in [start, end) (an empty end: no upper bound), in
    /// ascending key order or descending if `reverse`.
    pub fn iter(&self, start: &[u8], end: &[u8], reverse: bool) -> Iter {
        Iter::new(start, end, reverse)
    }
    /// Entries whose key starts with `prefix`.
    pub fn iter_prefix(&self, prefix: &[u8], reverse: bool) -> Iter {
        self.iter(prefix, &crate::api::storage::prefix_end(prefix), reverse)
    }

    /// Calls `method` of the contract or module at `addr` without funds, for
    /// its result (a read: in a view the chain runs it read-only, so a
    /// callee that writes fails). A failed call is a value: the callee's
    /// error text as an [`Error`] of code 0.
    pub fn query(&self, addr: &Address, method: &str, args: &[u8]) -> Result<Vec<u8>, Error> {
        raw_call(addr, method, args, &[])
    }
    /// [`View::query`] with typed arguments and result.
    pub fn query_with<A: Encode + ?Sized, R: Decode>(&self, addr: &Address, method: &str, args: &A) -> Result<R, Error> {
        typed(method, self.query(addr, method, &encode_to_vec(args)))
    }
}

impl Ctx {
    /// Made by the SDK only: for an entry point without `#[view]`
    /// (`api::__run_entry`) and, natively, `testing::ctx`.
    pub(crate) fn new() -> Ctx {
        Ctx { view: View::new() }
    }

    /// Stores `value` under `key`.
    pub fn set(&mut self, key: &[u8], value: &[u8]) {
        sys::host_storage_set(key, value)
    }
    /// Deletes `key`.
    pub fn remove(&mut self, key: &[u8]) {
        sys::host_storage_remove(key)
    }

    /// Emits an event; `name` must be an event of the ABI and `data` encode
    /// its type. Raw: prefer [`Event::emit`](crate::Event::emit) on a type
    /// declared with [`events!`](crate::events), whose name and type are in
    /// the ABI by construction.
    pub fn emit<T: Encode + ?Sized>(&mut self, name: &str, data: &T) {
        sys::host_emit(name, &encode_to_vec(data))
    }

    /// Calls `method` of the contract (native module or WASM) at `addr` with
    /// encoded `args` and attached `funds`. A failed call is a value: its
    /// writes are reverted and the callee's error text comes back as an
    /// [`Error`] of code 0.
    pub fn call(&mut self, addr: &Address, method: &str, args: &[u8], funds: &[Coin]) -> Result<Vec<u8>, Error> {
        raw_call(addr, method, args, funds)
    }
    /// [`Ctx::call`] with typed arguments and result.
    pub fn call_with<A: Encode + ?Sized, R: Decode>(
        &mut self,
        addr: &Address,
        method: &str,
        args: &A,
        funds: &[Coin],
    ) -> Result<R, Error> {
        typed(method, self.call(addr, method, &encode_to_vec(args), funds))
    }
}

impl core::ops::Deref for Ctx {
    type Target = View;
    fn deref(&self) -> &View {
        &self.view
    }
}

fn raw_call(addr: &Address, method: &str, args: &[u8], funds: &[Coin]) -> Result<Vec<u8>, Error> {
    let f = if funds.is_empty() { Vec::new() } else { encode_to_vec(funds) };
    sys::host_call(&addr.0, method, args, &f).map_err(|e| Error::msg(String::from_utf8_lossy(&e).into_owned()))
}

fn typed<R: Decode>(method: &str, out: Result<Vec<u8>, Error>) -> Result<R, Error> {
    decode_all::<R>(&out?).map_err(|e| Error::msg(alloc::format!("bad result of {}: {}", method, e)))
}
