//! The transitions journal: one JSON object per line, appended as changes are seen, read back
//! at start to fill each request's History. Lines that do not parse are skipped and counted.
//!
//! Two dashboards on one HOME see the same change a few seconds apart. Appends take an
//! exclusive lock on the file and leave out a transition the journal already has (same
//! request, domain, from and to within [`SAME_CHANGE_WINDOW`]); reading back drops such
//! repeats too, for journals written before.

use std::collections::HashMap;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, Utc};

use super::{Store, create_dir};
use crate::model::transition::Transition;

/// Past this size the journal is rotated to `transitions.1.jsonl` (one generation kept).
const ROTATE_BYTES: u64 = 8 * 1024 * 1024;

/// How many of the most recent transitions are read back at start.
pub const LOAD_LIMIT: usize = 20_000;

/// The same change seen by two dashboards lands within this of itself.
pub const SAME_CHANGE_WINDOW: Duration = Duration::minutes(10);

/// How much of the journal's end an append reads to find what is already there.
const RECENT_BYTES: u64 = 256 * 1024;

/// What makes two transitions the same change (the time is compared separately).
type ChangeKey<'a> = (
    &'a crate::model::Scope,
    u64,
    Option<&'a str>,
    Option<&'a str>,
    &'a str,
);

fn change_key(transition: &Transition) -> ChangeKey<'_> {
    (
        &transition.pair,
        transition.id,
        transition.domain.as_deref(),
        transition.from.as_deref(),
        &transition.to,
    )
}

/// Drops every transition that repeats an earlier one within [`SAME_CHANGE_WINDOW`].
fn without_repeats(transitions: Vec<Transition>) -> Vec<Transition> {
    let mut last_seen: HashMap<String, DateTime<Utc>> = HashMap::new();
    let mut kept = Vec::with_capacity(transitions.len());
    for transition in transitions {
        let key = format!("{:?}", change_key(&transition));
        let repeat = last_seen
            .get(&key)
            .is_some_and(|seen| (transition.at - *seen).abs() <= SAME_CHANGE_WINDOW);
        last_seen.insert(key, transition.at);
        if !repeat {
            kept.push(transition);
        }
    }
    kept
}

/// The transitions in the last [`RECENT_BYTES`] of the journal (a torn first line skipped).
fn recent_transitions(path: &Path) -> Vec<Transition> {
    // Only the tail is read, so a long journal is no reason to refuse it here.
    let Ok(mut file) = crate::private_fs::open_regular(path, u64::MAX) else {
        return Vec::new();
    };
    let length = file.metadata().map(|meta| meta.len()).unwrap_or(0);
    let start = length.saturating_sub(RECENT_BYTES);
    let mut text = String::new();
    if file.seek(SeekFrom::Start(start)).is_err() || file.read_to_string(&mut text).is_err() {
        return Vec::new();
    }
    let mut lines = text.lines();
    if start > 0 {
        lines.next();
    }
    lines
        .filter_map(|line| serde_json::from_str(line).ok())
        .collect()
}

impl Store {
    pub fn journal_path(&self) -> PathBuf {
        self.journal_dir.join("transitions.jsonl")
    }

    pub fn append_journal(&self, transitions: &[Transition]) -> Result<(), String> {
        if transitions.is_empty() {
            return Ok(());
        }
        create_dir(&self.journal_dir)?;
        let path = self.journal_path();
        if std::fs::metadata(&path).is_ok_and(|meta| meta.len() > ROTATE_BYTES) {
            let _ = std::fs::rename(&path, self.journal_dir.join("transitions.1.jsonl"));
        }
        let failed =
            |error: std::io::Error| format!("cannot append to {}: {error}", path.display());
        let mut file = crate::private_fs::append(&path).map_err(failed)?;
        // Held until `file` is dropped: another dashboard's append waits, then sees ours.
        file.lock().map_err(failed)?;
        let recent = recent_transitions(&path);
        let mut text = String::new();
        for transition in transitions {
            let known = recent.iter().any(|seen| {
                change_key(seen) == change_key(transition)
                    && (seen.at - transition.at).abs() <= SAME_CHANGE_WINDOW
            });
            if known {
                continue;
            }
            let line = serde_json::to_string(transition)
                .map_err(|error| format!("cannot encode a transition: {error}"))?;
            text.push_str(&line);
            text.push('\n');
        }
        file.write_all(text.as_bytes()).map_err(failed)
    }

    /// The most recent transitions (oldest first), and a warning if lines were skipped.
    pub fn load_journal(&self) -> (Vec<Transition>, Option<String>) {
        let path = self.journal_path();
        let text =
            match crate::private_fs::read_text(&path, crate::private_fs::cap::TRANSITION_JOURNAL) {
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
        let transitions: Vec<Transition> = text
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
        let mut transitions = without_repeats(transitions);
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
    use crate::model::Scope;
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
            pair: Scope::pair("C-1", "1").into(),
            id: 9,
            domain: Some("www.example.com".into()),
            from: Some("Pending".into()),
            to: "Valid".into(),
            to_state: None,
        };
        store
            .append_journal(std::slice::from_ref(&transition))
            .expect("appends");
        std::fs::OpenOptions::new()
            .append(true)
            .open(store.journal_path())
            .and_then(|mut file| file.write_all(b"garbage\n"))
            .expect("appends garbage");
        let later = Transition {
            at: transition.at + Duration::hours(1),
            ..transition.clone()
        };
        store
            .append_journal(std::slice::from_ref(&later))
            .expect("appends");
        let (loaded, warning) = store.load_journal();
        assert_eq!(
            loaded,
            vec![transition, later],
            "an hour apart: two changes"
        );
        assert!(warning.expect("a warning").contains("1 unreadable"));
    }

    /// Issue 13: two dashboards on one HOME journal the same change once.
    #[test]
    fn two_dashboards_journal_the_same_change_once() {
        let dir = tempfile::tempdir().expect("tempdir");
        let first = Store::new(dir.path());
        let second = Store::new(dir.path());
        let at = Utc
            .with_ymd_and_hms(2026, 11, 28, 12, 0, 0)
            .single()
            .expect("valid");
        let seen = |seconds: i64| Transition {
            at: at + Duration::seconds(seconds),
            pair: Scope::pair("C-1", "1").into(),
            id: 9,
            domain: None,
            from: Some("Awaiting User".into()),
            to: "SPS Request Complete".into(),
            to_state: None,
        };
        first.append_journal(&[seen(0)]).expect("appends");
        second.append_journal(&[seen(7)]).expect("appends");
        let text = std::fs::read_to_string(first.journal_path()).expect("reads");
        assert_eq!(text.lines().count(), 1, "one line on disk: {text}");
        // A journal written twice before this fix reads back once.
        std::fs::OpenOptions::new()
            .append(true)
            .open(first.journal_path())
            .and_then(|mut file| {
                file.write_all(
                    format!("{}\n", serde_json::to_string(&seen(12)).expect("encodes")).as_bytes(),
                )
            })
            .expect("appends the old duplicate");
        let (loaded, _) = first.load_journal();
        assert_eq!(loaded, vec![seen(0)]);
    }
}
