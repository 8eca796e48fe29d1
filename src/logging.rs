#![warn(missing_docs)]
//! Logging to a file, never to the terminal: the dashboard owns the screen and `--json` owns
//! stdout. The file lives in the platform state dir (Linux: `~/.local/state/spsdash/`), else the
//! cache dir. `SPSDASH_LOG` sets the filter (default `info`, e.g. `spsdash=debug`).

use std::path::PathBuf;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;

/// The log file's name in the state directory.
pub const LOG_FILE: &str = "spsdash.log";

/// The directory the log file goes in.
pub fn log_dir() -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "spsdash")?;
    Some(
        dirs.state_dir()
            .unwrap_or_else(|| dirs.cache_dir())
            .to_path_buf(),
    )
}

/// Starts file logging. Keep the guard alive until the program ends (it flushes on drop).
/// Logging is best-effort: when the directory cannot be made, nothing is logged and the
/// reason is returned for the caller to mention.
pub fn init() -> Result<WorkerGuard, String> {
    let dir = log_dir().ok_or("no home directory to keep a log in")?;
    crate::private_fs::create_dir_all(&dir)
        .map_err(|error| format!("cannot create the log directory {}: {error}", dir.display()))?;
    // Created (or tightened to) 0600 before the appender opens it: the log names hosts,
    // contracts and domains, which are the operator's business only.
    let log_path = dir.join(LOG_FILE);
    crate::private_fs::append(&log_path)
        .map_err(|error| format!("cannot open the log {}: {error}", log_path.display()))?;
    let appender = tracing_appender::rolling::never(&dir, LOG_FILE);
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let filter = EnvFilter::try_from_env("SPSDASH_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_env_filter(filter)
        .try_init()
        .map_err(|error| format!("logging already set up: {error}"))?;
    Ok(guard)
}
