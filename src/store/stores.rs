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

    /// The same stores, kept apart for `account`: its cached lists and pairs, its transitions
    /// journal, its wizard draft and its submissions journal live in its own directories
    /// (`<cache>/accounts/<account>/`, `<data>/accounts/<account>/`). The `[default]` section
    /// without an account switch key keeps the journal, draft and submissions at the top of
    /// the directories, where every earlier version (and the one-shot commands) wrote them,
    /// so nothing already there is lost; only its lists were already apart.
    ///
    /// Call it on the stores of [`Stores::from_environment`] or [`Stores::in_dirs`], once per
    /// account (never on stores already made for an account).
    pub fn for_account(mut self, account: &super::CacheAccount) -> Stores {
        self.cache = self.cache.map(|store| store.for_account(account));
        if !account.keeps_shared_files() {
            let own = |dir: &Path| dir.join("accounts").join(account.dir_name());
            self.drafts = self
                .drafts
                .map(|drafts| DraftStore::in_dir(&own(parent_of(drafts.path()))));
            self.submissions = self
                .submissions
                .map(|journal| SubmissionJournal::in_dir(&own(parent_of(journal.path()))));
        }
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

/// The directory a data file sits in (its path always has one: `in_dir` made it).
fn parent_of(path: &Path) -> &Path {
    path.parent().unwrap_or(Path::new("."))
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

    fn account(section: &str, key: Option<&str>) -> crate::store::CacheAccount {
        crate::store::CacheAccount {
            section: section.to_string(),
            account_switch_key: key.map(str::to_string),
            backend: crate::model::Api::Sps,
        }
    }

    #[test]
    fn a_long_section_name_still_gets_its_cache_and_drafts() {
        // 85 characters that are each written `_XX` made a 255-byte name: "File name too
        // long", and that account had no cache and no drafts (issue 27).
        let dir = tempfile::tempdir().unwrap();
        let base = Stores::in_dirs(Some(&dir.path().join("c")), Some(&dir.path().join("d")));
        let long = ".".repeat(85);
        let longer = format!("{}x", "production-".repeat(40));
        let sibling = format!("{}y", "production-".repeat(40));
        let mut dirs = Vec::new();
        for section in [long.as_str(), longer.as_str(), sibling.as_str()] {
            let account = account(section, Some(&"k".repeat(200)));
            let stores = base.clone().for_account(&account);
            let cache = stores.cache.unwrap();
            cache
                .save_pairs(&account, chrono::Utc::now(), &[])
                .unwrap_or_else(|error| panic!("{section}: {error}"));
            assert!(cache.load_pairs(&account).unwrap().is_some());
            let drafts = stores.drafts.unwrap();
            drafts.save(&serde_json::json!({"draft": section})).unwrap();
            assert!(drafts.load::<serde_json::Value>().unwrap().is_some());
            let name = cache.pairs_path().parent().unwrap().to_path_buf();
            let name = name.file_name().unwrap().to_string_lossy().into_owned();
            assert!(name.len() <= 120, "{name}");
            assert!(
                name.starts_with("production-") || name.starts_with("_2E"),
                "{name}"
            );
            dirs.push(name);
        }
        assert_ne!(
            dirs[1], dirs[2],
            "a shared beginning is not a shared directory"
        );
    }

    #[test]
    fn each_account_has_its_own_journal_drafts_and_submissions() {
        let dir = tempfile::tempdir().unwrap();
        let base = Stores::in_dirs(Some(&dir.path().join("c")), Some(&dir.path().join("d")));
        let accounts = [
            account("default", None),
            account("default", Some("1-AB")),
            account("prod", None),
            crate::store::CacheAccount::demo(crate::model::Api::Sps),
        ];
        let paths: Vec<_> = accounts
            .iter()
            .map(|account| {
                let stores = base.clone().for_account(account);
                (
                    stores.cache.unwrap().journal_path(),
                    stores.drafts.unwrap().path().to_path_buf(),
                    stores.submissions.unwrap().path().to_path_buf(),
                )
            })
            .collect();
        for (index, one) in paths.iter().enumerate() {
            for other in &paths[index + 1..] {
                assert_ne!(one.0, other.0);
                assert_ne!(one.1, other.1);
                assert_ne!(one.2, other.2);
            }
        }
        // `[default]` without a key keeps the files earlier versions wrote.
        assert_eq!(paths[0].0, dir.path().join("c/transitions.jsonl"));
        assert_eq!(paths[0].1, dir.path().join("d/wizard-draft.json"));
        assert_eq!(paths[0].2, dir.path().join("d/submissions.jsonl"));
        // Everyone else lives under their own directory, next to their lists.
        assert_eq!(
            paths[2].0,
            dir.path().join("c/accounts/prod/transitions.jsonl")
        );
        assert_eq!(
            paths[2].1,
            dir.path().join("d/accounts/prod/wizard-draft.json")
        );
        assert_eq!(
            paths[2].2,
            dir.path().join("d/accounts/prod/submissions.jsonl")
        );
    }

    #[test]
    fn what_one_account_writes_the_other_never_reads() {
        use crate::model::transition::Transition;
        let dir = tempfile::tempdir().unwrap();
        let base = Stores::in_dirs(Some(&dir.path().join("c")), Some(&dir.path().join("d")));
        let prod = base.clone().for_account(&account("prod", None));
        let staging = base.clone().for_account(&account("staging", None));
        let transition = Transition {
            at: chrono::Utc::now(),
            pair: crate::model::Scope::pair("C-1", "2").into(),
            id: 7,
            domain: None,
            from: None,
            to: "Awaiting User".into(),
            to_state: None,
        };
        let prod_cache = prod.cache.as_ref().unwrap();
        prod_cache.append_journal(&[transition]).unwrap();
        assert_eq!(prod_cache.load_journal().0.len(), 1);
        assert!(staging.cache.as_ref().unwrap().load_journal().0.is_empty());

        prod.drafts.as_ref().unwrap().save(&"prod's draft").unwrap();
        assert_eq!(
            prod.drafts.as_ref().unwrap().load::<String>().unwrap(),
            Some("prod's draft".to_string())
        );
        assert_eq!(
            staging.drafts.as_ref().unwrap().load::<String>().unwrap(),
            None
        );
    }
}
