#![warn(missing_docs)]
//! Text that came from the API or from a file is data: before it reaches a terminal, a log or
//! a generated file, every character that a terminal or an editor would *act on* (C0 and C1
//! controls, DEL, bidi overrides and isolates, zero-width characters) is shown visibly as
//! `\u{1b}`, and a huge value is cut to a readable length.
//!
//! A leaf module: it imports nothing of ours, so every layer (even `sps`) may use it.

use std::borrow::Cow;

/// Longest value echoed in a message or a table cell, in characters.
pub const READABLE_CHARS: usize = 200;

/// Characters a terminal or a text renderer acts on instead of showing: C0, DEL, C1, and the
/// invisible format characters that reorder or hide text (U+202E shows `txt.exe` as
/// `exe.txt`, U+200B hides inside a domain).
pub fn is_active(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}'
        | '\u{7f}'..='\u{9f}'
        | '\u{61c}'
        | '\u{180e}'
        | '\u{200b}'..='\u{200f}'
        | '\u{2028}'..='\u{202e}'
        | '\u{2060}'..='\u{206f}'
        | '\u{feff}'
        | '\u{fff9}'..='\u{fffb}'
    )
}

/// One line, inert: every active character (newlines and tabs too) shown as an escape.
pub fn inert(text: &str) -> Cow<'_, str> {
    escape(text, is_active)
}

/// Several lines, inert: like [`inert`] but newlines and tabs are kept as they are.
pub fn inert_lines(text: &str) -> Cow<'_, str> {
    escape(text, |c| c != '\n' && c != '\t' && is_active(c))
}

/// A value for a one-line message: inert and cut to [`READABLE_CHARS`].
pub fn brief(text: &str) -> String {
    inert(&cut(text, READABLE_CHARS)).into_owned()
}

/// The first `max_chars` characters, and how many were left out.
pub fn cut(text: &str, max_chars: usize) -> Cow<'_, str> {
    match text.char_indices().nth(max_chars) {
        None => Cow::Borrowed(text),
        Some((end, _)) => {
            let left_out = text[end..].chars().count();
            Cow::Owned(format!("{}…[{left_out} more characters]", &text[..end]))
        }
    }
}

/// JSON text with the characters serde_json leaves raw (DEL, C1, bidi and zero-width) written
/// as `\uXXXX` escapes: the same JSON value, but inert when printed. Raw controls below U+0020
/// cannot occur inside strings of valid JSON, and outside strings only as whitespace.
pub fn json_inert(json: &str) -> Cow<'_, str> {
    if !json
        .chars()
        .any(|c| is_active(c) && !c.is_ascii_whitespace())
    {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if is_active(c) && !c.is_ascii_whitespace() {
            // Every active character is in the Basic Multilingual Plane: one \u escape.
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn escape(text: &str, active: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(&active) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if !active(c) {
            out.push(c);
            continue;
        }
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            other => out.push_str(&format!("\\u{{{:x}}}", other as u32)),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_sequences_become_visible_text() {
        assert_eq!(
            inert("\u{1b}]0;PWNED\u{7}x\u{9b}2J\u{7f}"),
            "\\u{1b}]0;PWNED\\u{7}x\\u{9b}2J\\u{7f}"
        );
        assert_eq!(inert("a\r\nb\tc"), "a\\r\\nb\\tc");
        assert_eq!(inert_lines("a\nb\tc\r"), "a\nb\tc\\r");
        assert_eq!(
            inert("evil\u{202e}txt.exe\u{2066}\u{2069}\u{200b}"),
            "evil\\u{202e}txt.exe\\u{2066}\\u{2069}\\u{200b}"
        );
        assert!(matches!(inert("münchen.example ✓"), Cow::Borrowed(_)));
    }

    #[test]
    fn huge_values_are_cut_with_a_count() {
        let huge = "x".repeat(1_000_000);
        let short = brief(&huge);
        assert!(short.chars().count() < 260, "{}", short.len());
        assert!(short.ends_with("…[999800 more characters]"), "{short}");
        assert_eq!(cut("héllo", 5), "héllo");
        assert_eq!(cut("héllo", 2), "hé…[3 more characters]");
    }

    #[test]
    fn json_stays_json_and_turns_inert() {
        let value = serde_json::json!({"k\u{9b}": "a\u{7f}b\u{202e}\u{1b}"});
        let text = serde_json::to_string(&value).expect("json");
        let safe = json_inert(&text);
        assert!(!safe.chars().any(is_active), "{safe}");
        let back: serde_json::Value = serde_json::from_str(&safe).expect("still json");
        assert_eq!(back, value);
        let pretty = serde_json::to_string_pretty(&value).expect("json");
        assert!(json_inert(&pretty).contains('\n'));
    }
}
