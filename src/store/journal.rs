//! The transitions journal: one JSON object per line, appended as changes are seen, read back
//! at start to fill each request's History. Lines that do not parse are skipped and counted.

use std::io::Write;
use std::path::PathBuf;

use super::Store;
use crate::sps::history::Transition;

/// Past this size the journal is rotated to `transitions.1.jsonl` (one generation kept).
const ROTATE_BYTES: u64 = 8 * 1024 * 1024;

/// How many of the most recent transitions are read back at start.
pub const LOAD_LIMIT: usize = 20_000;

impl Store {
    pub fn journal_path(&self) -> PathBuf {
        self.dir.join("transitions.jsonl")
    }

    pub fn append_journal(&self, transitions: &[Transition]) -> Result<(), String> {
        if transitions.is_empty() {
            return Ok(());
        }
        self.ensure_dir()?;
        let path = self.journal_path();
        if std::fs::metadata(&path).is_ok_and(|meta| meta.len() > ROTATE_BYTES) {
            let _ = std::fs::rename(&path, self.dir.join("transitions.1.jsonl"));
        }
        let mut text = String::new();
        for transition in transitions {
            let line = serde_json::to_string(transition)
                .map_err(|error| format!("cannot encode a transition: {error}"))?;
            text.push_str(&line);
            text.push('\n');
        }
        crate::private_fs::append(&path)
            .and_then(|mut file| file.write_all(text.as_bytes()))
            .map_err(|error| format!("cannot append to {}: {error}", path.display()))
    }

    /// The most recent transitions (oldest first), and a warning if lines were skipped.
    pub fn load_journal(&self) -> (Vec<Transition>, Option<String>) {
        let path = self.journal_path();
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return (Vec::new(), None);
            }
            Err(error) => {
                return (
                    Vec::new(),
                    Some(format!(
                        "cannot read the history journal {}: {error}",
                        path.display()
                    )),
                );
            }
        };
        let mut skipped = 0usize;
        let mut transitions: Vec<Transition> = text
            .lines()
            .filter(|line| !line.trim().is_empty())
            .filter_map(|line| match serde_json::from_str(line) {
                Ok(transition) => Some(transition),
                Err(_) => {
                    skipped += 1;
                    None
                }
            })
            .collect();
        if transitions.len() > LOAD_LIMIT {
            transitions.drain(..transitions.len() - LOAD_LIMIT);
        }
        let warning = (skipped > 0).then(|| {
            format!(
                "{skipped} unreadable line(s) in {} were skipped",
                path.display()
            )
        });
        (transitions, warning)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sps::model::GroupContract;
    use chrono::{TimeZone, Utc};

    #[test]
    fn appended_transitions_read_back_and_bad_lines_are_reported() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::new(dir.path());
        let transition = Transition {
            at: Utc
                .with_ymd_and_hms(2026, 11, 28, 12, 0, 0)
                .single()
                .expect("valid"),
            pair: GroupContract::new("C-1", "1"),
            sps_id: 9,
            domain: Some("www.example.com".into()),
            from: Some("Pending".into()),
            to: "Valid".into(),
        };
        store
            .append_journal(std::slice::from_ref(&transition))
            .expect("appends");
        std::fs::OpenOptions::new()
            .append(true)
            .open(store.journal_path())
            .and_then(|mut file| file.write_all(b"garbage\n"))
            .expect("appends garbage");
        store
            .append_journal(std::slice::from_ref(&transition))
            .expect("appends");
        let (loaded, warning) = store.load_journal();
        assert_eq!(loaded, vec![transition.clone(), transition]);
        assert!(warning.expect("a warning").contains("1 unreadable"));
    }
}
