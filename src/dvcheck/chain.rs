//! The hops of one walk, and the one-line chain an operator reads:
//! `http://www.shop.example.com/… → 301 http://dcv.akamai.com/… → 200 key authorization ✓`.
//!
//! Everything here that came from a web server (a Location, a body) is escaped before it is
//! kept, so no control character reaches a terminal.

use std::net::SocketAddr;

/// One request of the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hop {
    /// The URL fetched (already escaped).
    pub url: String,
    pub address: Option<SocketAddr>,
    pub answer: HopAnswer,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HopAnswer {
    /// A redirect; `location` is the header as sent, escaped.
    Redirect { status: u16, location: String },
    /// A 200 judged against the key authorization.
    KeyAuthorization { matches: bool },
    /// Any other status.
    Status(u16),
    /// No HTTP answer (refused, timed out, reset): the problem says why.
    NoAnswer,
}

/// The chain as one line; challenge paths are shortened to `/…`.
pub fn chain_text(hops: &[Hop]) -> String {
    let mut out = String::new();
    for (index, hop) in hops.iter().enumerate() {
        if index == 0 {
            out.push_str(&short_url(&hop.url));
        }
        match &hop.answer {
            HopAnswer::Redirect { status, .. } => {
                out.push_str(&format!(" → {status}"));
                match hops.get(index + 1) {
                    Some(next) => {
                        out.push(' ');
                        out.push_str(&short_url(&next.url));
                    }
                    None => out.push_str(" ✗"),
                }
            }
            HopAnswer::KeyAuthorization { matches: true } => {
                out.push_str(" → 200 key authorization ✓")
            }
            HopAnswer::KeyAuthorization { matches: false } => out.push_str(" → 200 wrong body ✗"),
            HopAnswer::Status(status) => out.push_str(&format!(" → {status} ✗")),
            HopAnswer::NoAnswer => out.push_str(" → no answer ✗"),
        }
    }
    out
}

/// `http://host/.well-known/acme-challenge/TOKEN` → `http://host/…`.
fn short_url(url: &str) -> String {
    match url.find("/.well-known/acme-challenge/") {
        Some(at) if url[..at].contains("://") => format!("{}/…", &url[..at]),
        _ => url.to_string(),
    }
}

/// Text from a server made safe to print: control and other invisible characters escaped,
/// at most `max` characters kept (an ellipsis says when more came).
pub fn escaped(text: &str, max: usize) -> String {
    let mut out = String::new();
    for (count, character) in text.chars().enumerate() {
        if count == max {
            out.push('…');
            break;
        }
        if character.is_control()
            || matches!(character, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        {
            out.extend(character.escape_default());
        } else {
            out.push(character);
        }
    }
    out
}

/// Bytes from a server as escaped text: invalid UTF-8 shown as `\xNN`.
pub fn escaped_bytes(bytes: &[u8], max: usize) -> String {
    let text: String = bytes
        .utf8_chunks()
        .flat_map(|chunk| {
            let invalid: String = chunk
                .invalid()
                .iter()
                .map(|byte| format!("\\x{byte:02x}"))
                .collect();
            [chunk.valid().to_string(), invalid]
        })
        .collect();
    escaped(&text, max)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hop(url: &str, answer: HopAnswer) -> Hop {
        Hop {
            url: url.to_string(),
            address: None,
            answer,
        }
    }

    #[test]
    fn a_chain_reads_as_one_line() {
        let hops = [
            hop(
                "http://www.shop.example.com/.well-known/acme-challenge/T",
                HopAnswer::Redirect {
                    status: 301,
                    location: "https://www.shop.example.com/.well-known/acme-challenge/T".into(),
                },
            ),
            hop(
                "https://www.shop.example.com/.well-known/acme-challenge/T",
                HopAnswer::Redirect {
                    status: 301,
                    location: "http://dcv.akamai.com/.well-known/acme-challenge/T".into(),
                },
            ),
            hop(
                "http://dcv.akamai.com/.well-known/acme-challenge/T",
                HopAnswer::KeyAuthorization { matches: true },
            ),
        ];
        assert_eq!(
            chain_text(&hops),
            "http://www.shop.example.com/… → 301 https://www.shop.example.com/… → 301 \
             http://dcv.akamai.com/… → 200 key authorization ✓"
        );
    }

    #[test]
    fn a_failing_hop_ends_the_line_with_a_cross() {
        let hops = [hop("http://a.example/x", HopAnswer::Status(404))];
        assert_eq!(chain_text(&hops), "http://a.example/x → 404 ✗");
        let hops = [hop(
            "http://a.example/x",
            HopAnswer::Redirect {
                status: 302,
                location: "file:///etc/passwd".into(),
            },
        )];
        assert_eq!(chain_text(&hops), "http://a.example/x → 302 ✗");
    }

    #[test]
    fn control_characters_never_pass() {
        assert_eq!(escaped("a\u{1b}[2Jb\r\n", 40), "a\\u{1b}[2Jb\\r\\n");
        assert_eq!(escaped("abcdef", 3), "abc…");
        assert_eq!(escaped_bytes(b"ok\xff\x00", 40), "ok\\xff\\u{0}");
    }
}
