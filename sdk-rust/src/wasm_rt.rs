//! wasm32 runtime: panic handler, bump allocator, allocation-failure handler.

use core::alloc::{GlobalAlloc, Layout};
use core::arch::wasm32;

const PAGE: usize = 65536;

/// Formats into a fixed buffer, truncating at a char boundary.
struct FixedBuf {
    data: [u8; 256],
    len: usize,
}

impl core::fmt::Write for FixedBuf {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        let room = self.data.len() - self.len;
        let mut n = s.len().min(room);
        while n > 0 && !s.is_char_boundary(n) {
            n -= 1;
        }
        self.data[self.len..self.len + n].copy_from_slice(&s.as_bytes()[..n]);
        self.len += n;
        Ok(())
    }
}

/// Aborts the call with the panic message (at most 256 bytes).
#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
    let mut buf = FixedBuf { data: [0; 256], len: 0 };
    match info.message() {
        Some(args) => {
            let _ = core::fmt::write(&mut buf, *args);
        }
        None => {
            let _ = core::fmt::Write::write_str(&mut buf, "panic");
        }
    }
    let msg = unsafe { core::str::from_utf8_unchecked(&buf.data[..buf.len]) };
    crate::api::abort(msg)
}

#[alloc_error_handler]
fn oom(_: Layout) -> ! {
    crate::api::abort("out of memory")
}

/// A bump allocator: an instance serves one call, so memory is only reused
/// when the most recent block is freed or grown in place.
struct Bump;

static mut NEXT: usize = 0;

extern "C" {
    static __heap_base: u8;
}

unsafe fn heap_next() -> usize {
    if NEXT == 0 {
        NEXT = &__heap_base as *const u8 as usize;
    }
    NEXT
}

/// Makes sure memory reaches `end`; false if the VM refuses to grow it.
unsafe fn ensure(end: usize) -> bool {
    let have = wasm32::memory_size(0) * PAGE;
    if end <= have {
        return true;
    }
    let pages = (end - have + PAGE - 1) / PAGE;
    wasm32::memory_grow(0, pages) != usize::MAX
}

unsafe impl GlobalAlloc for Bump {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let next = heap_next();
        let align = layout.align();
        let start = match next.checked_add(align - 1) {
            Some(v) => v & !(align - 1),
            None => return core::ptr::null_mut(),
        };
        let end = match start.checked_add(layout.size()) {
            Some(v) => v,
            None => return core::ptr::null_mut(),
        };
        if !ensure(end) {
            return core::ptr::null_mut();
        }
        NEXT = end;
        start as *mut u8
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if ptr as usize + layout.size() == NEXT {
            NEXT = ptr as usize;
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let old_end = ptr as usize + layout.size();
        if old_end == NEXT {
            // the last block: grow or shrink in place
            let end = match (ptr as usize).checked_add(new_size) {
                Some(v) => v,
                None => return core::ptr::null_mut(),
            };
            if !ensure(end) {
                return core::ptr::null_mut();
            }
            NEXT = end;
            return ptr;
        }
        if new_size <= layout.size() {
            return ptr;
        }
        let new = self.alloc(Layout::from_size_align_unchecked(new_size, layout.align()));
        if !new.is_null() {
            core::ptr::copy_nonoverlapping(ptr, new, layout.size());
        }
        new
    }
}

#[global_allocator]
static ALLOC: Bump = Bump;
