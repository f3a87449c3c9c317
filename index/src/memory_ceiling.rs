//! A ceiling on the heap of a process that reads files from outside (the workbook reader's
//! child process): an allocation beyond it fails, which ends that process and not the app that
//! asked it to read. The binaries wrap their allocator in `Ceiling`; without a ceiling set it
//! counts nothing and costs one relaxed load per allocation.

use std::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Written to stderr when the ceiling is reached, so that the parent can tell why the child
/// ended (the allocation failure then aborts the child).
pub const CEILING_REACHED: &str = "archivedesk: memory ceiling reached";

/// Bytes allowed; 0 while no ceiling is set.
static CEILING: AtomicUsize = AtomicUsize::new(0);
static IN_USE: AtomicUsize = AtomicUsize::new(0);
static SAID: AtomicBool = AtomicBool::new(false);

/// Sets the ceiling for the rest of the process. Memory allocated before is not counted, so
/// call it first thing.
pub fn set_ceiling(bytes: usize) {
    CEILING.store(bytes.max(1), Ordering::Relaxed);
}

pub struct Ceiling<A> {
    inner: A,
}

impl<A> Ceiling<A> {
    pub const fn new(inner: A) -> Self {
        Ceiling { inner }
    }
}

fn ceiling() -> usize {
    CEILING.load(Ordering::Relaxed)
}

/// Takes `bytes` from what is left under the ceiling; false when they do not fit.
fn take(bytes: usize, ceiling: usize) -> bool {
    let before = IN_USE.fetch_add(bytes, Ordering::Relaxed);
    if before.saturating_add(bytes) <= ceiling {
        return true;
    }
    IN_USE.fetch_sub(bytes, Ordering::Relaxed);
    if !SAID.swap(true, Ordering::Relaxed) {
        // Unbuffered and without allocating: the process is about to abort.
        let mut stderr = std::io::stderr();
        let _ = std::io::Write::write_all(&mut stderr, CEILING_REACHED.as_bytes());
        let _ = std::io::Write::write_all(&mut stderr, b"\n");
    }
    false
}

/// Gives bytes back; memory allocated before the ceiling was set is not counted, so this
/// never goes below zero.
fn give(bytes: usize) {
    let _ = IN_USE.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| {
        Some(n.saturating_sub(bytes))
    });
}

/// Allocates with `allocate` when `layout` fits under the ceiling (or there is none).
fn within_ceiling(layout: Layout, allocate: impl FnOnce() -> *mut u8) -> *mut u8 {
    let ceiling = ceiling();
    if ceiling != 0 && !take(layout.size(), ceiling) {
        return std::ptr::null_mut();
    }
    let p = allocate();
    if p.is_null() && ceiling != 0 {
        give(layout.size());
    }
    p
}

unsafe impl<A: GlobalAlloc> GlobalAlloc for Ceiling<A> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        within_ceiling(layout, || unsafe { self.inner.alloc(layout) })
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        within_ceiling(layout, || unsafe { self.inner.alloc_zeroed(layout) })
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { self.inner.dealloc(ptr, layout) };
        if ceiling() != 0 {
            give(layout.size());
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let ceiling = ceiling();
        let old = layout.size();
        if ceiling != 0 && new_size > old && !take(new_size - old, ceiling) {
            return std::ptr::null_mut();
        }
        let p = unsafe { self.inner.realloc(ptr, layout, new_size) };
        if ceiling != 0 {
            if p.is_null() {
                if new_size > old {
                    give(new_size - old);
                }
            } else if new_size < old {
                give(old - new_size);
            }
        }
        p
    }
}
