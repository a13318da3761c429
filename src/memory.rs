//! Memory a piece of work allocates, measured where it is allocated.
//!
//! Owns: the process's global allocator ([`Counting`], the system allocator with one check
//! added) and [`Meter`], a budget for the work one thread does. While a meter is entered on a
//! thread ([`Meter::enter`]), every allocation, reallocation and free of that thread is charged
//! to it; the first time the bytes held pass the budget, the meter marks itself exceeded and
//! calls its `on_exceeded` hook (the SPARQL engine cancels the query there). The allocator
//! never fails or panics because of a meter: the work is stopped by whoever polls the
//! cancellation.
//!
//! Threads without a meter pay one thread-local read per allocation.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering};

/// The system allocator, charging the current thread's [`Meter`] if it has one.
pub struct Counting;

thread_local! {
    /// The meter of the work this thread is doing (null: none). Const-initialised and without
    /// a destructor, so reading it never allocates.
    static CURRENT: Cell<*const Meter> = const { Cell::new(std::ptr::null()) };
}

/// What an allocation of `size` bytes takes from the heap: glibc's malloc adds an 8-byte
/// header and rounds to 16 bytes (at least 32), which for the many small rows of a query is a
/// sizeable share of what the process really holds.
#[inline]
fn footprint(size: usize) -> isize {
    (size.saturating_add(8 + 15) & !15).max(32) as isize
}

#[inline]
fn charge(delta: isize) {
    // `try_with`: while a thread is being torn down its locals may be gone
    let _ = CURRENT.try_with(|current| {
        let meter = current.get();
        if !meter.is_null() {
            // SAFETY: a pointer is set only by `Meter::enter`, whose guard clears it before the
            // meter it points to can be dropped (the guard borrows the meter)
            unsafe { (*meter).charge(delta) };
        }
    });
}

// SAFETY: every call is forwarded to `System` unchanged; `charge` neither allocates nor unwinds.
unsafe impl GlobalAlloc for Counting {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract is passed on to `System`
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            charge(footprint(layout.size()));
        }
        p
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as above
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            charge(footprint(layout.size()));
        }
        p
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above
        unsafe { System.dealloc(ptr, layout) };
        charge(-footprint(layout.size()));
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as above
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            charge(footprint(new_size) - footprint(layout.size()));
        }
        p
    }
}

/// A memory budget for work done on one thread at a time.
pub struct Meter {
    budget: isize,
    held: AtomicIsize,
    peak: AtomicIsize,
    exceeded: AtomicBool,
    on_exceeded: Box<dyn Fn() + Send + Sync>,
}

impl Meter {
    /// A meter of `budget` bytes; `on_exceeded` runs once, inside the allocation that passes
    /// the budget, so it must not allocate, lock or unwind (an atomic store is right).
    pub fn new(budget: u64, on_exceeded: impl Fn() + Send + Sync + 'static) -> Self {
        Self {
            budget: isize::try_from(budget).unwrap_or(isize::MAX),
            held: AtomicIsize::new(0),
            peak: AtomicIsize::new(0),
            exceeded: AtomicBool::new(false),
            on_exceeded: Box::new(on_exceeded),
        }
    }

    /// Charges this thread's allocations to the meter until the guard is dropped.
    pub fn enter(&self) -> Entered<'_> {
        let previous = CURRENT.with(|c| c.replace(self as *const Meter));
        Entered { meter: self, previous }
    }

    #[inline]
    fn charge(&self, delta: isize) {
        let held = self.held.fetch_add(delta, Ordering::Relaxed) + delta;
        if delta > 0 {
            self.peak.fetch_max(held, Ordering::Relaxed);
            if held > self.budget && !self.exceeded.swap(true, Ordering::Relaxed) {
                (self.on_exceeded)();
            }
        }
    }

    /// Whether the work ever held more than the budget.
    pub fn exceeded(&self) -> bool {
        self.exceeded.load(Ordering::Relaxed)
    }

    /// The most bytes the work held at once (allocations minus frees on the metered thread, as
    /// the heap counts them).
    pub fn peak(&self) -> u64 {
        self.peak.load(Ordering::Relaxed).max(0) as u64
    }
}

/// While it lives, the thread's allocations are charged to its meter.
pub struct Entered<'a> {
    meter: &'a Meter,
    previous: *const Meter,
}

impl Entered<'_> {
    pub fn meter(&self) -> &Meter {
        self.meter
    }
}

impl Drop for Entered<'_> {
    fn drop(&mut self) {
        let previous = self.previous;
        let _ = CURRENT.try_with(|c| c.set(previous));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::AtomicUsize;

    #[test]
    fn a_meter_sees_its_threads_allocations_and_calls_its_hook_once() {
        let calls = Arc::new(AtomicUsize::new(0));
        let c = calls.clone();
        let meter = Meter::new(1 << 20, move || {
            c.fetch_add(1, Ordering::Relaxed);
        });
        {
            let _in = meter.enter();
            let small = vec![0u8; 1000];
            assert!(!meter.exceeded());
            drop(small);
            let big: Vec<Vec<u8>> = (0..4).map(|_| vec![1u8; 512 * 1024]).collect();
            assert!(meter.exceeded());
            drop(big);
            let _more = vec![0u8; 2 << 20];
        }
        assert_eq!(calls.load(Ordering::Relaxed), 1);
        assert!(meter.peak() >= 2 << 20, "{}", meter.peak());
        // after the guard: not charged
        let before = meter.peak();
        let _outside = vec![0u8; 8 << 20];
        assert_eq!(meter.peak(), before);
        // another thread's allocations are not charged either
        let meter = Meter::new(1 << 20, || {});
        let _in = meter.enter();
        std::thread::spawn(|| vec![0u8; 4 << 20].len()).join().unwrap();
        assert!(!meter.exceeded());
    }
}
