//! Readiness verdicts per domain and the background checker's schedule (issue 10).
//!
//! Verdicts are kept per request, not per view, so leaving the detail and coming back keeps
//! them, and a background round fills them for a detail nobody has opened yet.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::Level;
use crate::dvcheck::CheckResult;

/// One domain's last verdict and when it was reached (our clock: checks reach real servers
/// now, whatever clock the API keeps).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainCheck {
    pub result: CheckResult,
    pub checked_at: DateTime<Utc>,
}

impl DomainCheck {
    /// Info when the CA would pass it (or Akamai answers it itself), else a warning.
    pub fn level(&self) -> Level {
        if self.result.is_ready() {
            Level::Info
        } else {
            Level::Warning
        }
    }
}

/// Every verdict the dashboard holds, and when background checking runs next.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DomainChecks {
    by_domain: HashMap<(u64, String), DomainCheck>,
    /// When the next background round may start; `None`: at the first chance.
    pub next_round: Option<DateTime<Utc>>,
    /// A background round is under way: the next one waits for it to finish, so slow web
    /// servers never stack rounds on each other.
    pub round_running: bool,
}

impl DomainChecks {
    pub fn get(&self, id: u64, domain: &str) -> Option<&DomainCheck> {
        self.by_domain.get(&(id, domain.to_string()))
    }

    /// Keeps `results` as the request's newest verdicts and returns the domains that turned
    /// ready: known before and not ready then. A first verdict that is ready is not news.
    pub fn record(&mut self, id: u64, results: Vec<CheckResult>, at: DateTime<Utc>) -> Vec<String> {
        let mut turned_ready = Vec::new();
        for result in results {
            let key = (id, result.domain.clone());
            let was_not_ready = self
                .by_domain
                .get(&key)
                .is_some_and(|previous| !previous.result.is_ready());
            if was_not_ready && result.is_ready() {
                turned_ready.push(result.domain.clone());
            }
            self.by_domain.insert(
                key,
                DomainCheck {
                    result,
                    checked_at: at,
                },
            );
        }
        turned_ready
    }

    /// How many verdicts are held (for tests and the status line).
    pub fn len(&self) -> usize {
        self.by_domain.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_domain.is_empty()
    }
}
