//! How one-shot commands print: plain tables for people, pretty JSON for `--json`, and a quiet
//! exit when stdout is a closed pipe (`spsdash list … | head`).

use std::io::Write;

use serde::Serialize;

use crate::text;

use super::{CommandError, Exit};

/// Writes text for people to stdout, inert: a control character that came from the API is
/// shown as an escape, never acted on by the terminal; newlines and tabs are kept.
pub fn print(text: &str) -> Result<(), CommandError> {
    write_stdout(&text::inert_lines(text))
}

/// Writes a message to stderr, inert like [`print`].
pub fn eprint(text: &str) {
    let mut stderr = std::io::stderr().lock();
    // Nothing better to do when stderr itself is gone.
    let _ = stderr.write_all(text::inert_lines(text).as_bytes());
}

/// One line for the operator on stderr, `spsdash: ` first: the one way a command says
/// something beside its output (an error, a refusal, a note). The line is made inert whole
/// (a newline too), since it may quote the API: a problem `detail` with OSC or CSI must not
/// retitle or erase the terminal.
pub fn warn(line: &str) {
    let mut stderr = std::io::stderr().lock();
    // Nothing better to do when stderr itself is gone.
    let _ = stderr.write_all(format!("spsdash: {}\n", text::inert(line)).as_bytes());
}

/// One line on stderr as it is (no `spsdash: `), made inert whole: text quoted from the API
/// under a line that introduced it.
pub fn eprint_line(line: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = stderr.write_all(format!("{}\n", text::inert(line)).as_bytes());
}

/// NDJSON on stdout: each of `lines` is one value as serde_json wrote it (no newline inside),
/// written with DEL, C1 and bidi characters as JSON's own `\u009b` escapes, so every line
/// stays JSON for any parser and is inert for a terminal. Nothing is written for no lines.
pub fn print_json_lines(lines: &[String]) -> Result<(), CommandError> {
    if lines.is_empty() {
        return Ok(());
    }
    let mut out = String::new();
    for line in lines {
        out.push_str(&text::json_inert(line));
        out.push('\n');
    }
    write_stdout(&out)
}

/// Writes to stdout; a closed pipe is not an error worth a message.
fn write_stdout(text: &str) -> Result<(), CommandError> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(error) => Err(CommandError {
            exit: Exit::Usage,
            message: format!("cannot write to stdout: {error}"),
        }),
    }
}

/// The value as pretty JSON, alone on stdout.
pub fn print_json<T: Serialize + ?Sized>(value: &T) -> Result<(), CommandError> {
    let text = serde_json::to_string_pretty(value).map_err(|error| CommandError {
        exit: Exit::Api,
        message: format!("could not write JSON: {error}"),
    })?;
    print_json_text(&text)
}

/// JSON text, alone on stdout, with DEL, C1 and bidi characters escaped (`\u009b`): the same
/// value for a program, inert for a terminal.
pub fn print_json_text(text: &str) -> Result<(), CommandError> {
    let text = text.trim_end();
    write_stdout(&format!("{}\n", text::json_inert(text)))
}

/// Columns padded to their widest cell, two spaces apart; the last column is not padded.
#[derive(Debug, Clone, Default)]
pub struct Table {
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new<I, S>(headers: I) -> Table
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Table {
            headers: headers.into_iter().map(Into::into).collect(),
            rows: Vec::new(),
        }
    }

    pub fn push<I, S>(&mut self, row: I)
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.rows
            .push(row.into_iter().map(|cell| one_line(&cell.into())).collect());
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn render(&self) -> String {
        let columns = self.headers.len();
        let mut widths: Vec<usize> = self.headers.iter().map(|h| h.chars().count()).collect();
        for row in &self.rows {
            for (index, cell) in row.iter().enumerate().take(columns) {
                widths[index] = widths[index].max(cell.chars().count());
            }
        }
        let mut out = String::new();
        for row in std::iter::once(&self.headers).chain(&self.rows) {
            let mut line = String::new();
            for (index, width) in widths.iter().enumerate() {
                let cell = row.get(index).map(String::as_str).unwrap_or_default();
                line.push_str(cell);
                if index + 1 < columns {
                    let pad = width.saturating_sub(cell.chars().count()) + 2;
                    line.extend(std::iter::repeat_n(' ', pad));
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

/// A value from the API on one line: control characters (which could move the cursor or
/// rewrite the screen) shown as escapes, a huge value cut to a readable length.
pub fn one_line(text: &str) -> String {
    text::brief(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 27, defect 2: stderr lines quoting the API went out with `eprintln!`, raw. Every
    /// line a command writes to stderr goes through this module; the `eprintln!` left print
    /// only our own words (the simulator's address, a progress line's end).
    #[test]
    fn commands_write_stderr_only_through_this_module() {
        let allowed = [
            ("sim.rs", 2),
            ("wait.rs", 1),
            ("proceed.rs", 1),
            ("output.rs", 1),
        ];
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/commands");
        let mut files = vec![dir.clone()];
        let mut found = Vec::new();
        while let Some(path) = files.pop() {
            if path.is_dir() {
                files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let count = text.matches("eprintln!(").count();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            let allowance = allowed
                .iter()
                .find(|(file, _)| *file == name)
                .map_or(0, |(_, count)| *count);
            if count > allowance {
                found.push(format!("{}: {count}", path.display()));
            }
        }
        assert!(found.is_empty(), "use output::warn: {found:?}");
    }

    #[test]
    fn json_lines_stay_json_and_inert() {
        let value = serde_json::json!({"to": "a\u{9b}b\u{202e}\u{1b}]0;x\u{7}"});
        let line = value.to_string();
        let inert = text::json_inert(&line);
        assert!(!inert.chars().any(text::is_active), "{inert}");
        assert!(inert.contains("\\u009b"), "{inert}");
        let back: serde_json::Value = serde_json::from_str(&inert).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn columns_line_up() {
        let mut table = Table::new(["ID", "STATUS", "NOTE"]);
        table.push(["1856", "Awaiting User", "two\nlines"]);
        table.push(["7", "Pending", ""]);
        assert_eq!(
            table.render(),
            "ID    STATUS         NOTE\n1856  Awaiting User  two\\nlines\n7     Pending\n"
        );
    }
}
