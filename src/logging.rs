#![warn(missing_docs)]
//! Logging to a file, never to the terminal: the dashboard owns the screen and `--json` owns
//! stdout. The file lives in the platform state dir (Linux: `~/.local/state/spsdash/`), else the
//! cache dir, unless `--log-file` names another. `--log-level`, else `SPSDASH_LOG`, sets the
//! filter (default `info`, e.g. `spsdash=debug`).

use std::path::{Path, PathBuf};

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;

/// The log file's name in the state directory.
pub const LOG_FILE: &str = "spsdash.log";
/// The environment variable holding the log filter when `--log-level` is not given.
pub const LOG_ENV: &str = "SPSDASH_LOG";

/// The directory the log file goes in by default.
pub fn log_dir() -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "spsdash")?;
    Some(
        dirs.state_dir()
            .unwrap_or_else(|| dirs.cache_dir())
            .to_path_buf(),
    )
}

/// The log file in use: the one named on the command line, else `spsdash.log` in [`log_dir`].
pub fn log_path(explicit: Option<&Path>) -> Option<PathBuf> {
    match explicit {
        Some(path) => Some(path.to_path_buf()),
        None => log_dir().map(|dir| dir.join(LOG_FILE)),
    }
}

/// Lines the log writer holds before it drops (see `init`).
const LOG_BUFFER_LINES: usize = 2048;

/// Starts file logging. Keep the guard alive until the program ends (it flushes on drop).
/// Logging is best-effort: when the directory cannot be made, nothing is logged and the
/// reason is returned for the caller to mention.
pub fn init(explicit_file: Option<&Path>, level: Option<&str>) -> Result<WorkerGuard, String> {
    let path = log_path(explicit_file).ok_or("no home directory to keep a log in")?;
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let file_name = path
        .file_name()
        .ok_or_else(|| format!("{} names no file to log to", path.display()))?;
    crate::private_fs::create_dir_all(&dir)
        .map_err(|error| format!("cannot create the log directory {}: {error}", dir.display()))?;
    // Created (or tightened to) 0600 before the appender opens it: the log names hosts,
    // contracts and domains, which are the operator's business only.
    crate::private_fs::append(&path)
        .map_err(|error| format!("cannot open the log {}: {error}", path.display()))?;
    let appender = tracing_appender::rolling::never(&dir, file_name);
    // A small lossy buffer: the default reserves 128,000 lines (4 MB) up front, and a log
    // that cannot keep up should drop lines, not hold the dashboard back.
    let (writer, guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .buffered_lines_limit(LOG_BUFFER_LINES)
        .lossy(true)
        .finish(appender);
    let filter = match level {
        Some(level) => EnvFilter::try_new(level)
            .map_err(|error| format!("--log-level {level:?} is not a log filter: {error}"))?,
        None => EnvFilter::try_from_env(LOG_ENV).unwrap_or_else(|_| EnvFilter::new("info")),
    };
    tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_env_filter(filter)
        .try_init()
        .map_err(|error| format!("logging already set up: {error}"))?;
    Ok(guard)
}
