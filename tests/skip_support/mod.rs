//! One way to say a test could not run: a `SKIP:` line on stderr (seen with `--nocapture` or
//! when the test fails) and a line appended to `$SPSDASH_SKIP_LOG`, which `.ci/test` lists at
//! the end so a person reading the run knows what was not checked. Under `CI=true` (or `1`) a
//! missing tool is a failure instead. Every skip of the suite goes through here
//! (`tests/skips_policy.rs` fails on any other).

// A test crate may use one of the two.
#![allow(dead_code)]

use std::io::Write;

/// Whether this run is CI's: `CI=true` or `CI=1` (`.ci/run` sets it when unset).
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|value| value == "true" || value == "1")
}

/// Fails under CI; elsewhere records the skip and returns (the caller then returns too).
pub fn skip(message: &str) {
    if in_ci() {
        panic!("{message}: CI must run this check (run .ci/install-test-tools as root)");
    }
    eprintln!("SKIP: {message}");
    if let Some(path) = std::env::var_os("SPSDASH_SKIP_LOG") {
        let line = format!(
            "{}: {message}\n",
            std::thread::current().name().unwrap_or("?")
        );
        let _ = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .and_then(|mut file| file.write_all(line.as_bytes()));
    }
}
