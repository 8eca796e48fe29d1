//! The announced record: the identities of events already told, one per line, so a restart
//! (of the dashboard or of `watch`) never tells the same thing twice. The file is private
//! (0600: it names requests and domains) and bounded: past `KEEP` lines the oldest go.
//!
//! Failing to read or write it is reported and survived: notifications go on, from memory.

use std::collections::{HashSet, VecDeque};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Identities kept; events this old are long over.
const KEEP: usize = 50_000;

#[derive(Debug, Clone)]
pub struct Announced {
    path: PathBuf,
    order: VecDeque<String>,
    known: HashSet<String>,
    /// Lines in the file, to know when to compact it.
    lines_on_disk: usize,
}

impl Announced {
    /// Reads the record at `path` (a missing file is an empty record). The warning says why
    /// the file could not be used, if it could not.
    pub fn open(path: &Path) -> (Announced, Option<String>) {
        let mut announced = Announced {
            path: path.to_path_buf(),
            order: VecDeque::new(),
            known: HashSet::new(),
            lines_on_disk: 0,
        };
        let warning = match crate::private_fs::read_text(path, crate::private_fs::cap::ANNOUNCED) {
            Ok(text) => {
                for line in text.lines().map(str::trim).filter(|line| !line.is_empty()) {
                    announced.lines_on_disk += 1;
                    announced.remember(line.to_string());
                }
                None
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
            Err(error) => Some(format!(
                "cannot read the announced-notifications record {}: {error}; \
                 events may be announced again",
                path.display()
            )),
        };
        (announced, warning)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn contains(&self, id: &str) -> bool {
        self.known.contains(id)
    }

    pub fn len(&self) -> usize {
        self.known.len()
    }

    pub fn is_empty(&self) -> bool {
        self.known.is_empty()
    }

    /// Remembers `ids` and appends them to the file. Already known ones are skipped.
    pub fn record<'a>(&mut self, ids: impl IntoIterator<Item = &'a str>) -> Result<(), String> {
        let mut text = String::new();
        for id in ids {
            // One identity a line: a newline inside one would split it.
            let id = id.replace(['\n', '\r'], " ");
            if self.known.contains(&id) {
                continue;
            }
            text.push_str(&id);
            text.push('\n');
            self.remember(id);
            self.lines_on_disk += 1;
        }
        if text.is_empty() {
            return Ok(());
        }
        if self.lines_on_disk > KEEP + KEEP / 4 {
            return self.compact();
        }
        append_private(&self.path, text.as_bytes()).map_err(|error| self.write_error(&error))
    }

    fn remember(&mut self, id: String) {
        if self.known.insert(id.clone()) {
            self.order.push_back(id);
        }
        while self.order.len() > KEEP {
            if let Some(oldest) = self.order.pop_front() {
                self.known.remove(&oldest);
            }
        }
    }

    /// Rewrites the file with the identities kept in memory (through a temporary file).
    fn compact(&mut self) -> Result<(), String> {
        let mut text = String::new();
        for id in &self.order {
            text.push_str(id);
            text.push('\n');
        }
        let temporary = self
            .path
            .with_extension(format!("tmp-{}", std::process::id()));
        let _ = std::fs::remove_file(&temporary);
        append_private(&temporary, text.as_bytes())
            .and_then(|()| std::fs::rename(&temporary, &self.path))
            .map_err(|error| {
                let _ = std::fs::remove_file(&temporary);
                self.write_error(&error)
            })?;
        self.lines_on_disk = self.order.len();
        Ok(())
    }

    fn write_error(&self, error: &std::io::Error) -> String {
        format!(
            "cannot write the announced-notifications record {}: {error}; \
             events may be announced again after a restart",
            self.path.display()
        )
    }
}

/// Appends to `path`, creating it (and its directory) readable by the owner alone.
fn append_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(parent) = path
        .parent()
        .filter(|parent| !parent.as_os_str().is_empty())
    {
        std::fs::create_dir_all(parent)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(0o600);
        let mut file = options.open(path)?;
        // A file made by someone else keeps its mode on open: tighten it.
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        file.write_all(bytes)?;
        file.flush()
    }
    #[cfg(not(unix))]
    {
        let mut file = options.open(path)?;
        file.write_all(bytes)?;
        file.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_was_recorded_is_known_after_a_restart() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("state").join("announced");
        let (mut record, warning) = Announced::open(&path);
        assert!(warning.is_none() && record.is_empty());
        record.record(["a|1", "b|2", "a|1"]).expect("writes");
        assert_eq!(std::fs::read_to_string(&path).expect("file"), "a|1\nb|2\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let (again, warning) = Announced::open(&path);
        assert!(warning.is_none());
        assert!(again.contains("a|1") && again.contains("b|2") && !again.contains("c|3"));
        assert_eq!(again.len(), 2);
    }

    #[test]
    fn an_unwritable_record_is_an_error_value() {
        let dir = tempfile::tempdir().expect("tempdir");
        // A directory where the file should be: neither readable as text nor appendable.
        let path = dir.path().join("announced");
        std::fs::create_dir(&path).expect("dir");
        let (mut record, warning) = Announced::open(&path);
        assert!(warning.expect("a warning").contains("cannot read"));
        let error = record.record(["a|1"]).expect_err("cannot write");
        assert!(error.contains("announced again"), "{error}");
        assert!(record.contains("a|1"), "still remembered in memory");
    }

    #[test]
    fn the_file_is_compacted_past_its_bound() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("announced");
        let (mut record, _) = Announced::open(&path);
        let ids: Vec<String> = (0..KEEP + KEEP / 4 + 10)
            .map(|n| format!("id|{n}"))
            .collect();
        record
            .record(ids.iter().map(String::as_str))
            .expect("writes");
        let lines = std::fs::read_to_string(&path)
            .expect("file")
            .lines()
            .count();
        assert_eq!(lines, KEEP);
        assert!(!record.contains("id|0") && record.contains(&format!("id|{}", ids.len() - 1)));
    }
}
