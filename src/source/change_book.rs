//! What the dashboard knows of each enrollment's pending change, and which change to read next.
//! A contract's list is one call and names each enrollment's pending changes but not where
//! they stand; reading a change (and its challenges) is a call per enrollment. So a change is
//! read again only when it is worth a call: the enrollment's pending change moved (a new one,
//! or none read yet), the change awaits input (the operator may have served a challenge), it
//! has run unread for a while, or the open detail shows it; the open detail's first.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::cps::{ChangeRead, Enrollment, ListedEnrollment};
use crate::model::Scope;

/// How stale a change that waits for input may get before it is read again.
pub const AWAITING_REREAD: Duration = Duration::from_secs(30);
/// How stale a running change may get (it moves on its own, slowly: validation, deployment).
pub const RUNNING_REREAD: Duration = Duration::from_secs(300);

/// One enrollment as its contract's last list gave it (what `ListedEnrollment` keeps), and
/// its change as last read. Small where it is in the map: 10,000 of them, a third of the map
/// spare.
#[derive(Debug, Clone)]
struct Entry {
    /// Shared by every entry of the contract.
    scope: Arc<Scope>,
    enrollment: Box<ListedEnrollment>,
    /// The last read of a change of this enrollment, and when.
    read: Option<Box<(ChangeRead, Instant)>>,
}

impl Entry {
    /// The first pending change's location, as listed.
    fn location(&self) -> Option<&str> {
        self.enrollment.change_location()
    }

    /// The read describes the change pending now.
    fn current_read(&self) -> Option<&(ChangeRead, Instant)> {
        let location = self.location()?;
        self.read
            .as_deref()
            .filter(|(read, _)| same_change(location, &read.location))
    }

    /// When this change should be read again; `None` when there is nothing to read.
    fn due_at(&self) -> Option<Due> {
        self.location()?;
        let Some((read, at)) = self.current_read() else {
            return Some(Due::Moved);
        };
        let awaiting = read
            .status
            .status_info
            .as_ref()
            .and_then(|info| info.state.as_deref())
            .is_some_and(|state| state.eq_ignore_ascii_case("awaiting-input"));
        let after = if awaiting {
            AWAITING_REREAD
        } else {
            RUNNING_REREAD
        };
        Some(Due::Stale(*at + after))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Due {
    /// Never read, or another change than the one read: first.
    Moved,
    Stale(Instant),
}

/// A change to read next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeTarget {
    pub scope: Scope,
    pub enrollment_id: u64,
    pub location: String,
}

#[derive(Debug, Default)]
pub struct ChangeBook {
    entries: HashMap<u64, Entry>,
    /// The enrollment the open detail shows: its change is read first.
    focus: Option<u64>,
}

impl ChangeBook {
    /// A contract's list arrived: its enrollments as listed (entries of this contract it no
    /// longer names go).
    pub fn listed(&mut self, scope: &Scope, enrollments: &[Enrollment]) {
        let named: HashSet<u64> = enrollments
            .iter()
            .filter_map(Enrollment::enrollment_id)
            .collect();
        self.entries
            .retain(|id, entry| *entry.scope != *scope || named.contains(id));
        let scope = Arc::new(scope.clone());
        for listed in enrollments.iter().filter_map(ListedEnrollment::of) {
            let id = listed.id();
            let listed = Box::new(listed);
            match self.entries.get_mut(&id) {
                Some(entry) => {
                    entry.scope = Arc::clone(&scope);
                    entry.enrollment = listed;
                }
                None => {
                    self.entries.insert(
                        id,
                        Entry {
                            scope: Arc::clone(&scope),
                            enrollment: listed,
                            read: None,
                        },
                    );
                }
            }
        }
    }

    /// What was read of an enrollment's change (`None` when no change is pending now).
    pub fn change_of(&self, enrollment_id: u64) -> Option<&ChangeRead> {
        self.entries
            .get(&enrollment_id)?
            .current_read()
            .map(|(read, _)| read)
            // A failed read's placeholder says nothing of the change.
            .filter(|read| read.status.status_info.is_some())
    }

    /// The enrollment as its contract's last list gave it (what the book keeps of it).
    pub fn enrollment(&self, enrollment_id: u64) -> Option<(&Scope, Enrollment)> {
        let entry = self.entries.get(&enrollment_id)?;
        Some((&entry.scope, entry.enrollment.to_enrollment()))
    }

    /// A change of `enrollment_id` was read now (by the reader, or the open detail).
    pub fn record(&mut self, enrollment_id: u64, read: ChangeRead, now: Instant) {
        if let Some(entry) = self.entries.get_mut(&enrollment_id) {
            entry.read = Some(Box::new((read, now)));
        }
    }

    /// A read that failed counts as read for pacing: the change is tried again when next due.
    pub fn failed(&mut self, enrollment_id: u64, location: &str, now: Instant) {
        if let Some(entry) = self.entries.get_mut(&enrollment_id)
            && entry.current_read().is_none()
        {
            let placeholder = ChangeRead {
                location: location.to_string(),
                ..ChangeRead::default()
            };
            entry.read = Some(Box::new((placeholder, now)));
        }
    }

    /// The open detail shows this enrollment (or none).
    pub fn focus(&mut self, enrollment_id: Option<u64>) {
        self.focus = enrollment_id;
    }

    /// The change to read next at `now`, if any is due: the open detail's, then changes
    /// never read, then the stalest.
    pub fn next_due(&self, now: Instant) -> Option<ChangeTarget> {
        let target = |(id, entry): (&u64, &Entry)| ChangeTarget {
            scope: Scope::clone(&entry.scope),
            enrollment_id: *id,
            location: entry.location().unwrap_or_default().to_string(),
        };
        let due_now = |entry: &Entry| match entry.due_at() {
            Some(Due::Moved) => true,
            Some(Due::Stale(at)) => at <= now,
            None => false,
        };
        if let Some(focus) = self.focus
            && let Some(entry) = self.entries.get(&focus)
            && due_now(entry)
        {
            return Some(target((&focus, entry)));
        }
        self.entries
            .iter()
            .filter(|(_, entry)| due_now(entry))
            .min_by_key(|(id, entry)| (entry.due_at(), **id))
            .map(target)
    }

    /// How many enrollments have a pending change.
    pub fn pending(&self) -> usize {
        self.entries
            .values()
            .filter(|entry| entry.location().is_some())
            .count()
    }
}

/// Two spellings of one change path (`/cps-api/…` and `/cps/v2/…`).
fn same_change(a: &str, b: &str) -> bool {
    let tail = |path: &str| {
        path.rsplit("/enrollments/")
            .next()
            .unwrap_or(path)
            .to_string()
    };
    tail(a) == tail(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cps::ChangeStatus;

    fn enrollment(id: u64, change: Option<u64>) -> Enrollment {
        let pending: Vec<serde_json::Value> = change
            .map(|change| {
                serde_json::json!({
                    "location": format!("/cps-api/enrollments/{id}/changes/{change}"),
                    "changeType": "new-certificate"
                })
            })
            .into_iter()
            .collect();
        serde_json::from_value(serde_json::json!({"id": id, "pendingChanges": pending}))
            .expect("an enrollment")
    }

    fn read(id: u64, change: u64, state: &str) -> ChangeRead {
        ChangeRead {
            location: format!("/cps/v2/enrollments/{id}/changes/{change}"),
            status: serde_json::from_value::<ChangeStatus>(
                serde_json::json!({"statusInfo": {"state": state}}),
            )
            .expect("a change"),
            challenges: None,
        }
    }

    #[test]
    fn moved_changes_first_then_the_open_detail_then_the_stalest() {
        let scope = Scope::contract("C-1");
        let mut book = ChangeBook::default();
        let now = Instant::now();
        book.listed(
            &scope,
            &[
                enrollment(1, Some(11)),
                enrollment(2, Some(21)),
                enrollment(3, None),
            ],
        );
        assert_eq!(book.pending(), 2);
        // Never read: both due, the lower id first; an enrollment with no change never.
        assert_eq!(book.next_due(now).map(|t| t.enrollment_id), Some(1));
        book.record(1, read(1, 11, "awaiting-input"), now);
        assert_eq!(book.next_due(now).map(|t| t.enrollment_id), Some(2));
        book.record(2, read(2, 21, "running"), now);
        assert_eq!(book.next_due(now), None, "nothing stale yet");
        // A change that waits for input is read again sooner than a running one.
        let later = now + AWAITING_REREAD;
        assert_eq!(book.next_due(later).map(|t| t.enrollment_id), Some(1));
        // The open detail's change goes first when it is due.
        book.focus(Some(2));
        let much_later = now + RUNNING_REREAD;
        assert_eq!(book.next_due(much_later).map(|t| t.enrollment_id), Some(2));
        // Another change pending: it moved, read at once; the old read no longer shows.
        book.listed(&scope, &[enrollment(1, Some(12)), enrollment(2, Some(21))]);
        assert!(book.change_of(1).is_none());
        assert_eq!(book.next_due(now).map(|t| t.enrollment_id), Some(1));
        assert!(
            book.change_of(2).is_some(),
            "the same change, its read kept"
        );
        // An enrollment the list no longer names is forgotten.
        assert!(book.enrollment(3).is_none());
    }

    #[test]
    fn a_failed_read_waits_like_a_read_one() {
        let scope = Scope::contract("C-1");
        let mut book = ChangeBook::default();
        let now = Instant::now();
        book.listed(&scope, &[enrollment(1, Some(11))]);
        book.failed(1, "/cps/v2/enrollments/1/changes/11", now);
        assert_eq!(book.next_due(now), None);
        assert!(book.next_due(now + RUNNING_REREAD).is_some());
    }
}
