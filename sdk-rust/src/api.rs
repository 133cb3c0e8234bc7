//! The host API as safe functions. On wasm32 they call the `vsys` imports;
//! natively they talk to the mock host of [`crate::testing`].

use crate::encoding::{decode_all, encode_to_vec, Decode, Encode};
use crate::{sys, Address, Coin};
use alloc::string::String;
use alloc::vec::Vec;

/// The argument bytes of the current call.
pub fn input() -> Vec<u8> {
    sys::host_input()
}

/// Sets the result bytes of the current call (last call wins).
pub fn set_output(data: &[u8]) {
    sys::host_output(data)
}

/// Stops the call; the transaction fails with `msg`. Natively this panics
/// with `msg`, which the mock host catches (or `#[should_panic]` matches).
pub fn abort(msg: &str) -> ! {
    sys::host_abort(msg)
}

/// The address that called this contract (an account or a contract).
pub fn caller() -> Address {
    Address(sys::host_caller())
}

/// This contract's address.
pub fn self_address() -> Address {
    Address(sys::host_self_address())
}

/// The coins attached to this call (already credited to this contract).
pub fn funds() -> Vec<Coin> {
    let raw = sys::host_funds();
    match decode_all::<Vec<Coin>>(&raw) {
        Ok(v) => v,
        Err(_) => abort("host returned malformed funds"),
    }
}

/// Height of the block being executed.
pub fn block_height() -> u64 {
    sys::host_block_height() as u64
}

/// Block time from the header, Unix nanoseconds.
pub fn block_time() -> i64 {
    sys::host_block_time()
}

/// The chain id.
pub fn chain_id() -> String {
    String::from_utf8(sys::host_chain_id()).unwrap_or_default()
}

/// Gas left in this call.
pub fn gas_left() -> i64 {
    sys::host_gas_left()
}

pub fn sha256(data: &[u8]) -> [u8; 32] {
    sys::host_sha256(data)
}

/// Ethereum's Keccak-256.
pub fn keccak256(data: &[u8]) -> [u8; 32] {
    sys::host_keccak256(data)
}

/// Verifies an ed25519 signature (Go's crypto/ed25519 rules on chain; see
/// [`crate::testing`] for the mock's scheme).
pub fn ed25519_verify(pubkey: &[u8; 32], msg: &[u8], sig: &[u8; 64]) -> bool {
    sys::host_ed25519_verify(pubkey, msg, sig)
}

/// Raw access to this contract's key-value store, through the handles:
/// [`View::get`](crate::View::get) and [`View::iter`](crate::View::iter)
/// read, [`Ctx::set`](crate::Ctx::set) and
/// [`Ctx::remove`](crate::Ctx::remove) write. Keys are private to the
/// contract; iteration is in byte order of the keys.
pub mod storage {
    use crate::sys;
    use alloc::vec::Vec;

    /// The smallest key greater than every key starting with `prefix`, or
    /// empty (no bound) if there is none.
    pub fn prefix_end(prefix: &[u8]) -> Vec<u8> {
        let mut end = prefix.to_vec();
        while let Some(last) = end.pop() {
            if last < 0xff {
                end.push(last + 1);
                return end;
            }
        }
        Vec::new()
    }

    /// A storage iterator: yields (key, value).
    pub struct Iter {
        id: i32,
        done: bool,
    }

    impl Iter {
        pub(crate) fn new(start: &[u8], end: &[u8], reverse: bool) -> Iter {
            Iter { id: sys::host_storage_iter(start, end, reverse), done: false }
        }
    }

    impl Iterator for Iter {
        type Item = (Vec<u8>, Vec<u8>);
        fn next(&mut self) -> Option<Self::Item> {
            if self.done {
                return None;
            }
            match sys::host_storage_next(self.id) {
                None => {
                    self.done = true;
                    None
                }
                Some(entry) => {
                    if entry.len() < 4 {
                        crate::abort("host returned a malformed storage entry");
                    }
                    let klen = u32::from_le_bytes([entry[0], entry[1], entry[2], entry[3]]) as usize;
                    if klen > entry.len() - 4 {
                        crate::abort("host returned a malformed storage entry");
                    }
                    let key = entry[4..4 + klen].to_vec();
                    let value = entry[4 + klen..].to_vec();
                    Some((key, value))
                }
            }
        }
    }
}

/// Runs an entry point: decodes the input as `A` (aborting with
/// "bad args: …"), runs `f` with the entry's handle, writes the encoded
/// `Ok` value as the output or aborts with the `Err`'s `Display` (for
/// [`Error`]: `E<code>: ` and the message, or the message alone for code
/// 0). Used by [`entry!`](crate::entry) for methods that may write: `f`
/// gets a [`Ctx`](crate::Ctx).
#[doc(hidden)]
pub fn __run_entry<A: Decode, R: Encode, E: core::fmt::Display>(f: impl FnOnce(&mut crate::Ctx, A) -> Result<R, E>) {
    let args = entry_args::<A>();
    finish(f(&mut crate::Ctx::new(), args))
}

/// [`__run_entry`] for a `#[view]` method: `f` gets a
/// [`View`](crate::View), which has no way to write, so a write does not
/// compile. The mock host also runs it read-only, as the chain does (a
/// no-op on wasm32: the chain enforces it from the ABI).
#[doc(hidden)]
pub fn __run_view<A: Decode, R: Encode, E: core::fmt::Display>(f: impl FnOnce(&crate::View, A) -> Result<R, E>) {
    sys::host_view();
    let args = entry_args::<A>();
    finish(f(&crate::View::new(), args))
}

fn entry_args<A: Decode>() -> A {
    let raw = input();
    match decode_all::<A>(&raw) {
        Ok(a) => a,
        Err(e) => abort(&alloc::format!("bad args: {}", e)),
    }
}

fn finish<R: Encode, E: core::fmt::Display>(r: Result<R, E>) {
    match r {
        Ok(r) => {
            let out = encode_to_vec(&r);
            if !out.is_empty() {
                set_output(&out);
            }
        }
        Err(e) => abort(&alloc::format!("{}", e)),
    }
}
