//! The program's allocator: the system's, asking Linux to back large blocks (the tables
//! and sets of a national export, hundreds of megabytes each) with 2 MiB pages instead of
//! 4 KiB ones. Looking rows up in a set of tens of millions scatters over the whole block,
//! and with small pages most of those look-ups also miss the processor's page cache. On
//! other systems, or where the kernel does not take the advice, it is the system's
//! allocator unchanged.
//!
//! This is the one place sprout uses `unsafe`: an allocator is `unsafe` to implement, and
//! this one only passes each call on to [`System`] and gives the kernel advice about the
//! block it returned.

#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};

/// The system allocator, with large blocks advised to use huge pages.
#[derive(Debug)]
pub struct HugePages;

/// Blocks from this size are advised (smaller ones gain little and may share pages).
const LARGE: usize = 16 << 20;

#[cfg(target_os = "linux")]
fn advise(block: *mut u8, size: usize) {
    const HUGE_PAGE: usize = 2 << 20;
    if block.is_null() || size < LARGE {
        return;
    }
    let start = (block as usize).next_multiple_of(HUGE_PAGE);
    let end = (block as usize + size) & !(HUGE_PAGE - 1);
    if end > start {
        // SAFETY: the range lies inside the block the allocator has just handed out;
        // MADV_HUGEPAGE changes how the kernel backs those pages, never their contents.
        // A kernel without transparent huge pages refuses the advice, which is ignored.
        unsafe {
            libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE);
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn advise(_: *mut u8, _: usize) {}

// SAFETY: every call is passed on to `System` with the caller's own arguments, so this
// allocator keeps every promise `System` keeps; `advise` never touches the memory.
unsafe impl GlobalAlloc for HugePages {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's guarantees for `layout` are passed on unchanged.
        let block = unsafe { System.alloc(layout) };
        advise(block, layout.size());
        block
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let block = unsafe { System.alloc_zeroed(layout) };
        advise(block, layout.size());
        block
    }

    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        // SAFETY: `block` came from `System` through this allocator, with this layout.
        unsafe { System.dealloc(block, layout) }
    }

    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as for `dealloc`, and the caller's guarantees for `new_size`.
        let grown = unsafe { System.realloc(block, layout, new_size) };
        if new_size > layout.size() {
            advise(grown, new_size);
        }
        grown
    }
}
