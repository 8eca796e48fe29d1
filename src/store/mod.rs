//! Local state on disk: the list cache and transition journal (issue 4), wizard drafts and the
//! submission journal (issue 5).
//!
//! Everything lives in one cache directory: `$SPSDASH_CACHE_DIR` when set (tests use it),
//! else the platform cache dir of `ProjectDirs::from("", "", "spsdash")` (on Linux
//! `$XDG_CACHE_HOME/spsdash`, else `~/.cache/spsdash`).

pub mod cache;
pub mod certificates;
pub mod drafts;
pub mod journal;
pub mod pairs;
mod stores;
pub mod submissions;

use std::io::Write;
use std::path::{Path, PathBuf};

pub use cache::CachedList;
pub use pairs::{CacheAccount, CachedPairs};
pub use stores::{CACHE_DIR_ENV, DATA_DIR_ENV, Stores};

/// The dashboard's files in one directory. Every failure is a message for the operator, never
/// a crash: the dashboard works without a cache.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Store {
    dir: PathBuf,
    /// Where the lists and the discovered pairs live: `dir` itself, or the account's own
    /// directory under it ([`Store::for_account`]) so one account never sees another's data.
    lists_dir: PathBuf,
    /// Where the transitions journal lives: `dir` for the account that has always used the
    /// shared files ([`CacheAccount::keeps_shared_files`]), else the account's own directory.
    journal_dir: PathBuf,
}

impl Store {
    pub fn new(dir: impl Into<PathBuf>) -> Store {
        let dir = dir.into();
        Store {
            lists_dir: dir.clone(),
            journal_dir: dir.clone(),
            dir,
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn ensure_dir(&self) -> Result<(), String> {
        create_dir(&self.dir)
    }

    /// Writes `bytes` to `path` through a temporary file and a rename, so a crash mid-write
    /// never leaves half a file behind.
    fn write_atomically(&self, path: &Path, bytes: &[u8]) -> Result<(), String> {
        self.write_atomically_with(path, |file| file.write_all(bytes))
    }

    /// The same, with the content streamed by `write` (a list of thousands is encoded
    /// straight into the file, never held as a second copy in memory).
    fn write_atomically_with(
        &self,
        path: &Path,
        write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<(), String> {
        match path.parent() {
            Some(parent) => create_dir(parent)?,
            None => self.ensure_dir()?,
        }
        let temporary = path.with_extension(format!("tmp-{}", std::process::id()));
        crate::private_fs::create(&temporary)
            .and_then(|file| {
                let mut buffered = std::io::BufWriter::new(file);
                write(&mut buffered)?;
                buffered.flush()
            })
            .and_then(|()| std::fs::rename(&temporary, path))
            .map_err(|error| {
                let _ = std::fs::remove_file(&temporary);
                format!("cannot write {}: {error}", path.display())
            })
    }

    /// Moves a file that cannot be trusted out of the way (`name.corrupt-<time>`), keeping it
    /// for inspection; returns where it went.
    fn set_aside(&self, path: &Path, why: &str) -> String {
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
        let name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        let aside = path.with_file_name(format!("{name}.{why}-{stamp}"));
        match std::fs::rename(path, &aside) {
            Ok(()) => aside.display().to_string(),
            Err(_) => {
                let _ = std::fs::remove_file(path);
                "(removed: it could not be renamed)".to_string()
            }
        }
    }
}

fn create_dir(dir: &Path) -> Result<(), String> {
    crate::private_fs::create_dir_all(dir).map_err(|error| {
        format!(
            "cannot create the cache directory {}: {error} (set {CACHE_DIR_ENV} to a writable directory)",
            dir.display()
        )
    })
}
