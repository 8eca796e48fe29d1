//! Wizard drafts, saved on every step and offered back next time (issue 5).
//!
//! One draft at a time, as JSON in the data dir (`SPSDASH_DATA_DIR`, else the platform data
//! dir): what the operator typed is worth more than a second slot's complexity. Writes go to a
//! temporary file renamed into place, so a crash mid-write never leaves half a draft.

use std::io;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde::de::DeserializeOwned;

const DRAFT_FILE: &str = "wizard-draft.json";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftStore {
    path: PathBuf,
}

impl DraftStore {
    pub fn in_dir(dir: &Path) -> Self {
        DraftStore {
            path: dir.join(DRAFT_FILE),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn save<T: Serialize>(&self, draft: &T) -> io::Result<()> {
        if let Some(dir) = self.path.parent() {
            crate::private_fs::create_dir_all(dir)?;
        }
        let text = serde_json::to_string_pretty(draft).map_err(io::Error::other)?;
        let temporary = self.path.with_extension("json.tmp");
        crate::private_fs::write(&temporary, text.as_bytes())?;
        std::fs::rename(&temporary, &self.path)
    }

    /// The saved draft. No file is `Ok(None)`; a file that no longer reads (an older format)
    /// is an error naming the file, so the caller can say so and move on.
    pub fn load<T: DeserializeOwned>(&self) -> Result<Option<T>, String> {
        let text = match crate::private_fs::read_text(&self.path, crate::private_fs::cap::DRAFT) {
            Ok(text) => text,
            Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(error) => return Err(format!("{}: {error}", self.path.display())),
        };
        serde_json::from_str(&text).map(Some).map_err(|error| {
            format!(
                "{}: unreadable draft ({error}); it will be replaced",
                self.path.display()
            )
        })
    }

    /// Forgets the draft (after a successful submit, or when the operator discards it).
    pub fn discard(&self) -> io::Result<()> {
        match std::fs::remove_file(&self.path) {
            Err(error) if error.kind() != io::ErrorKind::NotFound => Err(error),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Serialize, serde::Deserialize)]
    struct Draft {
        step: String,
        names: Vec<String>,
    }

    #[test]
    fn saves_loads_replaces_and_discards() {
        let dir = tempfile::tempdir().unwrap();
        let store = DraftStore::in_dir(&dir.path().join("nested"));
        assert_eq!(store.load::<Draft>().unwrap(), None);
        let draft = Draft {
            step: "names".into(),
            names: vec!["a.example.com".into()],
        };
        store.save(&draft).unwrap();
        assert_eq!(store.load::<Draft>().unwrap(), Some(draft));
        let second = Draft {
            step: "review".into(),
            names: vec![],
        };
        store.save(&second).unwrap();
        assert_eq!(store.load::<Draft>().unwrap(), Some(second));
        store.discard().unwrap();
        store.discard().unwrap();
        assert_eq!(store.load::<Draft>().unwrap(), None);
    }

    #[test]
    fn an_unreadable_draft_is_an_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let store = DraftStore::in_dir(dir.path());
        std::fs::write(store.path(), "{not json").unwrap();
        let error = store.load::<Draft>().unwrap_err();
        assert!(error.contains("wizard-draft.json"), "{error}");
    }
}
