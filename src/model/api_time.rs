//! The one reader of times from any Akamai API (SPS's `lastStatusChange`, CPS's deployment
//! `expiry`, a challenge's `expires`…). The APIs document ISO 8601, but answers have been seen
//! with an offset without colon (`2026-12-13T01:51:14.000+0000`), a space for the `T`, a date
//! alone, epoch seconds or milliseconds, and OpenSSL's `Dec 13 01:51:14 2026 GMT`. Anything
//! else is `None`, which callers must treat as "unknown", never as "no time".
//!
//! A date alone (`2026-12-13`) reads as the first instant of that day in UTC: for an expiry
//! this is the earliest reading, so a warning computed from it can come early, never late.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, Utc};

/// Longer than any time written in any of the forms read; longer texts are not looked at.
const LONGEST_TIME_TEXT: usize = 64;

/// The instant the text names, in any of the forms described above.
pub fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if text.is_empty() || text.len() > LONGEST_TIME_TEXT {
        return None;
    }
    if text.bytes().all(|byte| byte.is_ascii_digit()) {
        return epoch(text);
    }
    if let Ok(time) = DateTime::parse_from_rfc3339(text) {
        return Some(time.with_timezone(&Utc));
    }
    with_offset(text)
        .or_else(|| in_utc(text))
        .or_else(|| start_of_day(text))
}

/// Epoch seconds (10 digits) or milliseconds (13 digits); other lengths are not guessed at.
fn epoch(digits: &str) -> Option<DateTime<Utc>> {
    let number: i64 = digits.parse().ok()?;
    match digits.len() {
        10 => DateTime::from_timestamp(number, 0),
        13 => DateTime::from_timestamp_millis(number),
        _ => None,
    }
}

/// `T` or a space between date and time, fractions optional, an offset with or without colon.
fn with_offset(text: &str) -> Option<DateTime<Utc>> {
    const FORMS: [&str; 3] = [
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S%.f %z",
    ];
    FORMS
        .iter()
        .find_map(|form| DateTime::<FixedOffset>::parse_from_str(text, form).ok())
        .map(|time| time.with_timezone(&Utc))
}

/// A time with no zone, or with `Z`, `UTC` or `GMT` after it: read as UTC.
fn in_utc(text: &str) -> Option<DateTime<Utc>> {
    const FORMS: [&str; 3] = [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        // OpenSSL's `notAfter`, once runs of spaces are made one (`Dec  3` → `Dec 3`).
        "%b %d %H:%M:%S %Y",
    ];
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut text = words.join(" ");
    for zone in [" UTC", " GMT", "Z", "z"] {
        if let Some(stripped) = text.strip_suffix(zone) {
            text = stripped.trim_end().to_string();
            break;
        }
    }
    FORMS
        .iter()
        .find_map(|form| NaiveDateTime::parse_from_str(&text, form).ok())
        .map(|naive| naive.and_utc())
}

fn start_of_day(text: &str) -> Option<DateTime<Utc>> {
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
    Some(date.and_hms_opt(0, 0, 0)?.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn every_form_an_api_has_sent_reads_as_the_same_instant() {
        let at = Utc.with_ymd_and_hms(2026, 12, 13, 1, 51, 14).unwrap();
        let day = Utc.with_ymd_and_hms(2026, 12, 13, 0, 0, 0).unwrap();
        let millis = at.timestamp_millis().to_string();
        let seconds = at.timestamp().to_string();
        let table: Vec<(&str, DateTime<Utc>)> = vec![
            ("2026-12-13T01:51:14Z", at),
            ("2026-12-13t01:51:14z", at),
            ("2026-12-13T01:51:14+00:00", at),
            ("2026-12-13T02:51:14+01:00", at),
            ("2026-12-13T01:51:14.000+0000", at),
            ("2026-12-13T02:51:14.000+0100", at),
            ("2026-12-13T01:51:14.000Z", at),
            ("2026-12-13T01:51:14+0000", at),
            ("2026-12-13T01:51:14", at),
            ("2026-12-13 01:51:14", at),
            ("2026-12-13 01:51:14Z", at),
            ("2026-12-13 01:51:14 UTC", at),
            ("2026-12-13 01:51:14 GMT", at),
            ("2026-12-13 01:51:14+00:00", at),
            ("2026-12-13 01:51:14 +0000", at),
            (
                "2026-12-13 01:51:14.123 +0000",
                at + chrono::Duration::milliseconds(123),
            ),
            ("2026-12-13", day),
            (millis.as_str(), at),
            (seconds.as_str(), at),
            ("Dec 13 01:51:14 2026 GMT", at),
            ("  Dec 13 01:51:14 2026 GMT \n", at),
        ];
        for (text, expected) in table {
            assert_eq!(parse_time(text), Some(expected), "{text:?}");
        }
        let early = Utc.with_ymd_and_hms(2026, 12, 3, 1, 51, 14).unwrap();
        assert_eq!(parse_time("Dec  3 01:51:14 2026 GMT"), Some(early));
    }

    #[test]
    fn anything_else_is_no_time() {
        for text in [
            "",
            "   ",
            "soon",
            "-",
            "null",
            "2026-13-13T01:51:14Z",
            "2026-12-32",
            "2026-12-13T25:00:00Z",
            "2026-12-13T01:51:14Z\u{7}",
            "2026-12-13T01:51:14Z\n$INCLUDE /etc/shadow",
            "12",
            "17972058740",
            "179720587400000",
            "-1797205874",
            "Dec 13 01:51:14 2026 PST",
            "Smarch 13 01:51:14 2026 GMT",
            "2026-12-13T01:51:14+99:99",
            &"9".repeat(10_000),
            &format!("2026-12-13T01:51:14{}Z", " ".repeat(100)),
        ] {
            assert_eq!(parse_time(text), None, "{text:?}");
        }
    }
}
