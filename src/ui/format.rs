//! Times and ages as the screens show them, and the one way a value is cut to its width.

use chrono::{DateTime, SecondsFormat, Utc};
use ratatui::text::{Line, Span};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// "4s ago", "5m ago", "3h ago", "2d ago", "20w ago", "2y ago". A time in the future is a
/// clock ahead of ours (a server's, or the simulator's fast one), not something to come: it
/// reads "just now".
pub fn age(now: DateTime<Utc>, then: DateTime<Utc>) -> String {
    let magnitude = now.signed_duration_since(then).num_seconds();
    if magnitude < 0 {
        return "just now".to_string();
    }
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
    format!("{text} ago")
}

pub fn iso(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Columns `text` takes on a terminal (a CJK character takes two, a combining mark none).
pub fn width(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

/// Cuts `text` to `width` terminal columns. The one cutter of every view: a cut value always
/// ends in "…", so `store.example.co` never reads as another, valid name.
pub fn fit(text: &str, width: usize) -> String {
    if self::width(text) <= width {
        return text.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut cut = prefix(text, width - 1);
    cut.push('…');
    cut
}

/// `line` cut to `width` columns like [`fit`], each span keeping its style.
pub fn fit_line(line: Line<'_>, width: usize) -> Line<'static> {
    let style = line.style;
    let whole = line.width() <= width;
    let mut left = if whole {
        width
    } else {
        width.saturating_sub(1)
    };
    let mut spans: Vec<Span<'static>> = Vec::new();
    for span in line.spans {
        if left == 0 && !whole {
            break;
        }
        let text = prefix(&span.content, left);
        left -= self::width(&text);
        spans.push(Span::styled(text, span.style));
    }
    if !whole && width > 0 {
        let mark_style = spans.last().map(|span| span.style).unwrap_or_default();
        spans.push(Span::styled("…", mark_style));
    }
    Line::from(spans).style(style)
}

/// The longest start of `text` that takes at most `width` columns.
fn prefix(text: &str, width: usize) -> String {
    let mut cut = String::new();
    let mut used = 0;
    for character in text.chars() {
        let wide = character.width().unwrap_or(0);
        if used + wide > width {
            break;
        }
        used += wide;
        cut.push(character);
    }
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
        assert_eq!(ago(-90), "just now");
        assert_eq!(ago(-9 * 3600), "just now");
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("abc", 4), "abc");
        // Wide characters count twice: the cut text fits the columns, not the characters.
        assert_eq!(fit("日本語のドメイン", 6), "日本…");
        assert_eq!(width(&fit("日本語のドメイン", 6)), 5);
        let line = Line::from(vec![Span::raw("kind "), Span::raw("san   CN shop")]);
        assert_eq!(fit_line(line.clone(), 8).to_string(), "kind sa…");
        assert_eq!(fit_line(line, 30).to_string(), "kind san   CN shop");
    }
}
