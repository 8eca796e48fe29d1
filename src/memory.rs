//! How the process asks glibc's allocator to hold memory (issue 12): the dashboard runs for
//! days and, every cycle, decodes lists of thousands of requests on the runtime's worker
//! threads and frees the previous ones on the loop thread.
//!
//! Measured on 2026-11-30 against `spsdash sim --requests 10000` (8 pairs), resident memory
//! after a minute: 105 MB with glibc's defaults, 82 MB with one arena, 61 MB with one arena
//! and a low trim threshold, against ~41 MB of live heap (valgrind massif). Each worker
//! thread's own arena keeps the pages of the lists it decoded; with one arena they are
//! reused for the next list instead. On other platforms and allocators nothing is changed.

/// Call first in `main`, before any thread starts: one arena, and free memory at the top of
/// the heap returned once 128 KiB of it gathers.
pub fn tune_for_long_runs() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    glibc::tune();
}

/// Gives free pages inside the heap back to the system (after a list replaced the previous
/// one, whose pages are free but in the middle of the heap).
pub fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    glibc::trim();
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod glibc {
    use std::ffi::c_int;

    // From glibc's <malloc.h>.
    const M_TRIM_THRESHOLD: c_int = -1;
    const M_ARENA_MAX: c_int = -8;
    const TRIM_THRESHOLD_BYTES: c_int = 128 * 1024;

    unsafe extern "C" {
        fn mallopt(param: c_int, value: c_int) -> c_int;
        fn malloc_trim(pad: usize) -> c_int;
    }

    pub(super) fn tune() {
        // SAFETY: mallopt only changes allocator parameters; both are documented ones with
        // valid values, set before other threads exist. A refusal (0) leaves the defaults.
        unsafe {
            mallopt(M_ARENA_MAX, 1);
            mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD_BYTES);
        }
    }

    pub(super) fn trim() {
        // SAFETY: malloc_trim takes the allocator's own lock and only releases free pages.
        unsafe {
            malloc_trim(0);
        }
    }
}
