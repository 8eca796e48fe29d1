//! The key authorization the CA compares the body with (RFC 8555 §8.1, §8.3).
//!
//! SPS usually gives it as `responseBody`; when it does not, only its shape can be checked:
//! `TOKEN.` followed by the 43-character base64url SHA-256 thumbprint of the account key.

/// The CA reads at most this many bytes of the body and fails a body this long (Boulder's
/// `maxResponseSize`).
pub const MAX_BODY: usize = 128;

/// Length of a base64url (unpadded) SHA-256 thumbprint.
const THUMBPRINT_LEN: usize = 43;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyAuthorization {
    /// `responseBody` as SPS gives it.
    Exact(String),
    /// Only the token is known: the body must be `TOKEN.` + a thumbprint.
    Shape { token: String },
}

impl KeyAuthorization {
    pub fn new(token: &str, response_body: Option<&str>) -> KeyAuthorization {
        match response_body {
            Some(body) if !body.trim().is_empty() => KeyAuthorization::Exact(body.trim().into()),
            _ => KeyAuthorization::Shape {
                token: token.to_string(),
            },
        }
    }

    /// Judges a body as the CA does: trailing whitespace trimmed, then compared.
    pub fn matches(&self, body: &[u8]) -> bool {
        let Ok(text) = std::str::from_utf8(body) else {
            return false;
        };
        let text = text.trim_end();
        match self {
            KeyAuthorization::Exact(expected) => text == expected,
            KeyAuthorization::Shape { token } => text
                .strip_prefix(token.as_str())
                .and_then(|rest| rest.strip_prefix('.'))
                .is_some_and(|thumbprint| {
                    thumbprint.len() == THUMBPRINT_LEN
                        && thumbprint.bytes().all(|byte| {
                            byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_'
                        })
                }),
        }
    }
}

/// The token: the last segment of the challenge path.
pub fn token_of(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    const THUMB: &str = "abcdefghijklmnopqrstuvwxyz0123456789-_ABCDE";

    #[test]
    fn the_response_body_must_match_exactly_bar_trailing_whitespace() {
        let key = KeyAuthorization::new("tok", Some("tok.thumb"));
        assert!(key.matches(b"tok.thumb"));
        assert!(key.matches(b"tok.thumb\r\n \t"));
        assert!(!key.matches(b" tok.thumb"));
        assert!(!key.matches(b"tok.thumbX"));
        assert!(!key.matches(b"tok.thu\xffmb"));
    }

    #[test]
    fn without_a_response_body_the_shape_is_checked() {
        assert_eq!(THUMB.len(), 43);
        let key = KeyAuthorization::new("tok", None);
        assert!(key.matches(format!("tok.{THUMB}\n").as_bytes()));
        assert!(!key.matches(format!("tok.{}", &THUMB[1..]).as_bytes()));
        assert!(!key.matches(format!("other.{THUMB}").as_bytes()));
        assert!(!key.matches(format!("tok.{}=", &THUMB[1..]).as_bytes()));
        assert!(!key.matches(b"<html>"));
    }

    #[test]
    fn the_token_is_the_last_path_segment() {
        assert_eq!(token_of("/.well-known/acme-challenge/abc"), "abc");
    }
}
