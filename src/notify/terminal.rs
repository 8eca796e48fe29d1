//! The terminal sink: a bell and a desktop notification by escape sequence. OSC 9 (iTerm2,
//! WezTerm, Windows Terminal, foot…) and OSC 777 (rxvt, VTE, Ghostty…) are both sent, since
//! terminals ignore the one they do not know; OSC 99 (kitty's protocol) only where the terminal
//! says it is kitty. Inside tmux each sequence is wrapped in tmux's passthrough (tmux then
//! needs `set -g allow-passthrough on`); the bell is not, tmux forwards it itself.
//!
//! The bytes are made by a pure function and written through a writer passed in, so the
//! dashboard can send them through its own terminal and tests can read them.

use std::io::Write;

const ESC: char = '\u{1b}';
const BEL: char = '\u{7}';
const TITLE: &str = "spsdash";
/// Desktop notifications show a line or two; longer text is cut, with an ellipsis.
const MAX_BODY_CHARS: usize = 240;

/// What the terminal around us can take.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TerminalCaps {
    /// kitty's notification protocol (OSC 99).
    pub osc99: bool,
    /// Inside tmux: wrap escapes in passthrough.
    pub tmux: bool,
}

impl TerminalCaps {
    /// From the environment, read through `var` (so tests need not touch the real one).
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> TerminalCaps {
        let set = |name: &str| var(name).is_some_and(|value| !value.is_empty());
        let term = var("TERM").unwrap_or_default();
        TerminalCaps {
            osc99: set("KITTY_WINDOW_ID") || term.contains("kitty"),
            tmux: set("TMUX"),
        }
    }

    pub fn detect() -> TerminalCaps {
        TerminalCaps::from_env(|name| std::env::var(name).ok())
    }
}

/// The bytes that ring the bell and raise a desktop notification saying `message`.
pub fn notification_bytes(message: &str, caps: TerminalCaps) -> Vec<u8> {
    let body = printable(message, MAX_BODY_CHARS);
    // OSC 777 separates fields with `;`, so the title must not hold one (the body may, it is
    // the last field). OSC 9 must not start with a digit and `;` (ConEmu reads that as a
    // command), which "spsdash: " prevents.
    let mut sequences = vec![
        format!("{ESC}]9;{TITLE}: {body}{BEL}"),
        format!("{ESC}]777;notify;{TITLE};{body}{BEL}"),
    ];
    if caps.osc99 {
        sequences.push(format!("{ESC}]99;;{TITLE}: {body}{ESC}\\"));
    }
    let mut out = String::from(BEL);
    for sequence in sequences {
        if caps.tmux {
            out.push_str(&tmux_passthrough(&sequence));
        } else {
            out.push_str(&sequence);
        }
    }
    out.into_bytes()
}

/// `ESC P tmux; <sequence with every ESC doubled> ESC \`.
pub fn tmux_passthrough(sequence: &str) -> String {
    let doubled = sequence.replace(ESC, &format!("{ESC}{ESC}"));
    format!("{ESC}Ptmux;{doubled}{ESC}\\")
}

/// Writes one notification and flushes.
pub fn notify_terminal(
    writer: &mut dyn Write,
    message: &str,
    caps: TerminalCaps,
) -> Result<(), String> {
    writer
        .write_all(&notification_bytes(message, caps))
        .and_then(|()| writer.flush())
        .map_err(|error| format!("cannot write to the terminal: {error}"))
}

/// No control characters (text from the API must not end or inject an escape sequence), at
/// most `max` characters.
fn printable(text: &str, max: usize) -> String {
    let mut clean: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if clean.chars().count() > max {
        clean = clean.chars().take(max.saturating_sub(1)).collect();
        clean.push('…');
    }
    clean
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bell_then_osc_9_and_777_and_99_only_where_advertised() {
        let bytes = notification_bytes("SPS #7 awaits you", TerminalCaps::default());
        assert_eq!(
            String::from_utf8(bytes).expect("utf-8"),
            "\u{7}\u{1b}]9;spsdash: SPS #7 awaits you\u{7}\
             \u{1b}]777;notify;spsdash;SPS #7 awaits you\u{7}"
        );
        let kitty =
            TerminalCaps::from_env(|name| (name == "TERM").then(|| "xterm-kitty".to_string()));
        assert!(kitty.osc99 && !kitty.tmux);
        let text = String::from_utf8(notification_bytes("done", kitty)).expect("utf-8");
        assert!(
            text.ends_with("\u{1b}]99;;spsdash: done\u{1b}\\"),
            "{text:?}"
        );
    }

    #[test]
    fn inside_tmux_every_sequence_is_wrapped_with_escapes_doubled() {
        let caps = TerminalCaps::from_env(|name| {
            (name == "TMUX").then(|| "/tmp/tmux-1000/default,1,0".to_string())
        });
        assert!(caps.tmux);
        let text = String::from_utf8(notification_bytes("done", caps)).expect("utf-8");
        assert_eq!(
            text,
            "\u{7}\u{1b}Ptmux;\u{1b}\u{1b}]9;spsdash: done\u{7}\u{1b}\\\
             \u{1b}Ptmux;\u{1b}\u{1b}]777;notify;spsdash;done\u{7}\u{1b}\\"
        );
    }

    #[test]
    fn api_text_cannot_break_out_of_the_sequence() {
        let hostile = "a\u{7}b\u{1b}]52;c;ZXZpbA==\u{7}\u{9b}2J";
        let text =
            String::from_utf8(notification_bytes(hostile, TerminalCaps::default())).expect("utf-8");
        // Exactly the bell and the two terminators we put there; no ESC but our two openers.
        assert_eq!(text.matches('\u{7}').count(), 3, "{text:?}");
        assert_eq!(text.matches('\u{1b}').count(), 2, "{text:?}");
        assert!(!text.contains('\u{9b}'));
        let long = "x".repeat(1000);
        let text =
            String::from_utf8(notification_bytes(&long, TerminalCaps::default())).expect("utf-8");
        assert!(text.contains('…') && text.len() < 600);
    }

    #[test]
    fn a_failing_writer_is_an_error_value() {
        struct Broken;
        impl Write for Broken {
            fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
                Err(std::io::Error::other("gone"))
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let error =
            notify_terminal(&mut Broken, "x", TerminalCaps::default()).expect_err("reported");
        assert!(error.contains("gone"));
    }
}
