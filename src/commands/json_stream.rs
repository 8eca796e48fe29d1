//! A JSON array written item by item (issue 12): `list --json` prints each request as it is
//! read, in exactly the text `print_json` gives for the whole array (pretty, two-space
//! indent, DEL/C1/bidi escaped), so output never waits for nor holds the whole list.

use std::io::{self, Write};

use serde::Serialize;

use crate::text;

/// An array being written; `finish` closes it.
pub struct JsonArrayOut<W: Write> {
    out: W,
    items: usize,
    /// The first write that failed: a closed pipe ends the output quietly, others are errors.
    failed: Option<io::Error>,
}

impl<W: Write> JsonArrayOut<W> {
    pub fn new(out: W) -> JsonArrayOut<W> {
        JsonArrayOut {
            out,
            items: 0,
            failed: None,
        }
    }

    /// Writes one element; `Err` once writing failed (the caller stops producing).
    pub fn item<T: Serialize>(&mut self, item: &T) -> Result<(), String> {
        if self.failed.is_some() {
            return Err("stdout is closed".to_string());
        }
        let pretty = serde_json::to_string_pretty(item)
            .map_err(|error| format!("could not write JSON: {error}"))?;
        // An element of a pretty array is the element's own pretty text, one level in (JSON
        // strings never hold a raw newline, so every line break is the formatter's).
        let mut element = String::with_capacity(pretty.len() + pretty.len() / 8);
        element.push_str(if self.items == 0 { "[\n" } else { ",\n" });
        for (index, line) in pretty.lines().enumerate() {
            if index > 0 {
                element.push('\n');
            }
            element.push_str("  ");
            element.push_str(line);
        }
        self.items += 1;
        self.write(&element)
    }

    /// Closes the array (`[]` when empty) and flushes.
    pub fn finish(&mut self) -> Result<(), String> {
        let end = if self.items == 0 { "[]\n" } else { "\n]\n" };
        self.write(end)?;
        if self.failed.is_none()
            && let Err(error) = self.out.flush()
        {
            self.failed = Some(error);
        }
        self.outcome()
    }

    /// `Ok` when everything was written or the reader went away (a closed pipe).
    pub fn outcome(&self) -> Result<(), String> {
        match &self.failed {
            Some(error) if error.kind() != io::ErrorKind::BrokenPipe => {
                Err(format!("cannot write to stdout: {error}"))
            }
            _ => Ok(()),
        }
    }

    /// True once the reader of the output went away.
    pub fn is_closed(&self) -> bool {
        self.failed.is_some()
    }

    fn write(&mut self, piece: &str) -> Result<(), String> {
        if self.failed.is_some() {
            return Err("stdout is closed".to_string());
        }
        match self.out.write_all(text::json_inert(piece).as_bytes()) {
            Ok(()) => Ok(()),
            Err(error) => {
                self.failed = Some(error);
                Err("stdout is closed".to_string())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn streamed(items: &[serde_json::Value]) -> String {
        let mut out = JsonArrayOut::new(Vec::new());
        for item in items {
            out.item(item).unwrap();
        }
        out.finish().unwrap();
        String::from_utf8(out.out).unwrap()
    }

    fn whole(items: &[serde_json::Value]) -> String {
        format!(
            "{}\n",
            text::json_inert(&serde_json::to_string_pretty(items).unwrap())
        )
    }

    #[test]
    fn the_text_is_the_whole_array_s_pretty_text() {
        let items = [
            json!({"spsId": 1, "parameters": [{"name": "a", "value": "line\nbreak"}], "e": []}),
            json!({"spsId": 2, "dvStatus": [], "x": {"nested": {"deep": "\u{9b}\u{202e}"}}}),
        ];
        assert_eq!(streamed(&items), whole(&items));
        assert_eq!(streamed(&items[..1]), whole(&items[..1]));
        assert_eq!(streamed(&[]), whole(&[]));
        assert_eq!(streamed(&[]), "[]\n");
    }

    struct Closed;
    impl Write for Closed {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::Error::from(io::ErrorKind::BrokenPipe))
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_closed_pipe_stops_the_output_quietly() {
        let mut out = JsonArrayOut::new(Closed);
        assert!(out.item(&json!({"spsId": 1})).is_err());
        assert!(out.is_closed());
        assert_eq!(out.outcome(), Ok(()));
    }
}
