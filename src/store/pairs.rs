//! The pairs PAPI discovered (with their group names), cached per account so the next start
//! shows them, and their cached lists, before PAPI answers. Each account (credentials section
//! and account switch key) has its own directory, and the pairs file names its account too: a
//! cache written for another account or section is never shown.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Store;
use crate::model::{Api, NamedScope};

const FORMAT: &str = "spsdash-pairs-cache";
const VERSION: u32 = 1;

/// Whose data a cache holds: the credentials section (or the demo), the account switch key,
/// and the API spoken (an SPS pair's list and a CPS contract's are never mixed up, nor their
/// history and drafts).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CacheAccount {
    pub section: String,
    pub account_switch_key: Option<String>,
    #[serde(default)]
    pub backend: Api,
}

impl CacheAccount {
    /// The embedded simulator's world: never mixed with a real account's.
    pub fn demo(backend: Api) -> CacheAccount {
        CacheAccount {
            section: "(demo)".to_string(),
            account_switch_key: None,
            backend,
        }
    }

    /// The account every version before per-account files wrote to the shared files (the
    /// `[default]` section without an account switch key): it keeps using them, so its
    /// journal and draft are still found, and the one-shot commands keep sharing them.
    pub fn keeps_shared_files(&self) -> bool {
        self.section == "default" && self.account_switch_key.is_none() && self.backend == Api::Sps
    }

    /// A directory name that differs for every account: letters, digits and `-` are kept,
    /// every other byte is written `_XX`, and `~` separates the two parts, so no two
    /// accounts share a name.
    pub(super) fn dir_name(&self) -> String {
        let encode = |text: &str| -> String {
            text.bytes()
                .map(|byte| {
                    if byte.is_ascii_alphanumeric() || byte == b'-' {
                        char::from(byte).to_string()
                    } else {
                        format!("_{byte:02X}")
                    }
                })
                .collect()
        };
        let account = match &self.account_switch_key {
            Some(key) => format!("{}~{}", encode(&self.section), encode(key)),
            None => encode(&self.section),
        };
        let account = shortened(account);
        // SPS keeps the names of the versions before CPS; `+` is never in an encoded part.
        match self.backend {
            Api::Sps => account,
            Api::Cps => format!("{account}+cps"),
        }
    }
}

/// Longest account part of a directory name kept as it is; every name of that length or
/// less is the one earlier versions used.
const LONGEST_READABLE_NAME: usize = 96;

/// A name short enough for any file system (255 bytes): a longer one keeps a readable
/// beginning and ends with `=` and a hash of the whole (`=` is never in an encoded name, so a
/// shortened name meets no short one). A section of 85 characters encoded `_XX` each was
/// "File name too long", and that account got no cache and no drafts (issue 27).
fn shortened(name: String) -> String {
    use sha2::Digest;
    if name.len() <= LONGEST_READABLE_NAME {
        return name;
    }
    let digest = sha2::Sha256::digest(name.as_bytes());
    let hash: String = digest[..16]
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    // The encoded name is ASCII, so any byte index is a character boundary.
    format!("{}={hash}", &name[..48])
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CachedPairs {
    pub format: String,
    pub version: u32,
    pub account: CacheAccount,
    pub fetched_at: DateTime<Utc>,
    pub pairs: Vec<NamedScope>,
}

impl Store {
    /// The same store, with lists and pairs kept in `account`'s own directory.
    pub fn for_account(&self, account: &CacheAccount) -> Store {
        let lists_dir = self.dir.join("accounts").join(account.dir_name());
        Store {
            dir: self.dir.clone(),
            journal_dir: if account.keeps_shared_files() {
                self.dir.clone()
            } else {
                lists_dir.clone()
            },
            lists_dir,
        }
    }

    pub fn pairs_path(&self) -> PathBuf {
        self.lists_dir.join("pairs.json")
    }

    /// The pairs cached for `account`; `Ok(None)` when there are none (or they belong to
    /// another account, which is never shown); `Err` says why a file was set aside.
    pub fn load_pairs(&self, account: &CacheAccount) -> Result<Option<CachedPairs>, String> {
        let path = self.pairs_path();
        let bytes = match crate::private_fs::read_bytes(&path, crate::private_fs::cap::PAIRS_CACHE)
        {
            Ok(bytes) => bytes,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(error) => {
                return Err(format!(
                    "cannot read the cached pairs {}: {error}; waiting for PAPI instead",
                    path.display()
                ));
            }
        };
        match serde_json::from_slice::<CachedPairs>(&bytes) {
            Ok(cached) if cached.format == FORMAT && cached.version == VERSION => {
                // Another account's file is left alone (it is theirs), just not shown.
                Ok(Some(cached).filter(|cached| &cached.account == account))
            }
            Ok(cached) => {
                let aside = self.set_aside(&path, "foreign");
                Err(format!(
                    "the cached pairs were not used (format {} v{} is not ours); moved to {aside}",
                    cached.format, cached.version
                ))
            }
            Err(error) => {
                let aside = self.set_aside(&path, "corrupt");
                Err(format!(
                    "the cached pairs were not used (they do not parse: {error}); moved to {aside}"
                ))
            }
        }
    }

    pub fn save_pairs(
        &self,
        account: &CacheAccount,
        fetched_at: DateTime<Utc>,
        pairs: &[NamedScope],
    ) -> Result<(), String> {
        let cached = CachedPairs {
            format: FORMAT.to_string(),
            version: VERSION,
            account: account.clone(),
            fetched_at,
            pairs: pairs.to_vec(),
        };
        let bytes = serde_json::to_vec(&cached)
            .map_err(|error| format!("cannot encode the pairs cache: {error}"))?;
        self.write_atomically(&self.pairs_path(), &bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Scope;
    use chrono::TimeZone;

    fn account(section: &str, key: Option<&str>) -> CacheAccount {
        CacheAccount {
            section: section.to_string(),
            account_switch_key: key.map(str::to_string),
            backend: Api::Sps,
        }
    }

    fn pairs() -> Vec<NamedScope> {
        vec![NamedScope {
            scope: Scope::pair("C-1ABCDE", "12345"),
            name: Some("Web".to_string()),
        }]
    }

    #[test]
    fn pairs_load_back_for_their_account_only() {
        let dir = tempfile::tempdir().expect("tempdir");
        let base = Store::new(dir.path());
        let at = Utc
            .with_ymd_and_hms(2026, 11, 28, 12, 0, 0)
            .single()
            .expect("valid");
        let ours = account("default", Some("1-AB:C"));
        let store = base.for_account(&ours);
        assert_eq!(store.load_pairs(&ours), Ok(None));
        store.save_pairs(&ours, at, &pairs()).expect("saves");
        let loaded = store.load_pairs(&ours).expect("reads").expect("cached");
        assert_eq!((loaded.fetched_at, loaded.pairs), (at, pairs()));

        // Another key, another section: their own directories, nothing of ours.
        for other in [account("default", None), account("prod", Some("1-AB:C"))] {
            assert_eq!(base.for_account(&other).load_pairs(&other), Ok(None));
            assert_ne!(base.for_account(&other).pairs_path(), store.pairs_path());
        }
        // Our file copied under another account's name is still not shown to it.
        let other = account("prod", None);
        let foreign = base.for_account(&other);
        std::fs::create_dir_all(foreign.pairs_path().parent().expect("dir")).expect("dir");
        std::fs::copy(store.pairs_path(), foreign.pairs_path()).expect("copies");
        assert_eq!(foreign.load_pairs(&other), Ok(None));
    }

    #[test]
    fn account_directories_never_collide() {
        let names = [
            account("a_b", None),
            account("a.b", None),
            account("a", Some("b")),
            account("a~b", None),
            account("a", Some("")),
        ]
        .map(|account| account.dir_name());
        let unique: std::collections::HashSet<_> = names.iter().collect();
        assert_eq!(unique.len(), names.len(), "{names:?}");
        assert!(
            names
                .iter()
                .all(|name| !name.contains('/') && !name.contains('.'))
        );
        // A long name is cut to a readable beginning and a hash of the whole.
        let long = account(&"a".repeat(200), None).dir_name();
        assert!(
            long.len() < 100 && long.starts_with("aaaa") && long.contains('='),
            "{long}"
        );
        assert_ne!(long, account(&"a".repeat(201), None).dir_name());
        let short = "b".repeat(LONGEST_READABLE_NAME);
        assert_eq!(
            account(&short, None).dir_name(),
            short,
            "as earlier versions named it"
        );
    }

    #[test]
    fn a_corrupt_pairs_file_is_set_aside_with_a_message() {
        let dir = tempfile::tempdir().expect("tempdir");
        let ours = account("default", None);
        let store = Store::new(dir.path()).for_account(&ours);
        std::fs::create_dir_all(store.pairs_path().parent().expect("dir")).expect("dir");
        std::fs::write(store.pairs_path(), b"{not json").expect("writes");
        let message = store.load_pairs(&ours).expect_err("a warning");
        assert!(message.contains("do not parse"), "{message}");
        assert_eq!(store.load_pairs(&ours), Ok(None), "moved away");
    }
}
