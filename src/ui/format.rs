//! Times and ages as the screens show them.

use chrono::{DateTime, SecondsFormat, Utc};

/// "4s ago", "5m ago", "3h ago", "2d ago", "20w ago", "2y ago"; "in 5m" for future times
/// (clock skew).
pub fn age(now: DateTime<Utc>, then: DateTime<Utc>) -> String {
    let seconds = now.signed_duration_since(then).num_seconds();
    let (magnitude, future) = if seconds < 0 {
        (-seconds, true)
    } else {
        (seconds, false)
    };
    let text = if magnitude < 60 {
        format!("{magnitude}s")
    } else if magnitude < 3600 {
        format!("{}m", magnitude / 60)
    } else if magnitude < 86_400 {
        format!("{}h", magnitude / 3600)
    } else if magnitude < 100 * 86_400 {
        format!("{}d", magnitude / 86_400)
    } else if magnitude < 100 * 7 * 86_400 {
        // Weeks, then years: "ago" texts stay within 7 characters for the table.
        format!("{}w", magnitude / (7 * 86_400))
    } else {
        format!("{}y", magnitude / (365 * 86_400))
    };
    if future {
        format!("in {text}")
    } else {
        format!("{text} ago")
    }
}

pub fn iso(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Cuts `text` to `width` characters, marking the cut with "…".
pub fn fit(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut cut: String = text.chars().take(width - 1).collect();
    cut.push('…');
    cut
}

/// Text from the API, inert for the terminal (control and bidi characters shown as escapes).
pub fn shown(value: &str) -> String {
    crate::text::inert(value).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn ages_read_naturally() {
        let now = Utc
            .with_ymd_and_hms(2026, 11, 28, 12, 0, 0)
            .single()
            .expect("valid");
        let ago = |secs| age(now, now - chrono::Duration::seconds(secs));
        assert_eq!(ago(4), "4s ago");
        assert_eq!(ago(300), "5m ago");
        assert_eq!(ago(3 * 3600 + 5), "3h ago");
        assert_eq!(ago(2 * 86_400), "2d ago");
        assert_eq!(ago(142 * 86_400), "20w ago");
        assert_eq!(ago(800 * 86_400), "2y ago");
        assert_eq!(ago(-90), "in 1m");
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("abc", 4), "abc");
    }
}
