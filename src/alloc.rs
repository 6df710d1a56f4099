//! The binary's allocator: mimalloc for the many small allocations of a check, glibc's
//! malloc (the system allocator) for buffers of 1 MiB and more.
//!
//! mimalloc takes a 2.5 MB set from 104 ms to 70 ms (glibc's malloc took 10,700 page faults
//! there, mimalloc 190). But it grows a large buffer by allocating anew and copying, where
//! glibc remaps the pages in place: on the worst case of `docs/hostile-inputs.md` (a line of
//! five million list items, whose node storage grows by doubling) mimalloc alone peaked at
//! 457 MiB against glibc's 258 MiB. A block's size decides who owns it, so that `dealloc`,
//! which is given the size, always reaches the allocator that made the block.

use std::alloc::{GlobalAlloc, Layout, System};

use mimalloc::MiMalloc;

/// Blocks of this size and above come from the system allocator.
const LARGE: usize = 1 << 20;

pub struct Allocator;

fn is_large(size: usize) -> bool {
    size >= LARGE
}

// SAFETY: every block is allocated and freed by the same allocator, chosen by its size, and
// `realloc` across the threshold moves the contents to a block of the other allocator.
unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if is_large(layout.size()) {
            unsafe { System.alloc(layout) }
        } else {
            unsafe { MiMalloc.alloc(layout) }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if is_large(layout.size()) {
            unsafe { System.alloc_zeroed(layout) }
        } else {
            unsafe { MiMalloc.alloc_zeroed(layout) }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if is_large(layout.size()) {
            unsafe { System.dealloc(ptr, layout) }
        } else {
            unsafe { MiMalloc.dealloc(ptr, layout) }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        match (is_large(layout.size()), is_large(new_size)) {
            (true, true) => unsafe { System.realloc(ptr, layout, new_size) },
            (false, false) => unsafe { MiMalloc.realloc(ptr, layout, new_size) },
            _ => {
                // SAFETY: `new_size` with the old alignment is a valid layout, as the
                // caller of `realloc` guarantees.
                let new_layout =
                    unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
                let new = unsafe { self.alloc(new_layout) };
                if !new.is_null() {
                    let kept = layout.size().min(new_size);
                    unsafe {
                        std::ptr::copy_nonoverlapping(ptr, new, kept);
                        self.dealloc(ptr, layout);
                    }
                }
                new
            }
        }
    }
}

/// `list` in a block of exactly its length, for lists kept for the whole check (growth by
/// doubling leaves up to half of a list's slots empty). `Vec::shrink_to_fit` does not do it
/// for small blocks: mimalloc's `realloc` keeps a block when the new size wastes no more
/// than half of it, so the elements are moved to a new block instead (glibc, which gets the
/// blocks of 1 MiB and more, shrinks those in place).
pub fn exact_len<T>(mut list: Vec<T>) -> Vec<T> {
    if list.capacity() == list.len() {
        return list;
    }
    if is_large(list.capacity() * std::mem::size_of::<T>()) {
        list.shrink_to_fit();
        return list;
    }
    let mut exact = Vec::with_capacity(list.len());
    exact.append(&mut list);
    exact
}

/// Makes glibc's malloc give every block it is asked for (all of them 1 MiB or more) its own
/// mapping, returned to the system when the block is freed. By default glibc raises that
/// threshold to the size of the largest mapped block freed so far (up to 32 MiB), after which
/// large blocks come from its heap and their pages stay with the process once freed: 8 MiB of
/// peak RSS on a 25 MB set. Call it at start, before any thread.
pub fn configure() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a parameter of glibc's allocator; there is one thread yet.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, LARGE as libc::c_int);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_exact_list_keeps_its_items_in_a_block_of_their_size() {
        let mut list: Vec<u64> = Vec::with_capacity(1000);
        list.extend(0..600);
        let list = exact_len(list);
        assert_eq!(list.capacity(), 600);
        assert!(list.iter().copied().eq(0..600));
        let large: Vec<u64> = Vec::with_capacity(LARGE);
        assert_eq!(exact_len(large).capacity(), 0);
    }

    #[test]
    fn blocks_keep_their_contents_across_the_threshold() {
        let allocator = Allocator;
        let small = Layout::from_size_align(1000, 8).unwrap();
        unsafe {
            let p = allocator.alloc(small);
            assert!(!p.is_null());
            p.write_bytes(7, 1000);
            // Small to large (mimalloc to the system), then back.
            let p = allocator.realloc(p, small, LARGE + 10);
            assert!(!p.is_null());
            assert!((0..1000).all(|i| *p.add(i) == 7));
            p.add(1000).write_bytes(9, LARGE + 10 - 1000);
            let large = Layout::from_size_align(LARGE + 10, 8).unwrap();
            let p = allocator.realloc(p, large, 500);
            assert!(!p.is_null());
            assert!((0..500).all(|i| *p.add(i) == 7));
            allocator.dealloc(p, Layout::from_size_align(500, 8).unwrap());
        }
    }
}
