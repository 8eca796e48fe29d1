//! What the operator is told: one flash line that fades, and a bounded history of errors (the
//! `!` overlay) with where each came from.

use std::collections::VecDeque;

use chrono::{DateTime, Utc};

/// How loud a message is; the one level for flashes, wizard notices and check results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Info,
    Warning,
    Error,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Flash {
    pub text: String,
    pub level: Level,
    pub until: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ErrorEntry {
    pub at: DateTime<Utc>,
    /// Which dataset or action: "contract C-1 / group 1", "detail #1856", "submit".
    pub source: String,
    pub message: String,
}

/// Errors kept for the `!` overlay.
pub const ERROR_HISTORY: usize = 100;

/// How long a flash line stays.
const FLASH_SECONDS: i64 = 8;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Notices {
    pub flash: Option<Flash>,
    /// Oldest first, at most [`ERROR_HISTORY`].
    pub errors: VecDeque<ErrorEntry>,
    /// That the API's clock is ahead of ours was said (once a run: `clock_ahead.rs`).
    pub(crate) clock_ahead_told: bool,
}

impl Notices {
    pub fn record_error(&mut self, at: DateTime<Utc>, source: String, message: String) {
        if self.errors.len() >= ERROR_HISTORY {
            self.errors.pop_front();
        }
        self.errors.push_back(ErrorEntry {
            at,
            source,
            message,
        });
    }

    pub fn flash(&mut self, text: String, level: Level, now: DateTime<Utc>) {
        self.flash = Some(Flash {
            text,
            level,
            until: now + chrono::Duration::seconds(FLASH_SECONDS),
        });
    }

    /// The flash line fades once its time is up.
    pub fn expire(&mut self, now: DateTime<Utc>) {
        if self.flash.as_ref().is_some_and(|flash| flash.until <= now) {
            self.flash = None;
        }
    }
}
