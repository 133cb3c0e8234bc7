//! The host backend: the `vsys` imports on wasm32, the mock host elsewhere.
//! Both sides expose the same Rust-level functions.

#[cfg(not(target_arch = "wasm32"))]
pub(crate) use crate::testing::host::*;

#[cfg(target_arch = "wasm32")]
pub(crate) use self::wasm::*;

#[cfg(target_arch = "wasm32")]
mod wasm {
    use alloc::vec::Vec;

    // The host API of docs/vm.md. Pointers and lengths are i32 offsets.
    #[link(wasm_import_module = "vsys")]
    extern "C" {
        fn input_len() -> i32;
        fn input_read(ptr: *mut u8);
        fn output(ptr: *const u8, len: i32);
        fn abort(ptr: *const u8, len: i32);
        fn result_len() -> i32;
        fn result_read(ptr: *mut u8);
        fn caller(ptr: *mut u8);
        fn self_address(ptr: *mut u8);
        fn funds() -> i32;
        fn block_height() -> i64;
        fn block_time() -> i64;
        fn chain_id() -> i32;
        fn storage_get(key_ptr: *const u8, key_len: i32) -> i32;
        fn storage_set(key_ptr: *const u8, key_len: i32, val_ptr: *const u8, val_len: i32);
        fn storage_remove(key_ptr: *const u8, key_len: i32);
        fn storage_iter(start_ptr: *const u8, start_len: i32, end_ptr: *const u8, end_len: i32, reverse: i32) -> i32;
        fn storage_next(iter: i32) -> i32;
        fn emit(name_ptr: *const u8, name_len: i32, data_ptr: *const u8, data_len: i32);
        fn call(
            addr_ptr: *const u8,
            method_ptr: *const u8,
            method_len: i32,
            args_ptr: *const u8,
            args_len: i32,
            funds_ptr: *const u8,
            funds_len: i32,
        ) -> i32;
        fn sha256(ptr: *const u8, len: i32, out_ptr: *mut u8);
        fn keccak256(ptr: *const u8, len: i32, out_ptr: *mut u8);
        fn ed25519_verify(pub_ptr: *const u8, msg_ptr: *const u8, msg_len: i32, sig_ptr: *const u8) -> i32;
        fn gas_left() -> i64;
    }

    /// Reads `len` bytes of the result buffer.
    fn read_result(len: i32) -> Vec<u8> {
        let n = if len < 0 { 0 } else { len as usize };
        let mut v = Vec::with_capacity(n);
        if n > 0 {
            unsafe {
                result_read(v.as_mut_ptr());
                v.set_len(n);
            }
        }
        v
    }

    pub fn host_input() -> Vec<u8> {
        unsafe {
            let n = input_len().max(0) as usize;
            let mut v = Vec::with_capacity(n);
            if n > 0 {
                input_read(v.as_mut_ptr());
                v.set_len(n);
            }
            v
        }
    }
    pub fn host_output(b: &[u8]) {
        unsafe { output(b.as_ptr(), b.len() as i32) }
    }
    pub fn host_abort(msg: &str) -> ! {
        unsafe {
            abort(msg.as_ptr(), msg.len() as i32);
            core::arch::wasm32::unreachable()
        }
    }
    pub fn host_caller() -> [u8; 20] {
        let mut a = [0u8; 20];
        unsafe { caller(a.as_mut_ptr()) };
        a
    }
    pub fn host_self_address() -> [u8; 20] {
        let mut a = [0u8; 20];
        unsafe { self_address(a.as_mut_ptr()) };
        a
    }
    pub fn host_funds() -> Vec<u8> {
        let n = unsafe { funds() };
        read_result(n)
    }
    pub fn host_block_height() -> i64 {
        unsafe { block_height() }
    }
    pub fn host_block_time() -> i64 {
        unsafe { block_time() }
    }
    pub fn host_chain_id() -> Vec<u8> {
        let n = unsafe { chain_id() };
        read_result(n)
    }
    pub fn host_storage_get(key: &[u8]) -> Option<Vec<u8>> {
        let n = unsafe { storage_get(key.as_ptr(), key.len() as i32) };
        if n < 0 {
            None
        } else {
            Some(read_result(n))
        }
    }
    pub fn host_storage_set(key: &[u8], val: &[u8]) {
        unsafe { storage_set(key.as_ptr(), key.len() as i32, val.as_ptr(), val.len() as i32) }
    }
    pub fn host_storage_remove(key: &[u8]) {
        unsafe { storage_remove(key.as_ptr(), key.len() as i32) }
    }
    pub fn host_storage_iter(start: &[u8], end: &[u8], reverse: bool) -> i32 {
        unsafe { storage_iter(start.as_ptr(), start.len() as i32, end.as_ptr(), end.len() as i32, reverse as i32) }
    }
    pub fn host_storage_next(iter: i32) -> Option<Vec<u8>> {
        let n = unsafe { storage_next(iter) };
        if n < 0 {
            None
        } else {
            Some(read_result(n))
        }
    }
    pub fn host_emit(name: &str, data: &[u8]) {
        unsafe { emit(name.as_ptr(), name.len() as i32, data.as_ptr(), data.len() as i32) }
    }
    pub fn host_call(addr: &[u8; 20], method: &str, args: &[u8], funds: &[u8]) -> Result<Vec<u8>, Vec<u8>> {
        let rc = unsafe {
            call(
                addr.as_ptr(),
                method.as_ptr(),
                method.len() as i32,
                args.as_ptr(),
                args.len() as i32,
                funds.as_ptr(),
                funds.len() as i32,
            )
        };
        let res = read_result(unsafe { result_len() });
        if rc == 0 {
            Ok(res)
        } else {
            Err(res)
        }
    }
    pub fn host_sha256(data: &[u8]) -> [u8; 32] {
        let mut out = [0u8; 32];
        unsafe { sha256(data.as_ptr(), data.len() as i32, out.as_mut_ptr()) };
        out
    }
    pub fn host_keccak256(data: &[u8]) -> [u8; 32] {
        let mut out = [0u8; 32];
        unsafe { keccak256(data.as_ptr(), data.len() as i32, out.as_mut_ptr()) };
        out
    }
    pub fn host_ed25519_verify(pubkey: &[u8; 32], msg: &[u8], sig: &[u8; 64]) -> bool {
        unsafe { ed25519_verify(pubkey.as_ptr(), msg.as_ptr(), msg.len() as i32, sig.as_ptr()) == 1 }
    }
    pub fn host_gas_left() -> i64 {
        unsafe { gas_left() }
    }
    /// The chain runs `#[view]` methods read-only from the ABI: nothing to do.
    #[inline(always)]
    pub fn host_view() {}
}
