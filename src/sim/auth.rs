//! EdgeGrid verification, as Akamai's gateway does it: the `Authorization` header is parsed,
//! the signature recomputed by the simulator's own `signature` module (not the client's
//! signer: the two must agree independently) over what actually arrived (scheme
//! `http`, the `Host` header, the raw path and query, the body) and compared in constant time;
//! the timestamp must be within 5 minutes of the real wall clock and the nonce unused for 5
//! minutes. Each refusal says which check failed, without ever echoing a token or secret.

use std::collections::{HashSet, VecDeque};
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDateTime, Utc};

use super::signature::{self, MONIKER, Signed};
use crate::edgegrid::Credentials;

/// How far a request's timestamp may be from the server's clock, and how long a nonce is kept.
pub const WINDOW: Duration = Duration::from_secs(300);

/// The request as it arrived, for verification.
#[derive(Debug, Clone, Copy)]
pub struct Arrived<'a> {
    pub method: &'a str,
    pub host: &'a str,
    pub relative_url: &'a str,
    pub headers: &'a [(&'a str, &'a str)],
    pub body: &'a [u8],
    pub authorization: Option<&'a str>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthFailure {
    Missing,
    Malformed(String),
    UnknownClientToken,
    UnknownAccessToken,
    Timestamp(String),
    Signature { signed_fields: String },
    NonceReused,
}

impl AuthFailure {
    /// The problem+json `detail`.
    pub fn detail(&self) -> String {
        match self {
            AuthFailure::Missing => {
                format!("Missing Authorization header: sign the request with {MONIKER}.")
            }
            AuthFailure::Malformed(why) => format!("Malformed Authorization header: {why}."),
            AuthFailure::UnknownClientToken => {
                "Invalid client_token: these credentials are not known here.".to_string()
            }
            AuthFailure::UnknownAccessToken => {
                "Invalid access_token: it does not belong to this client_token.".to_string()
            }
            AuthFailure::Timestamp(why) => format!("Invalid timestamp: {why}."),
            AuthFailure::Signature { signed_fields } => format!(
                "The signature does not match. The server signed: {signed_fields} (method, \
                 scheme, host, path and query, signed headers, content hash); check the client \
                 secret and that the URL was signed exactly as sent."
            ),
            AuthFailure::NonceReused => {
                "Invalid nonce: this nonce was already used within the last 5 minutes (a replayed \
                 request)."
                    .to_string()
            }
        }
    }
}

/// The five fields of an `EG1-HMAC-SHA256` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthHeader<'a> {
    pub client_token: &'a str,
    pub access_token: &'a str,
    pub timestamp: &'a str,
    pub nonce: &'a str,
    pub signature: &'a str,
}

pub fn parse_header(header: &str) -> Result<AuthHeader<'_>, AuthFailure> {
    let malformed = |why: &str| AuthFailure::Malformed(why.to_string());
    let rest = header
        .trim()
        .strip_prefix(MONIKER)
        .and_then(|rest| rest.strip_prefix(' '))
        .ok_or_else(|| malformed(&format!("it must start with '{MONIKER} '")))?;
    let mut fields = [None; 5];
    const NAMES: [&str; 5] = [
        "client_token",
        "access_token",
        "timestamp",
        "nonce",
        "signature",
    ];
    for part in rest
        .split(';')
        .map(str::trim)
        .filter(|part| !part.is_empty())
    {
        let (name, value) = part
            .split_once('=')
            .ok_or_else(|| malformed("every field is name=value, separated by ';'"))?;
        if let Some(index) = NAMES.iter().position(|known| *known == name.trim()) {
            fields[index] = Some(value.trim());
        }
    }
    let field = |index: usize| {
        fields[index]
            .filter(|value| !value.is_empty())
            .ok_or_else(|| malformed(&format!("the {} field is missing", NAMES[index])))
    };
    Ok(AuthHeader {
        client_token: field(0)?,
        access_token: field(1)?,
        timestamp: field(2)?,
        nonce: field(3)?,
        signature: field(4)?,
    })
}

/// Remembers the nonces of the last 5 minutes, forgetting older ones as it goes.
#[derive(Debug, Default)]
pub struct NonceBook {
    seen: HashSet<String>,
    order: VecDeque<(Instant, String)>,
}

impl NonceBook {
    /// Records the nonce; false if it was already used within the window.
    pub fn record(&mut self, nonce: &str, now: Instant) -> bool {
        while let Some((when, _)) = self.order.front() {
            if now.duration_since(*when) < WINDOW {
                break;
            }
            if let Some((_, old)) = self.order.pop_front() {
                self.seen.remove(&old);
            }
        }
        if self.seen.contains(nonce) {
            return false;
        }
        self.seen.insert(nonce.to_string());
        self.order.push_back((now, nonce.to_string()));
        true
    }
}

/// Checks everything but the nonce; the caller records the nonce only for a request that
/// passed, so a forged request cannot burn a real client's nonce. Returns the nonce.
pub fn verify<'a>(
    credentials: &Credentials,
    request: &Arrived<'a>,
    wall_clock: DateTime<Utc>,
) -> Result<&'a str, AuthFailure> {
    let header = parse_header(request.authorization.ok_or(AuthFailure::Missing)?)?;
    if !constant_time_eq(header.client_token, credentials.client_token.expose()) {
        return Err(AuthFailure::UnknownClientToken);
    }
    if !constant_time_eq(header.access_token, credentials.access_token.expose()) {
        return Err(AuthFailure::UnknownAccessToken);
    }
    let signed_at = NaiveDateTime::parse_from_str(header.timestamp, "%Y%m%dT%H:%M:%S+0000")
        .map_err(|_| {
            AuthFailure::Timestamp(format!(
                "'{}' is not of the form 20140321T19:34:21+0000",
                header.timestamp
            ))
        })?
        .and_utc();
    let skew = (wall_clock - signed_at).num_seconds();
    if skew.unsigned_abs() > WINDOW.as_secs() {
        return Err(AuthFailure::Timestamp(format!(
            "the request was signed at {} but the server's clock reads {} ({} seconds apart, \
             at most 300 allowed): check the client's clock",
            signed_at.format("%Y-%m-%dT%H:%M:%SZ"),
            wall_clock.format("%Y-%m-%dT%H:%M:%SZ"),
            skew.abs()
        )));
    }
    let (expected_signature, data_to_sign) = signature::expected(&Signed {
        client_token: header.client_token,
        access_token: header.access_token,
        client_secret: credentials.client_secret.expose(),
        timestamp: header.timestamp,
        nonce: header.nonce,
        method: request.method,
        scheme: "http",
        host: request.host,
        relative_url: request.relative_url,
        headers_to_sign: &credentials.headers_to_sign,
        headers: request.headers,
        body: request.body,
        max_body: credentials.max_body,
    });
    if !constant_time_eq(header.signature, &expected_signature) {
        // Everything but the auth prefix, which carries the tokens.
        let signed_fields = data_to_sign
            .rsplit_once('\t')
            .map_or("", |(fields, _)| fields)
            .replace('\t', " | ");
        return Err(AuthFailure::Signature { signed_fields });
    }
    Ok(header.nonce)
}

/// Equal strings take the same time to compare whatever their content (length may leak).
pub fn constant_time_eq(left: &str, right: &str) -> bool {
    let (left, right) = (left.as_bytes(), right.as_bytes());
    if left.len() != right.len() {
        return false;
    }
    left.iter()
        .zip(right)
        .fold(0u8, |difference, (a, b)| difference | (a ^ b))
        == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_five_fields_in_any_order() {
        let header = parse_header(
            "EG1-HMAC-SHA256 access_token=at;client_token=ct;timestamp=20140321T19:34:21+0000;\
             nonce=n-1;signature=abc/def=",
        )
        .unwrap();
        assert_eq!(header.client_token, "ct");
        assert_eq!(header.access_token, "at");
        assert_eq!(header.signature, "abc/def=");
        assert!(matches!(
            parse_header("Bearer x"),
            Err(AuthFailure::Malformed(_))
        ));
        assert!(matches!(
            parse_header("EG1-HMAC-SHA256 client_token=ct;access_token=at;nonce=n;signature=s"),
            Err(AuthFailure::Malformed(why)) if why.contains("timestamp")
        ));
    }

    #[test]
    fn nonces_are_refused_within_the_window_and_forgotten_after() {
        let mut book = NonceBook::default();
        let start = Instant::now();
        assert!(book.record("a", start));
        assert!(!book.record("a", start + Duration::from_secs(299)));
        assert!(book.record("b", start + Duration::from_secs(301)));
        assert!(book.record("a", start + Duration::from_secs(302)));
    }

    #[test]
    fn constant_time_comparison_is_still_a_comparison() {
        assert!(constant_time_eq("abc", "abc"));
        assert!(!constant_time_eq("abc", "abd"));
        assert!(!constant_time_eq("abc", "abcd"));
    }
}
