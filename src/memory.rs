//! How the process asks glibc's allocator to hold memory (issue 12): the dashboard runs for
//! days and, every cycle, reads lists of thousands of requests on the runtime's worker
//! threads.
//!
//! Measured on 2026-11-30 against `spsdash sim --requests 10000` (8 pairs), when every list
//! was decoded whole: resident memory after a minute was 105 MB with glibc's defaults, 82 MB
//! with one arena, 61 MB with one arena and a low trim threshold. Each worker thread's own
//! arena kept the pages of the lists it decoded, so the dashboard ran on one arena.
//!
//! Since a later list decodes only the items that changed (`sps::list_texts`, 2026-12-01)
//! the workers allocate little, and the one arena cost more than it saved: its lock was
//! shared by the loop thread, which waited on it while a worker read a list (at 100,000
//! requests, 23 of 40 keys within a 60 Hz frame; `perf record -e sched:sched_switch` on the
//! loop thread showed nearly every wait in `malloc`). With glibc's arenas again: 10,000
//! requests 35 MB peak and 29 MB steady, 100,000 requests 40 of 40 keys within a frame
//! (`benches/harness.sh`). The low trim threshold stays. On other platforms and allocators
//! nothing is changed.

/// Call first in `main`, before any thread starts: free memory at the top of the heap is
/// returned once 128 KiB of it gathers.
pub fn tune_for_long_runs() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    glibc::tune();
}

/// Gives free pages inside the heap back to the system: the loop calls it once lists have
/// been quiet for a moment (`tui::TRIM_WHEN_QUIET`), as the previous lists' pages are free
/// but in the middle of the heap. A trim costs milliseconds, so not after each list.
pub fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    glibc::trim();
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod glibc {
    use std::ffi::c_int;

    // From glibc's <malloc.h>.
    const M_TRIM_THRESHOLD: c_int = -1;
    const TRIM_THRESHOLD_BYTES: c_int = 128 * 1024;

    unsafe extern "C" {
        fn mallopt(param: c_int, value: c_int) -> c_int;
        fn malloc_trim(pad: usize) -> c_int;
    }

    pub(super) fn tune() {
        // SAFETY: mallopt only changes allocator parameters; this is a documented one with a
        // valid value, set before other threads exist. A refusal (0) leaves the default.
        unsafe {
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
