//! adversarial: one attack per entry point, for the VM's limit tests (gas,
//! memory, stack depth, event and output sizes, reverts on traps, storage
//! flooding, reentrancy). Like CosmWasm's cyberpunk contract.
#![no_std]
extern crate alloc;
#[cfg(test)]
extern crate std;

use alloc::string::String;
use alloc::vec;
use core::ptr::{read_volatile, write_volatile};
use vsys_sdk::{abort, entry, events, vsys_struct, Bytes, Ctx, Event, Result, View};

vsys_sdk::abi!();

vsys_struct! {
    pub struct PagesArgs { pub pages: u32 }
    pub struct DepthArgs { pub depth: u64 }
    pub struct BytesArgs { pub bytes: u32 }
    pub struct CountArgs { pub n: u32 }
}

events! {
    pub struct HugeEvent as "huge" { pub data: Bytes }
}

const MARKER: &[u8] = b"marker";

static mut SINK: u64 = 0;

/// Recursion the optimiser cannot turn into a loop: each frame keeps a
/// buffer on the stack that is written before and read after the call.
#[inline(never)]
fn rec(depth: u64) -> u64 {
    if depth == 0 {
        return 0;
    }
    let mut frame = [0u8; 32];
    unsafe { write_volatile(&mut frame[(depth % 32) as usize], 1) };
    let below = rec(depth - 1);
    let one = unsafe { read_volatile(&frame[(depth % 32) as usize]) } as u64;
    unsafe { write_volatile(&mut SINK, below) };
    below + one
}

#[cfg(target_arch = "wasm32")]
fn grow(pages: u32) -> Result<u32> {
    let old = core::arch::wasm32::memory_grow(0, pages as usize);
    if old == usize::MAX {
        abort("grow failed");
    }
    let new = old + pages as usize;
    if pages > 0 {
        // touch the last byte of the new memory
        unsafe { write_volatile((new * 65536 - 1) as *mut u8, 1) };
    }
    Ok(new as u32)
}

#[cfg(not(target_arch = "wasm32"))]
fn grow(pages: u32) -> Result<u32> {
    // natively: pretend a 512-page cap like the VM's
    if pages > 512 {
        abort("grow failed");
    }
    Ok(17 + pages)
}

entry! {
    /// Never returns: must run out of gas.
    fn loop_forever(_c: &mut Ctx) -> Result<()> {
        let mut i: u64 = 0;
        loop {
            i = i.wrapping_add(1);
            unsafe { write_volatile(&mut SINK, i) };
            #[cfg(not(target_arch = "wasm32"))]
            if vsys_sdk::gas_left() <= i as i64 {
                abort("out of gas (mock)");
            }
        }
    }

    /// memory.grow by pages, touching the last new page; aborts "grow failed" when refused.
    /// Returns the new size in pages.
    fn grow_memory(_c: &mut Ctx, a: PagesArgs) -> Result<u32> {
        grow(a.pages)
    }

    /// Genuine recursion depth frames deep (each frame has stack data); returns depth.
    fn recurse(_c: &mut Ctx, a: DepthArgs) -> Result<u64> {
        Ok(rec(a.depth))
    }

    /// Panics with "boom: adversarial panic".
    fn panic_msg(_c: &mut Ctx) -> Result<()> {
        panic!("boom: adversarial panic")
    }

    /// Emits event huge with a bytes field of that length.
    fn huge_event(c: &mut Ctx, a: BytesArgs) -> Result<()> {
        HugeEvent { data: Bytes(vec![0xab; a.bytes as usize]) }.emit(c);
        Ok(())
    }

    /// Returns bytes of that length.
    fn huge_output(_c: &mut Ctx, a: BytesArgs) -> Result<Bytes> {
        Ok(Bytes(vec![0xcd; a.bytes as usize]))
    }

    /// Writes the marker key, then panics with "after write": the write must not persist.
    fn write_then_panic(c: &mut Ctx) -> Result<()> {
        c.set(MARKER, &[1]);
        panic!("after write")
    }

    /// Whether the marker key of write_then_panic exists.
    #[view]
    fn marker(v: &View) -> Result<bool> {
        Ok(v.get(MARKER).is_some())
    }

    /// Writes n distinct keys of 32-byte values.
    fn storage_flood(c: &mut Ctx, a: CountArgs) -> Result<()> {
        let value = [0x5au8; 32];
        for i in 0..a.n {
            let mut key = [0u8; 6];
            key[..2].copy_from_slice(b"f:");
            key[2..].copy_from_slice(&i.to_le_bytes());
            c.set(&key, &value);
        }
        Ok(())
    }

    /// Calls its own marker method through the host; returns the error (reentrancy must fail) or
    /// aborts if the call succeeded.
    fn reenter(c: &mut Ctx) -> Result<String> {
        match c.call(&vsys_sdk::self_address(), "marker", &[], &[]) {
            Ok(_) => abort("reentrant call succeeded"),
            Err(e) => Ok(e.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vsys_sdk::testing;
    use vsys_sdk::AbiType;

    #[test]
    fn abi_matches_types() {
        let m = |n: &str, a: std::string::String, r: &str, ro: bool| testing::assert_abi_method(ABI_JSON, n, &a, r, ro);
        m("loop_forever", <()>::abi_type(), "struct{}", false);
        m("grow_memory", PagesArgs::abi_type(), "u32", false);
        m("recurse", DepthArgs::abi_type(), "u64", false);
        m("panic_msg", <()>::abi_type(), "struct{}", false);
        m("huge_event", BytesArgs::abi_type(), "struct{}", false);
        m("huge_output", BytesArgs::abi_type(), "bytes", false);
        m("write_then_panic", <()>::abi_type(), "struct{}", false);
        m("marker", <()>::abi_type(), "bool", true);
        m("storage_flood", CountArgs::abi_type(), "struct{}", false);
        m("reenter", <()>::abi_type(), "string", false);
        testing::assert_abi_event(ABI_JSON, "huge", &HugeEvent::abi_type());
    }

    #[test]
    fn attacks_fail_cleanly_in_the_mock() {
        testing::reset();
        testing::set_gas_left(10_000);
        assert_eq!(testing::exec::<_, ()>(loop_forever, &()), Err("out of gas (mock)".into()));
        assert_eq!(testing::exec::<_, ()>(panic_msg, &()), Err("boom: adversarial panic".into()));
        assert_eq!(testing::exec::<_, ()>(write_then_panic, &()), Err("after write".into()));
        assert_eq!(testing::query(marker, &()), Ok(false));
        assert_eq!(testing::exec::<_, u32>(grow_memory, &PagesArgs { pages: 600 }), Err("grow failed".into()));
        assert_eq!(testing::exec(grow_memory, &PagesArgs { pages: 3 }), Ok(20u32));
        assert_eq!(testing::exec(recurse, &DepthArgs { depth: 500 }), Ok(500u64));
        testing::exec::<_, ()>(huge_event, &BytesArgs { bytes: 70_000 }).unwrap();
        assert_eq!(testing::events()[0].decode::<HugeEvent>().data.len(), 70_000);
        let out: Bytes = testing::exec(huge_output, &BytesArgs { bytes: 5 }).unwrap();
        assert_eq!(out.0, vec![0xcd; 5]);
        testing::exec::<_, ()>(storage_flood, &CountArgs { n: 100 }).unwrap();
        assert_eq!(testing::storage_of(testing::contract()).len(), 100);
        testing::register_contract(testing::contract(), &[("marker", marker)]);
        let e: String = testing::exec(reenter, &()).unwrap();
        assert!(e.starts_with("reentrant call"), "{}", e);
    }
}
