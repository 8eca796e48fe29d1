//! Which of the dashboard's threads goes first when the CPU is busy (issue 12). On a
//! 2-core jump host the runtime's threads decode a pair's list (tens of milliseconds at
//! 12,500 requests), free the last one, write the cache and, in demo mode, serve the
//! simulator, while the loop thread owes a pressed key its frame: at equal priority the key
//! waited behind them. The runtime's threads run at a lower priority (nice 10) and take what
//! the loop thread leaves; on an idle machine they lose nothing. The loop thread (the
//! process's main thread) and the terminal reader it starts keep the default.

/// For the runtime's `on_thread_start`: lowers the calling thread's priority. Only the
/// dashboard asks for it; the commands (and `spsdash sim`) keep the default for every thread.
pub fn yield_to_the_screen() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    linux::lower_this_thread();
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod linux {
    use std::ffi::{c_int, c_uint};

    // From glibc's <sys/resource.h>.
    const PRIO_PROCESS: c_int = 0;
    /// Half-way down: each of these threads gets about a tenth of the loop thread's share
    /// when both want the CPU (the kernel weighs nice 10 at 110 against nice 0's 1024).
    const BACKGROUND_NICE: c_int = 10;

    unsafe extern "C" {
        fn gettid() -> c_int;
        fn setpriority(which: c_int, who: c_uint, prio: c_int) -> c_int;
    }

    pub(super) fn lower_this_thread() {
        // SAFETY: gettid has no preconditions. On Linux a nice value belongs to a thread, and
        // PRIO_PROCESS with a thread's id changes only that thread; raising one's own nice
        // value needs no privilege. A refusal (-1) leaves the thread as it was.
        unsafe {
            let thread = gettid();
            if let Ok(thread) = c_uint::try_from(thread) {
                setpriority(PRIO_PROCESS, thread, BACKGROUND_NICE);
            }
        }
    }
}
