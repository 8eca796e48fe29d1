//! `lastStatusChange`, kept as the time it names when SPS wrote it the usual way
//! (`2016-12-12T10:15:00Z`), and as sent otherwise (issue 12). Kept as a time, it costs no
//! heap chunk (a 48-byte chunk each as text, ~0.5 MB at 10,000 requests) and needs no parsing
//! when a list arrives: the table's row reads the time from the request itself instead of
//! following a pointer to the text, which at 10,000 requests was a cache miss per request.
//! Both forms print exactly the text that was read.

use std::borrow::Cow;
use std::fmt;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub use super::api_time::parse_time;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum StatusChange {
    /// A UTC time to the second, which prints back as the text SPS sent.
    At(DateTime<Utc>),
    /// Anything else (an offset, fractions of a second, no zone, not a time), as sent.
    Text(Box<str>),
}

impl StatusChange {
    /// The time, when the text reads as one (as `parse_time` reads it).
    pub fn time(&self) -> Option<DateTime<Utc>> {
        match self {
            StatusChange::At(time) => Some(*time),
            StatusChange::Text(text) => parse_time(text),
        }
    }

    /// Exactly the text that was read.
    pub fn as_text(&self) -> Cow<'_, str> {
        match self {
            StatusChange::At(time) => Cow::Owned(usual_text(*time)),
            StatusChange::Text(text) => Cow::Borrowed(text),
        }
    }
}

fn usual_text(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl From<String> for StatusChange {
    fn from(text: String) -> Self {
        // Only a text that the time prints back to, byte for byte.
        match parse_time(&text).filter(|time| usual_text(*time) == text) {
            Some(time) => StatusChange::At(time),
            None => StatusChange::Text(text.into_boxed_str()),
        }
    }
}

impl From<&str> for StatusChange {
    fn from(text: &str) -> Self {
        StatusChange::from(text.to_string())
    }
}

impl fmt::Display for StatusChange {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.as_text())
    }
}

impl<'de> Deserialize<'de> for StatusChange {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(StatusChange::from(String::deserialize(deserializer)?))
    }
}

impl Serialize for StatusChange {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.as_text())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_usual_form_is_kept_as_a_time_and_prints_back_exactly() {
        let change = StatusChange::from("2016-12-12T10:15:00Z");
        let time = Utc.with_ymd_and_hms(2016, 12, 12, 10, 15, 0).single();
        assert_eq!(change, StatusChange::At(time.unwrap()));
        assert_eq!(change.time(), time);
        assert_eq!(change.to_string(), "2016-12-12T10:15:00Z");
        assert_eq!(
            serde_json::to_string(&change).unwrap(),
            "\"2016-12-12T10:15:00Z\""
        );
    }

    #[test]
    fn other_forms_are_kept_as_sent_and_still_read_as_times() {
        for (text, reads) in [
            ("2016-12-12T11:15:00+01:00", true),
            ("2016-12-12T10:15:00.250Z", true),
            ("2016-12-12T10:15:00", true),
            ("2016-12-12t10:15:00z", true),
            ("yesterday\u{7}", false),
            ("2016-13-12T10:15:00Z", false),
        ] {
            let change = StatusChange::from(text);
            assert!(matches!(change, StatusChange::Text(_)), "{text}");
            assert_eq!(change.as_text(), text);
            assert_eq!(change.time().is_some(), reads, "{text}");
        }
        assert_eq!(
            StatusChange::from("2016-12-12T11:15:00+01:00").time(),
            StatusChange::from("2016-12-12T10:15:00Z").time()
        );
    }

    #[test]
    fn it_costs_no_more_than_the_text_it_replaces() {
        assert!(
            std::mem::size_of::<Option<StatusChange>>() <= std::mem::size_of::<Option<String>>()
        );
    }
}
