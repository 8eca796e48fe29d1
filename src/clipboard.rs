#![warn(missing_docs)]
//! Copy to the clipboard by OSC 52 (issue 6): the terminal owns the clipboard, so this works
//! over SSH and needs no X server.
//!
//! Inside tmux the text goes out twice: once as a plain OSC 52, which tmux itself takes into
//! a paste buffer (and forwards to the outer terminal) when `set-clipboard` is `on`, and once
//! wrapped in tmux's DCS passthrough (`ESC P tmux; …ESC doubled… ESC \`), which reaches the
//! outer terminal when tmux passes sequences through (`allow-passthrough on`) but does not
//! handle OSC 52 itself. Either way the same text lands; a terminal that gets both just sets
//! its clipboard twice.
//!
//! `sequence` and `plan` are pure; `copy` writes the plan to any writer (the terminal).

use std::io::{IsTerminal, Write};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::config::{ClipboardConfig, ClipboardMode};

/// What the terminal looks like from here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Terminal {
    /// `$TMUX` is set.
    pub in_tmux: bool,
    /// Standard output is a terminal (not a pipe or file).
    pub is_tty: bool,
}

impl Terminal {
    /// The terminal spsdash runs in: inside tmux or not, and whether stdout is a TTY.
    pub fn detect() -> Terminal {
        Terminal {
            in_tmux: std::env::var_os("TMUX").is_some_and(|value| !value.is_empty()),
            is_tty: std::io::stdout().is_terminal(),
        }
    }
}

/// How the text went out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// Plain OSC 52 to the terminal.
    Osc52,
    /// OSC 52 for tmux's own buffer plus the DCS-passthrough copy for the outer terminal.
    Osc52Tmux,
}

impl std::fmt::Display for Via {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Via::Osc52 => "OSC 52",
            Via::Osc52Tmux => "OSC 52 (tmux)",
        })
    }
}

/// A copy that was sent: how many bytes of text, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Copied {
    /// Bytes of text copied (before encoding).
    pub bytes: usize,
    /// The escape sequence used.
    pub via: Via,
}

/// Why nothing was copied, in words the flash line uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CannotCopy {
    /// `clipboard.mode = "off"`.
    Off,
    /// Nothing to copy.
    Empty,
    /// The encoded payload is over `clipboard.max_bytes`.
    TooLarge {
        /// Size of the base64 payload.
        encoded: usize,
        /// The configured limit.
        max: usize,
    },
    /// Mode `auto` and standard output is not a terminal.
    NotATerminal,
    /// Writing to the terminal failed.
    Write(String),
}

impl std::fmt::Display for CannotCopy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CannotCopy::Off => f.write_str("the clipboard is off (clipboard.mode = \"off\")"),
            CannotCopy::Empty => f.write_str("there is nothing to copy"),
            CannotCopy::TooLarge { encoded, max } => write!(
                f,
                "{encoded} bytes encoded is over the clipboard limit of {max} (clipboard.max_bytes)"
            ),
            CannotCopy::NotATerminal => f.write_str("output is not a terminal"),
            CannotCopy::Write(error) => write!(f, "the terminal did not take it ({error})"),
        }
    }
}

impl std::error::Error for CannotCopy {}

/// `ESC ] 52 ; c ; <base64> BEL`: set the clipboard selection to `text`.
pub fn osc52(text: &str) -> String {
    format!("\x1b]52;c;{}\x07", STANDARD.encode(text.as_bytes()))
}

/// Wraps a sequence for tmux's passthrough: `ESC P tmux;` + the sequence with every ESC
/// doubled + `ESC \`.
pub fn tmux_passthrough(sequence: &str) -> String {
    format!("\x1bPtmux;{}\x1b\\", sequence.replace('\x1b', "\x1b\x1b"))
}

/// The bytes to write for `text` on `terminal`, and how that counts.
pub fn sequence(text: &str, terminal: Terminal) -> (String, Via) {
    let plain = osc52(text);
    if terminal.in_tmux {
        let wrapped = tmux_passthrough(&plain);
        (format!("{plain}{wrapped}"), Via::Osc52Tmux)
    } else {
        (plain, Via::Osc52)
    }
}

/// Decides whether `text` can be copied under `config` and builds what to write.
pub fn plan(
    text: &str,
    config: &ClipboardConfig,
    terminal: Terminal,
) -> Result<(String, Copied), CannotCopy> {
    match config.mode {
        ClipboardMode::Off => return Err(CannotCopy::Off),
        ClipboardMode::Auto if !terminal.is_tty => return Err(CannotCopy::NotATerminal),
        ClipboardMode::Auto | ClipboardMode::Osc52 => {}
    }
    if text.is_empty() {
        return Err(CannotCopy::Empty);
    }
    let encoded = text.len().div_ceil(3) * 4;
    if encoded > config.max_bytes {
        return Err(CannotCopy::TooLarge {
            encoded,
            max: config.max_bytes,
        });
    }
    let (bytes, via) = sequence(text, terminal);
    Ok((
        bytes,
        Copied {
            bytes: text.len(),
            via,
        },
    ))
}

/// Copies `text` by writing the planned sequence to `out` (the terminal) and flushing.
pub fn copy(
    text: &str,
    config: &ClipboardConfig,
    terminal: Terminal,
    out: &mut impl Write,
) -> Result<Copied, CannotCopy> {
    let (bytes, copied) = plan(text, config, terminal)?;
    out.write_all(bytes.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|error| CannotCopy::Write(error.to_string()))?;
    Ok(copied)
}

/// Copies to this process's terminal (standard output).
pub fn copy_to_terminal(text: &str, config: &ClipboardConfig) -> Result<Copied, CannotCopy> {
    copy(
        text,
        config,
        Terminal::detect(),
        &mut std::io::stdout().lock(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const TTY: Terminal = Terminal {
        in_tmux: false,
        is_tty: true,
    };
    const TMUX: Terminal = Terminal {
        in_tmux: true,
        is_tty: true,
    };

    fn config(mode: ClipboardMode, max_bytes: usize) -> ClipboardConfig {
        ClipboardConfig { mode, max_bytes }
    }

    #[test]
    fn osc52_is_base64_of_the_text_between_the_introducer_and_bel() {
        assert_eq!(osc52("hi\n"), "\x1b]52;c;aGkK\x07");
        let long = "location = /x { return 301 http://y; }\n".repeat(20);
        let sequence = osc52(&long);
        let payload = sequence
            .strip_prefix("\x1b]52;c;")
            .and_then(|rest| rest.strip_suffix('\x07'))
            .expect("framed");
        assert_eq!(STANDARD.decode(payload).expect("base64"), long.as_bytes());
    }

    #[test]
    fn tmux_passthrough_doubles_every_escape() {
        assert_eq!(
            tmux_passthrough("\x1b]52;c;aGkK\x07"),
            "\x1bPtmux;\x1b\x1b]52;c;aGkK\x07\x1b\\"
        );
    }

    #[test]
    fn inside_tmux_sends_plain_then_wrapped() {
        let (bytes, via) = sequence("hi\n", TMUX);
        assert_eq!(via, Via::Osc52Tmux);
        assert_eq!(
            bytes,
            "\x1b]52;c;aGkK\x07\x1bPtmux;\x1b\x1b]52;c;aGkK\x07\x1b\\"
        );
        let (bytes, via) = sequence("hi\n", TTY);
        assert_eq!((bytes.as_str(), via), ("\x1b]52;c;aGkK\x07", Via::Osc52));
    }

    #[test]
    fn the_cap_applies_to_the_encoded_payload() {
        // 75 bytes encode to exactly 100.
        let text = "a".repeat(75);
        assert!(plan(&text, &config(ClipboardMode::Osc52, 100), TTY).is_ok());
        let text = "a".repeat(76);
        assert_eq!(
            plan(&text, &config(ClipboardMode::Osc52, 100), TTY).map(|(_, copied)| copied),
            Err(CannotCopy::TooLarge {
                encoded: 104,
                max: 100
            })
        );
    }

    #[test]
    fn modes_off_and_auto_without_a_terminal_refuse() {
        let piped = Terminal {
            in_tmux: false,
            is_tty: false,
        };
        assert_eq!(
            plan("x", &config(ClipboardMode::Off, 100), TTY).map(|(_, c)| c),
            Err(CannotCopy::Off)
        );
        assert_eq!(
            plan("x", &config(ClipboardMode::Auto, 100), piped).map(|(_, c)| c),
            Err(CannotCopy::NotATerminal)
        );
        // Forced OSC 52 writes even to a pipe (the user says the far end is a terminal).
        assert!(plan("x", &config(ClipboardMode::Osc52, 100), piped).is_ok());
        assert_eq!(
            plan("", &config(ClipboardMode::Osc52, 100), TTY).map(|(_, c)| c),
            Err(CannotCopy::Empty)
        );
    }

    #[test]
    fn copy_writes_the_sequence_and_reports_text_bytes() {
        let mut out = Vec::new();
        let copied =
            copy("hi\n", &config(ClipboardMode::Auto, 100), TMUX, &mut out).expect("copies");
        assert_eq!(
            copied,
            Copied {
                bytes: 3,
                via: Via::Osc52Tmux
            }
        );
        assert_eq!(out, sequence("hi\n", TMUX).0.into_bytes());
        let mut nothing = Vec::new();
        assert!(copy("hi", &config(ClipboardMode::Off, 100), TTY, &mut nothing).is_err());
        assert!(nothing.is_empty());
    }
}
