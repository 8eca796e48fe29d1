//! The last list of each pair, so the next start shows data at once (marked with its age).
//! A file that does not parse, or that belongs to another pair or format, is set aside with a
//! warning and ignored.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Store;
use crate::model::{CertRequest, Scope};

const FORMAT: &str = "spsdash-list-cache";
const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CachedList {
    pub format: String,
    pub version: u32,
    pub pair: Scope,
    pub fetched_at: DateTime<Utc>,
    pub requests: Vec<CertRequest>,
}

/// The same shape, borrowed, for writing without copying the list.
#[derive(Serialize)]
struct CachedListRef<'a> {
    format: &'a str,
    version: u32,
    pair: &'a Scope,
    fetched_at: DateTime<Utc>,
    requests: &'a [CertRequest],
}

/// What reading a pair's cache gave.
#[derive(Debug, Clone, PartialEq)]
pub enum CacheRead {
    Missing,
    Loaded(CachedList),
    /// The file was not usable and was set aside; the message says where and why.
    SetAside(String),
}

impl Store {
    pub fn list_path(&self, pair: &Scope) -> PathBuf {
        let clean = |id: &str| -> String {
            id.chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '-' {
                        c
                    } else {
                        '_'
                    }
                })
                .collect()
        };
        // A contract alone (CPS) gets a name of its own, apart from every pair's.
        let name = match pair.group() {
            Some(group) => format!("list-{}-{}.json", clean(&pair.contract_id), clean(group)),
            None => format!("contract-{}.json", clean(&pair.contract_id)),
        };
        self.lists_dir.join(name)
    }

    pub fn load_list(&self, pair: &Scope) -> CacheRead {
        let path = self.list_path(pair);
        let bytes = match crate::private_fs::read_bytes(&path, crate::private_fs::cap::LIST_CACHE) {
            Ok(bytes) => bytes,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return CacheRead::Missing;
            }
            Err(error) => {
                return CacheRead::SetAside(format!(
                    "cannot read the cached list {}: {error}; starting without it",
                    path.display()
                ));
            }
        };
        let (why, detail) = match serde_json::from_slice::<CachedList>(&bytes) {
            Ok(list) if list.format == FORMAT && list.version == VERSION && &list.pair == pair => {
                return CacheRead::Loaded(list);
            }
            Ok(list) if &list.pair != pair => {
                ("foreign", format!("it holds {} instead", list.pair))
            }
            Ok(list) => (
                "foreign",
                format!("format {} v{} is not ours", list.format, list.version),
            ),
            Err(error) => ("corrupt", format!("it does not parse: {error}")),
        };
        let aside = self.set_aside(&path, why);
        CacheRead::SetAside(format!(
            "the cached list for {pair} was not used ({detail}); moved to {aside}"
        ))
    }

    pub fn save_list(
        &self,
        pair: &Scope,
        fetched_at: DateTime<Utc>,
        requests: &[CertRequest],
    ) -> Result<(), String> {
        let list = CachedListRef {
            format: FORMAT,
            version: VERSION,
            pair,
            fetched_at,
            requests,
        };
        self.write_atomically_with(&self.list_path(pair), |file| {
            serde_json::to_writer(file, &list).map_err(std::io::Error::from)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn request() -> CertRequest {
        crate::sps::neutral::from_json(
            serde_json::from_str(
                r#"{"spsId":5,"status":"Awaiting User","lastStatusChange":"2026-11-28T10:00:00Z",
                "parameters":[{"name":"cnameHostname","value":"a.example.com"}],
                "dvStatus":[{"domain":"a.example.com","status":"Awaiting User",
                             "redirectFullPath":"http://dcv.akamai.com/x"}]}"#,
            )
            .expect("json"),
        )
        .expect("fixture parses")
    }

    #[test]
    fn a_saved_list_loads_back_whole() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::new(dir.path().join("nested"));
        let pair = Scope::pair("C-1ABCDE", "12345");
        let at = Utc
            .with_ymd_and_hms(2026, 11, 28, 12, 0, 0)
            .single()
            .expect("valid");
        assert_eq!(store.load_list(&pair), CacheRead::Missing);
        store.save_list(&pair, at, &[request()]).expect("saves");
        match store.load_list(&pair) {
            CacheRead::Loaded(list) => {
                assert_eq!(list.fetched_at, at);
                assert_eq!(list.requests, vec![request()]);
            }
            other => panic!("expected the list back, got {other:?}"),
        }
    }

    #[test]
    fn corrupt_and_foreign_files_are_set_aside_with_a_warning() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::new(dir.path());
        let pair = Scope::pair("C-1", "1");
        std::fs::write(store.list_path(&pair), b"{not json").expect("writes");
        match store.load_list(&pair) {
            CacheRead::SetAside(message) => {
                assert!(message.contains("does not parse"), "{message}")
            }
            other => panic!("expected a warning, got {other:?}"),
        }
        assert_eq!(store.load_list(&pair), CacheRead::Missing, "moved away");
        let aside = std::fs::read_dir(dir.path())
            .expect("lists")
            .filter_map(Result::ok)
            .any(|entry| entry.file_name().to_string_lossy().contains(".corrupt-"));
        assert!(aside, "the corrupt file is kept for inspection");

        let other = Scope::pair("C-2", "2");
        let at = Utc
            .with_ymd_and_hms(2026, 11, 28, 12, 0, 0)
            .single()
            .expect("valid");
        store.save_list(&other, at, &[]).expect("saves");
        std::fs::rename(store.list_path(&other), store.list_path(&pair)).expect("renames");
        match store.load_list(&pair) {
            CacheRead::SetAside(message) => assert!(message.contains("instead"), "{message}"),
            other => panic!("expected a warning, got {other:?}"),
        }
    }
}
