//! EG1-HMAC-SHA256 request signing, exactly as `edgegrid.md` describes it. The clock and the
//! nonce are inputs, so the official vectors (fixed timestamp and nonce) can test it.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

use super::Credentials;

type HmacSha256 = Hmac<Sha256>;

pub const MONIKER: &str = "EG1-HMAC-SHA256";

/// What the signer needs to know about one request. `relative_url` is the path and query
/// exactly as they go on the wire (already percent-encoded, never re-encoded here).
#[derive(Debug, Clone, Copy)]
pub struct RequestToSign<'a> {
    pub method: &'a str,
    pub scheme: &'a str,
    pub host: &'a str,
    pub relative_url: &'a str,
    /// Every header of the request; only those named in `headers_to_sign` are signed.
    pub headers: &'a [(&'a str, &'a str)],
    pub body: &'a [u8],
}

/// The result of signing: the header value, and the string that was signed (for `--dry-run`
/// and for a verifier that wants to explain a mismatch).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    pub authorization: String,
    pub data_to_sign: String,
}

/// `20140321T19:34:21+0000`, the only timestamp form EdgeGrid accepts.
pub fn timestamp_at(instant: chrono::DateTime<chrono::Utc>) -> String {
    instant.format("%Y%m%dT%H:%M:%S+0000").to_string()
}

pub fn timestamp_now() -> String {
    timestamp_at(chrono::Utc::now())
}

/// A fresh nonce: a UUID v4 in lower case.
pub fn new_nonce() -> String {
    uuid::Uuid::new_v4().to_string()
}

pub fn sign(
    credentials: &Credentials,
    request: &RequestToSign<'_>,
    timestamp: &str,
    nonce: &str,
) -> Signature {
    let auth_prefix = auth_prefix(credentials, timestamp, nonce);
    let data_to_sign = data_to_sign(credentials, request, &auth_prefix);
    let signing_key = signing_key(credentials.client_secret.expose(), timestamp);
    let signature = base64_hmac(signing_key.as_bytes(), data_to_sign.as_bytes());
    Signature {
        authorization: format!("{auth_prefix}signature={signature}"),
        data_to_sign,
    }
}

pub fn auth_prefix(credentials: &Credentials, timestamp: &str, nonce: &str) -> String {
    format!(
        "{MONIKER} client_token={};access_token={};timestamp={timestamp};nonce={nonce};",
        credentials.client_token.expose(),
        credentials.access_token.expose(),
    )
}

/// The secret is used as text, never base64-decoded; the base64 text of the result is the key
/// of the next step.
pub fn signing_key(client_secret: &str, timestamp: &str) -> String {
    base64_hmac(client_secret.as_bytes(), timestamp.as_bytes())
}

/// The seven tab-separated fields; the last is the auth prefix (vectors that were made with an
/// empty last field compare against everything up to and including the sixth tab).
pub fn data_to_sign(
    credentials: &Credentials,
    request: &RequestToSign<'_>,
    auth_prefix: &str,
) -> String {
    let relative_url = if request.relative_url.is_empty() {
        "/"
    } else {
        request.relative_url
    };
    [
        request.method.to_ascii_uppercase().as_str(),
        request.scheme,
        request.host.to_ascii_lowercase().as_str(),
        relative_url,
        canonical_headers(&credentials.headers_to_sign, request.headers).as_str(),
        content_hash(request.method, request.body, credentials.max_body).as_str(),
        auth_prefix,
    ]
    .join("\t")
}

/// Only POST bodies are hashed, and an empty body hashes to the empty field.
pub fn content_hash(method: &str, body: &[u8], max_body: usize) -> String {
    if !method.eq_ignore_ascii_case("POST") || body.is_empty() {
        return String::new();
    }
    let hashed = &body[..body.len().min(max_body)];
    BASE64.encode(Sha256::digest(hashed))
}

pub fn canonical_headers(headers_to_sign: &[String], headers: &[(&str, &str)]) -> String {
    headers_to_sign
        .iter()
        .filter(|name| !name.eq_ignore_ascii_case("host"))
        .filter_map(|name| {
            headers
                .iter()
                .find(|(header, _)| header.eq_ignore_ascii_case(name))
                .map(|(_, value)| {
                    let collapsed = value.split_whitespace().collect::<Vec<_>>().join(" ");
                    format!("{}:{collapsed}", name.to_ascii_lowercase())
                })
        })
        .collect::<Vec<_>>()
        .join("\t")
}

fn base64_hmac(key: &[u8], message: &[u8]) -> String {
    // HMAC takes keys of any length, so this cannot fail.
    let mut mac = <HmacSha256 as KeyInit>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    mac.update(message);
    BASE64.encode(mac.finalize().into_bytes())
}
