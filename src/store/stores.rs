//! Where the dashboard's files live, decided once: the platform directories (or the
//! `SPSDASH_CACHE_DIR` / `SPSDASH_DATA_DIR` overrides) at start, or a test's temporary
//! directory. Nothing else in the crate looks a directory up by itself, so every store can be
//! injected.

use std::path::{Path, PathBuf};

use super::Store;
use super::drafts::DraftStore;
use super::submissions::SubmissionJournal;

/// The environment variable that overrides the cache directory (lists, transition journal).
pub const CACHE_DIR_ENV: &str = "SPSDASH_CACHE_DIR";
/// The environment variable that overrides the data directory (drafts, submissions journal).
pub const DATA_DIR_ENV: &str = "SPSDASH_DATA_DIR";

/// Every store the dashboard and the commands write. `None` where no directory could be
/// found (no home directory): the dashboard then works without that file and says so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stores {
    /// Cached lists and the transition journal.
    pub cache: Option<Store>,
    /// The wizard's draft.
    pub drafts: Option<DraftStore>,
    /// Every submission, journaled before it is sent.
    pub submissions: Option<SubmissionJournal>,
}

impl Stores {
    /// The stores in the platform directories, unless the environment overrides them.
    pub fn from_environment() -> Stores {
        let project = directories::ProjectDirs::from("", "", "spsdash");
        let cache_dir = dir_from_env(CACHE_DIR_ENV)
            .or_else(|| project.as_ref().map(|dirs| dirs.cache_dir().to_path_buf()));
        let data_dir = dir_from_env(DATA_DIR_ENV)
            .or_else(|| project.as_ref().map(|dirs| dirs.data_dir().to_path_buf()));
        Stores::in_dirs(cache_dir.as_deref(), data_dir.as_deref())
    }

    /// The stores in the given directories (a test's temporary ones).
    pub fn in_dirs(cache_dir: Option<&Path>, data_dir: Option<&Path>) -> Stores {
        Stores {
            cache: cache_dir.map(Store::new),
            drafts: data_dir.map(DraftStore::in_dir),
            submissions: data_dir.map(SubmissionJournal::in_dir),
        }
    }

    /// The same stores, with cached lists and pairs kept apart for `account` (the journal
    /// and the data files stay shared).
    pub fn for_account(mut self, account: &super::CacheAccount) -> Stores {
        self.cache = self.cache.map(|store| store.for_account(account));
        self
    }

    /// Why a store is missing, for the one warning the operator sees.
    pub fn missing_cache_warning() -> String {
        format!("no cache directory could be found; set {CACHE_DIR_ENV} to keep lists between runs")
    }

    /// Why drafts and the submissions journal are missing.
    pub fn missing_data_warning() -> String {
        format!(
            "no data directory could be found; set {DATA_DIR_ENV} to keep drafts and the submissions journal"
        )
    }
}

fn dir_from_env(name: &str) -> Option<PathBuf> {
    std::env::var_os(name)
        .filter(|dir| !dir.is_empty())
        .map(PathBuf::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stores_in_given_directories_write_there() {
        let cache = Path::new("/tmp/spsdash-cache-x");
        let data = Path::new("/tmp/spsdash-data-x");
        let stores = Stores::in_dirs(Some(cache), Some(data));
        assert_eq!(stores.cache.as_ref().map(Store::dir), Some(cache));
        assert!(
            stores
                .drafts
                .as_ref()
                .is_some_and(|drafts| drafts.path().starts_with(data))
        );
        assert!(
            stores
                .submissions
                .as_ref()
                .is_some_and(|journal| journal.path().starts_with(data))
        );
        assert_eq!(Stores::in_dirs(None, None).cache, None);
    }
}
