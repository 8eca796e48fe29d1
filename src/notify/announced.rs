//! The announced record: the identities of events already told, one per line, so a restart
//! (of the dashboard or of `watch`) never tells the same thing twice. The file is private
//! (0600: it names requests and domains) and bounded: past `KEEP` lines the oldest go.
//!
//! Several processes may tell one account's events (two dashboards and `watch`): before
//! sending, a notifier *claims* an event in the record (a `?claim` line naming it and the
//! claimant), and only once a sink delivered it is the event *recorded* (its plain identity
//! line). Both happen under an advisory lock on a sibling `.lock` file, after reading what the
//! others appended, so of several notifiers that saw one event exactly one tells it. A claim
//! left by a process that died is ignored after `CLAIM_FRESH`.
//!
//! Failing to read, lock or write it is reported and survived: notifications go on, from
//! memory.

use std::collections::{HashMap, HashSet, VecDeque};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

/// Identities kept; events this old are long over.
const KEEP: usize = 50_000;

/// Marks a claim line: `?claim <claimant> <unix seconds> <identity>`. No event identity
/// starts with it (they start with the event's kind).
const CLAIM: &str = "?claim ";

/// How long another notifier's claim holds: it re-claims each time it retries, so an older
/// claim belongs to a process that is gone.
const CLAIM_FRESH_SECS: u64 = 600;

#[derive(Debug, Clone)]
pub struct Announced {
    path: PathBuf,
    /// Who this notifier is in claim lines (unique per notifier, even within one process).
    claimant: String,
    order: VecDeque<String>,
    known: HashSet<String>,
    /// Open claims seen in the file: identity → (claimant, when).
    claims: HashMap<String, (String, u64)>,
    /// How far the file has been read, and which file that was (a compaction replaces it).
    read_to: u64,
    file_key: Option<(u64, u64)>,
    /// Lines in the file, to know when to compact it.
    lines_on_disk: usize,
}

impl Announced {
    /// Reads the record at `path` (a missing file is an empty record). The warning says why
    /// the file could not be used, if it could not.
    pub fn open(path: &Path) -> (Announced, Option<String>) {
        let mut announced = Announced {
            path: path.to_path_buf(),
            claimant: uuid::Uuid::new_v4().simple().to_string(),
            order: VecDeque::new(),
            known: HashSet::new(),
            claims: HashMap::new(),
            read_to: 0,
            file_key: None,
            lines_on_disk: 0,
        };
        let warning = announced.refresh().err().map(|error| {
            format!(
                "cannot read the announced-notifications record {}: {error}; \
                 events may be announced again",
                path.display()
            )
        });
        (announced, warning)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether `id` was told (as far as this notifier has read the record).
    pub fn contains(&self, id: &str) -> bool {
        self.known.contains(id)
    }

    pub fn len(&self) -> usize {
        self.known.len()
    }

    pub fn is_empty(&self) -> bool {
        self.known.is_empty()
    }

    /// Claims each event (given by its identities) that no one told or is telling: none of
    /// its identities is recorded or freshly claimed by another notifier. Returns, per
    /// event, whether this notifier may tell it; a claim of its own is renewed. The error (a
    /// warning) says the record could not be used; the answer is then from memory.
    pub fn claim(&mut self, events: &[&[String]]) -> (Vec<bool>, Option<String>) {
        let now = unix_now();
        self.locked(|record| {
            let mut lines = String::new();
            let mut answers = Vec::with_capacity(events.len());
            for ids in events {
                let ids: Vec<String> = ids.iter().map(|id| one_line(id)).collect();
                let taken = ids.iter().any(|id| {
                    record.known.contains(id)
                        || record.claims.get(id).is_some_and(|(claimant, at)| {
                            *claimant != record.claimant
                                && now.saturating_sub(*at) < CLAIM_FRESH_SECS
                        })
                });
                if !taken {
                    for id in ids {
                        lines.push_str(&format!("{CLAIM}{} {now} {id}\n", record.claimant));
                        record.lines_on_disk += 1;
                        record.claims.insert(id, (record.claimant.clone(), now));
                    }
                }
                answers.push(!taken);
            }
            let written = record.append(&lines);
            (answers, written.err())
        })
    }

    /// Remembers `ids` as told and appends them to the file. Already known ones are skipped.
    pub fn record<'a>(&mut self, ids: impl IntoIterator<Item = &'a str>) -> Result<(), String> {
        let ids: Vec<String> = ids.into_iter().map(one_line).collect();
        let (written, lock) = self.locked(|record| {
            let mut text = String::new();
            for id in ids {
                if record.known.contains(&id) {
                    continue;
                }
                text.push_str(&id);
                text.push('\n');
                record.claims.remove(&id);
                record.remember(id);
                record.lines_on_disk += 1;
            }
            (record.append(&text), None)
        });
        written.and(lock.map_or(Ok(()), Err))
    }

    /// Runs `work` holding the record's lock, after reading what others appended. When the
    /// lock or the file cannot be had, `work` still runs (from memory) and the reason comes
    /// back as a warning.
    fn locked<T>(
        &mut self,
        work: impl FnOnce(&mut Announced) -> (T, Option<String>),
    ) -> (T, Option<String>) {
        let lock = self.lock();
        let refreshed = match &lock {
            Ok(_) => self.refresh().map_err(|error| self.read_error(&error)),
            Err(error) => Err(error.clone()),
        };
        let (value, warning) = work(self);
        // The lock is released when its file is closed, after the work is written.
        drop(lock);
        (value, warning.or(refreshed.err()))
    }

    fn lock(&self) -> Result<File, String> {
        let mut lock_path = self.path.clone().into_os_string();
        lock_path.push(".lock");
        let file =
            open_private(Path::new(&lock_path), false).map_err(|error| self.lock_error(&error))?;
        file.lock().map_err(|error| self.lock_error(&error))?;
        Ok(file)
    }

    /// Reads what was appended since the last read (all of it when the file was replaced).
    fn refresh(&mut self) -> std::io::Result<()> {
        // Read as every file read back is (a regular file, bounded): compaction keeps it
        // far below the cap, so a longer one is not ours.
        let mut file =
            match crate::private_fs::open_regular(&self.path, crate::private_fs::cap::ANNOUNCED) {
                Ok(file) => file,
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                    self.read_to = 0;
                    self.file_key = None;
                    return Ok(());
                }
                Err(error) => return Err(error),
            };
        let metadata = file.metadata()?;
        let key = file_key(&metadata);
        if Some(key) != self.file_key || metadata.len() < self.read_to {
            self.read_to = 0;
            self.lines_on_disk = 0;
            self.claims.clear();
            self.file_key = Some(key);
        }
        file.seek(SeekFrom::Start(self.read_to))?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)?;
        // Only whole lines: a writer that died mid-line left a fragment, read with the next.
        let Some(end) = bytes.iter().rposition(|byte| *byte == b'\n') else {
            return Ok(());
        };
        self.read_to += end as u64 + 1;
        let text = String::from_utf8_lossy(&bytes[..end]);
        for line in text.lines().map(str::trim).filter(|line| !line.is_empty()) {
            self.lines_on_disk += 1;
            match line.strip_prefix(CLAIM) {
                Some(claim) => {
                    let mut parts = claim.splitn(3, ' ');
                    if let (Some(claimant), Some(at), Some(id)) =
                        (parts.next(), parts.next(), parts.next())
                        && !self.known.contains(id)
                    {
                        let at = at.parse().unwrap_or(0);
                        self.claims
                            .insert(id.to_string(), (claimant.to_string(), at));
                    }
                }
                None => {
                    self.claims.remove(line);
                    self.remember(line.to_string());
                }
            }
        }
        Ok(())
    }

    fn append(&mut self, text: &str) -> Result<(), String> {
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

    /// Rewrites the file with the identities kept in memory and the claims still fresh
    /// (through a temporary file, under the lock).
    fn compact(&mut self) -> Result<(), String> {
        let now = unix_now();
        let mut text = String::new();
        for id in &self.order {
            text.push_str(id);
            text.push('\n');
        }
        self.claims
            .retain(|_, (_, at)| now.saturating_sub(*at) < CLAIM_FRESH_SECS);
        for (id, (claimant, at)) in &self.claims {
            text.push_str(&format!("{CLAIM}{claimant} {at} {id}\n"));
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
        // Read back on the next refresh as a new file.
        self.file_key = None;
        self.lines_on_disk = self.order.len() + self.claims.len();
        Ok(())
    }

    fn read_error(&self, error: &std::io::Error) -> String {
        format!(
            "cannot read the announced-notifications record {}: {error}; \
             events may be announced again",
            self.path.display()
        )
    }

    fn lock_error(&self, error: &std::io::Error) -> String {
        format!(
            "cannot lock the announced-notifications record {}: {error}; \
             another dashboard or watch on this account may announce events again",
            self.path.display()
        )
    }

    fn write_error(&self, error: &std::io::Error) -> String {
        format!(
            "cannot write the announced-notifications record {}: {error}; \
             events may be announced again after a restart",
            self.path.display()
        )
    }
}

/// One identity a line: a newline inside one would split it.
fn one_line(id: &str) -> String {
    id.replace(['\n', '\r'], " ")
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs())
}

#[cfg(unix)]
fn file_key(metadata: &std::fs::Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (metadata.dev(), metadata.ino())
}

#[cfg(not(unix))]
fn file_key(metadata: &std::fs::Metadata) -> (u64, u64) {
    let modified = metadata
        .created()
        .ok()
        .and_then(|at| at.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |since| since.as_nanos() as u64);
    (modified, 0)
}

/// Opens `path` for writing (appending when `append`), creating it (and its directory)
/// readable by the owner alone.
fn open_private(path: &Path, append: bool) -> std::io::Result<File> {
    if let Some(parent) = path
        .parent()
        .filter(|parent| !parent.as_os_str().is_empty())
    {
        std::fs::create_dir_all(parent)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.create(true);
    if append {
        options.append(true);
    } else {
        options.write(true);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(0o600);
        let file = options.open(path)?;
        // A file made by someone else keeps its mode on open: tighten it.
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        Ok(file)
    }
    #[cfg(not(unix))]
    {
        options.open(path)
    }
}

/// Appends to `path` in one write (the lock keeps writers apart), creating it private.
fn append_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = open_private(path, true)?;
    file.write_all(bytes)?;
    file.flush()
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

    #[test]
    fn a_claim_keeps_an_event_to_its_claimant_until_it_goes_stale() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("announced");
        let (mut first, _) = Announced::open(&path);
        let (mut second, _) = Announced::open(&path);
        let event = vec!["a|1".to_string()];
        let (mine, warning) = first.claim(&[&event]);
        assert_eq!((mine, warning), (vec![true], None));
        assert_eq!(
            second.claim(&[&event]).0,
            vec![false],
            "claimed by the first"
        );
        assert_eq!(first.claim(&[&event]).0, vec![true], "its own claim renews");
        first.record(["a|1"]).expect("records");
        assert_eq!(second.claim(&[&event]).0, vec![false], "told by the first");
        assert!(second.contains("a|1"), "read from the file under the lock");

        // A claim from a process that died long ago does not hold.
        let stale = format!("{CLAIM}gone 1 b|2\n");
        append_private(&path, stale.as_bytes()).expect("append");
        let other = vec!["b|2".to_string()];
        assert_eq!(second.claim(&[&other]).0, vec![true]);
        assert_eq!(first.claim(&[&other]).0, vec![false]);
    }
}
