//! vsys-sdk: write vsys WebAssembly contracts in Rust.
//!
//! * [`encoding`]: the chain's canonical binary encoding (docs/encoding.md),
//!   [`Encode`]/[`Decode`] and the [`vsys_struct!`] macro.
//! * the host API of docs/vm.md as safe functions ([`input`], [`caller`],
//!   [`funds`], [`sha256`], ...) and as methods of the two handles an entry
//!   point gets ([`ctx`]): [`View`] reads (storage, [`View::query`]),
//!   [`Ctx`] also writes ([`Ctx::set`], [`Ctx::emit`], [`Ctx::call`]), so a
//!   `#[view]` method cannot write; backed by
//!   the real `vsys` imports on wasm32 and by a thread-local mock host
//!   ([`testing`]) everywhere else, so contracts are unit-tested natively;
//! * typed storage: [`Item`] and [`Map`], whose keys use an
//!   order-preserving encoding ([`key`]);
//! * tables of the native database module: [`db`] and the [`table!`] macro;
//! * [`entry!`] turns a function into an exported entry point, [`events!`]
//!   declares events, and [`abi!`] writes the contract's ABI JSON, generated
//!   at compile time from those declarations ([`abi`]), into the `vsys_abi`
//!   custom section;
//! * typed errors: [`Error`] (a code and a message), [`Result`], [`fail!`],
//!   [`ensure!`];
//! * [`token`]: a client of the native token module (send, balance, ...);
//! * on wasm32: a panic handler that aborts with the panic message and a bump
//!   allocator (an instance lives for one call, so nothing is ever freed).
//!
//! Building for wasm32 needs `RUSTC_BOOTSTRAP=1` (the allocator error handler
//! and the panic message are unstable on Rust 1.63); contracts themselves
//! need no feature gates.
#![no_std]
#![cfg_attr(target_arch = "wasm32", feature(alloc_error_handler, panic_info_message))]

extern crate alloc;
#[cfg(not(target_arch = "wasm32"))]
extern crate std;

pub mod abi;
pub mod address;
pub mod api;
pub mod billing;
pub mod ctx;
pub mod db;
pub mod encoding;
pub mod error;
pub mod key;
#[macro_use]
mod macros;
pub use macros::__abi_bytes;
pub mod token;
pub mod typed;
mod sys;

#[cfg(not(target_arch = "wasm32"))]
pub mod testing;

#[cfg(target_arch = "wasm32")]
mod wasm_rt;

pub use address::Address;
pub use api::*;
pub use ctx::{Ctx, View};
pub use encoding::{decode_all, encode_to_vec, AbiType, Bytes, Decode, Encode, Reader, Writer};
pub use error::{Error, Result};
pub use key::Key;
pub use typed::{Item, Map, MapIter};

/// An event type declared with [`events!`]: its name in the ABI.
pub trait Event: Encode {
    /// The event's name.
    const NAME: &'static str;
    /// Emits this event (its ABI name and encoding); events are writes, so
    /// this takes the read-write handle.
    fn emit(&self, c: &mut Ctx) {
        c.emit(Self::NAME, self)
    }
}

/// Re-exports for the macros; not part of the API.
#[doc(hidden)]
pub mod __private {
    pub use alloc::format;
    pub use alloc::string::String;
    pub use alloc::vec::Vec;
    pub use core;
}

/// The coin type of `funds` and of `call`'s funds: `struct{token:string,amount:u128}`.
pub mod coin {
    crate::vsys_struct! {
        /// An amount of one native token attached to a call.
        pub struct Coin {
            pub token: alloc::string::String,
            pub amount: u128,
        }
    }
}
pub use coin::Coin;
