//! Lines longer than their box, broken for reading (issue 28): at a space where one is near the
//! end, and each continuation indented under the text it continues. A continuation at column 0
//! reads as a new entry ("certificate read" / "2h ago").

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthChar;

/// `line` broken into lines of at most `width` columns; each continuation starts with
/// `indent` spaces (fewer on a box too narrow to leave the text half of it).
pub fn hanging(line: Line<'static>, width: usize, indent: usize) -> Vec<Line<'static>> {
    let characters: Vec<(char, Style)> = line
        .spans
        .iter()
        .flat_map(|span| {
            let style = line.style.patch(span.style);
            span.content
                .chars()
                .map(move |character| (character, style))
        })
        .collect();
    let indent = indent.min(width / 2);
    let mut lines = Vec::new();
    let mut rest: &[(char, Style)] = &characters;
    let mut first = true;
    loop {
        let room = if first { width } else { width - indent };
        let (take, next) = split_at(rest, room);
        let mut spans = Vec::new();
        if !first {
            spans.push(Span::raw(" ".repeat(indent)));
        }
        spans.extend(styled_runs(&rest[..take]));
        lines.push(Line::from(spans));
        rest = &rest[next..];
        // The space a line was broken at is not carried to the next one.
        while rest.first().is_some_and(|(character, _)| *character == ' ') {
            rest = &rest[1..];
        }
        if rest.is_empty() || room == 0 {
            return lines;
        }
        first = false;
    }
}

/// `text` in pieces of at most `width` columns, cut wherever the width ends: for text read as
/// one string (a URL, a form body), where a break at a space would only leave rows empty.
pub fn by_width(text: &str, width: usize) -> Vec<String> {
    let mut pieces = vec![String::new()];
    let mut used = 0;
    for character in text.chars() {
        let wide = character.width().unwrap_or(0);
        if used + wide > width && used > 0 {
            pieces.push(String::new());
            used = 0;
        }
        used += wide;
        if let Some(piece) = pieces.last_mut() {
            piece.push(character);
        }
    }
    pieces
}

/// How many characters of `text` go on a line of `room` columns, and where the next line
/// starts: after the line's last space, so that a name is never split; only a word longer
/// than the line is cut where the room ends.
fn split_at(text: &[(char, Style)], room: usize) -> (usize, usize) {
    let mut used = 0;
    let mut last_space = None;
    for (index, (character, _)) in text.iter().enumerate() {
        let wide = character.width().unwrap_or(0);
        if used + wide > room {
            // A word that ends exactly at the edge stays on its line.
            if *character == ' ' {
                return (index, index + 1);
            }
            return match last_space {
                Some(space) if space > 0 => (space, space + 1),
                // At least one character a line, or a character wider than the room would
                // never be placed.
                _ => (index.max(1), index.max(1)),
            };
        }
        if *character == ' ' {
            last_space = Some(index);
        }
        used += wide;
    }
    (text.len(), text.len())
}

/// Consecutive characters of one style, as one span each.
fn styled_runs(text: &[(char, Style)]) -> Vec<Span<'static>> {
    let mut spans: Vec<Span<'static>> = Vec::new();
    for (character, style) in text {
        match spans.last_mut() {
            Some(span) if span.style == *style => span.content.to_mut().push(*character),
            _ => spans.push(Span::styled(character.to_string(), *style)),
        }
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(lines: &[Line]) -> Vec<String> {
        lines.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn continuations_are_indented_and_broken_at_spaces() {
        let line =
            Line::from("  2d CRIT  shop.example.com  enrollment 11856 · certificate read 2h ago");
        assert_eq!(
            text(&hanging(line, 40, 11)),
            [
                "  2d CRIT  shop.example.com  enrollment",
                "           11856 · certificate read 2h",
                "           ago",
            ]
        );
        // A word longer than the room is cut where the room ends.
        let long = Line::from("name averyveryverylongdomainnamewithoutspaces");
        assert_eq!(
            text(&hanging(long, 20, 4)),
            [
                "name",
                "    averyveryverylon",
                "    gdomainnamewitho",
                "    utspaces"
            ]
        );
        assert_eq!(text(&hanging(Line::from("short"), 20, 4)), ["short"]);
        // A word ending exactly at the edge stays on its line.
        assert_eq!(
            text(&hanging(Line::from("abcd efgh ijkl"), 9, 2)),
            ["abcd efgh", "  ijkl"]
        );
        assert_eq!(
            by_width("POST https://host/a?b=c", 10),
            ["POST https", "://host/a?", "b=c"]
        );
        assert_eq!(by_width("", 10), [""]);
    }
}
